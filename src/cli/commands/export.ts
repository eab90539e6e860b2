/** `lupa export calls|post`: call lists for telesales and print files for a mail house, as CSV. */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Command } from 'commander';
import { callList, printList } from '../../use-cases/contact-lists.ts';
import { cliActor, withApp } from '../context.ts';
import { parseFilterOptions, withFilterOptions, type FilterOptions } from '../parse-options.ts';
import { parseInstant } from '../../core/time.ts';
import type { Sku } from '../../core/records.ts';

interface ExportOptions extends FilterOptions {
  out: string;
  product?: string;
  at?: string;
}

export function registerExport(program: Command): void {
  const exp = program.command('export').description('contact lists of the customers the ledger allows (every customer listed is audited)');
  for (const [name, description] of [
    ['calls', 'a call list for telesales: phone marketing allowed (opt-outs, objections, Robinson), with quiet hours'],
    ['post', 'a print file for a mail house: post marketing allowed (opt-outs, objections, Posti-Robinson)'],
  ] as const) {
    withFilterOptions(
      exp
        .command(name)
        .description(description)
        .requiredOption('--out <file>', 'CSV file to write')
        .option('--product <sku>', 'the marketed product')
        .option('--at <iso-8601>', 'as of this time (default: now)'),
    ).action(async (opts: ExportOptions, cmd: Command) => {
      const rows = await withApp(cmd, async (app) => {
        const input = {
          sku: opts.product === undefined ? null : (opts.product as Sku),
          at: opts.at === undefined ? app.now() : parseInstant(opts.at, 'at'),
          filter: parseFilterOptions(opts),
          actor: cliActor(),
        };
        const deps = { ...app.stores, settings: app.settings };
        const source: AsyncIterable<object> = name === 'calls' ? callList(deps, input) : printList(deps, input);
        return writeCsv(opts.out, source);
      });
      process.stdout.write(`wrote ${rows} rows to ${opts.out}\n`);
    });
  }
}

async function writeCsv(path: string, rows: AsyncIterable<object>): Promise<number> {
  const out = createWriteStream(path);
  let count = 0;
  for await (const row of rows) {
    if (count === 0) out.write(`${Object.keys(row).map(csvField).join(',')}\r\n`);
    if (!out.write(`${Object.values(row).map((v) => csvField(String(v))).join(',')}\r\n`)) await once(out, 'drain');
    count++;
  }
  out.end();
  await once(out, 'finish');
  return count;
}

/** RFC 4180: quote fields with commas, quotes or line breaks; double the quotes inside. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
