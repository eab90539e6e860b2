/** `lupa import FILE`: NDJSON (any record type) or CSV (customers). Exit 0 only when every row was valid. */
import { createReadStream, existsSync } from 'node:fs';
import type { Command } from 'commander';
import { DomainError, ERROR_CODES } from '../../core/errors.ts';
import type { ImportResult } from '../../import/run-import.ts';
import { checkEncoding, DEFAULT_ENCODING } from '../../import/text-decoding.ts';
import { importRecords } from '../import-records.ts';
import { printJson, withApp } from '../context.ts';
import { counted } from '../counted.ts';
import { CliExit } from '../main.ts';

export function registerImport(program: Command): void {
  program
    .command('import')
    .description('import customers, products, orders, consents, objections and suppressions')
    .argument('<file>', 'an .ndjson file (one record per line) or a .csv file of customers; - reads standard input as NDJSON')
    .option('--format <format>', 'ndjson or csv (default: from the file name)')
    .option('--encoding <encoding>', 'the file\'s encoding: utf-8 (default), windows-1252 (Excel\'s "ANSI"), iso-8859-1, iso-8859-15, utf-16le', DEFAULT_ENCODING)
    .option('--json', 'print the result as one JSON object')
    .action(async (file: string, opts: { format?: string; encoding: string; json?: boolean }, cmd: Command) => {
      const format = importFormat(file, opts.format);
      const encoding = checkEncoding(opts.encoding);
      if (file !== '-' && !existsSync(file)) throw new DomainError('VALIDATION_FAILED', `no such file: ${file}`, { field: 'file' });
      // A file is read twice: first to check its encoding, so that a wrong one writes nothing.
      const input = file === '-' ? { stream: process.stdin } : { stream: createReadStream(file), reread: () => createReadStream(file) };
      const result = await withApp(cmd, (app) => importRecords(app, { ...input, format, encoding }));
      report(result, opts.json === true);
      if (result.errorCount > 0) throw new CliExit(ERROR_CODES.IMPORT_FAILED.exit);
    });
}

function importFormat(file: string, given: string | undefined): 'ndjson' | 'csv' {
  const format = given ?? (file.toLowerCase().endsWith('.csv') ? 'csv' : 'ndjson');
  if (format !== 'ndjson' && format !== 'csv') throw new DomainError('VALIDATION_FAILED', 'format must be ndjson or csv', { field: 'format' });
  return format;
}

function report(result: ImportResult, json: boolean): void {
  if (json) {
    printJson(result);
    return;
  }
  const counts = Object.entries(result.imported)
    .filter(([, n]) => n > 0)
    .map(([type, n]) => counted(n, type))
    .join(', ');
  for (const notice of result.notices) process.stderr.write(`note: ${notice}\n`);
  // Nothing read but an error: the file itself was refused (its encoding, its header), not a row of it.
  const fileRefused = result.rows === 0 && result.errorCount > 0;
  process.stdout.write(fileRefused ? 'imported nothing: the file was refused (why: below)\n' : `read ${counted(result.rows, 'row')}; imported ${counts === '' ? 'nothing new' : counts}\n`);
  for (const e of result.errors) {
    const lines = e.lastLine === undefined ? `line ${e.line}` : `lines ${e.line}–${e.lastLine}`;
    process.stderr.write(`${lines}: ${e.field === null ? '' : `${e.field}: `}${e.message} [${e.code}]\n`);
  }
  if (result.errorCount > result.errors.length) process.stderr.write(`… and ${result.errorCount - result.errors.length} more errors\n`);
  if (result.errorCount > 0 && !fileRefused) process.stderr.write(`${counted(result.errorCount, 'row')} rejected; none of them was written\n`);
}
