/** `lupa export calls|post`: call lists for telesales and print files for a mail house, as CSV. */
import { createWriteStream } from 'node:fs';
import type { Command } from 'commander';
import { writeCsv } from '../../export/csv-writer.ts';
import { callList, printList } from '../../use-cases/contact-lists.ts';
import { cliActor, withApp } from '../context.ts';
import { counted } from '../counted.ts';
import { parseFilterOptions, withFilterOptions, type FilterOptions } from '../parse-options.ts';
import { parseInstant } from '../../core/time.ts';
import type { Sku } from '../../core/records.ts';

interface ExportOptions extends FilterOptions {
  out: string;
  excel?: boolean;
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
        .option('--at <iso-8601>', 'as of this time (default: now)')
        .option('--excel', 'for Excel in a Finnish locale: a UTF-8 byte-order mark and ; between fields (default: LUPA_CSV_EXCEL)'),
    ).action(async (opts: ExportOptions, cmd: Command) => {
      const rows = await withApp(cmd, async (app) => {
        const input = {
          sku: opts.product === undefined ? null : (opts.product as Sku),
          at: opts.at === undefined ? app.now() : parseInstant(opts.at, 'at'),
          filter: parseFilterOptions(opts),
          actor: cliActor(),
        };
        const deps = { ...app.stores, settings: app.settings };
        const format = { excel: opts.excel === true || app.config.LUPA_CSV_EXCEL };
        const out = createWriteStream(opts.out);
        return name === 'calls' ? writeCsv(out, callList(deps, input), format) : writeCsv(out, printList(deps, input), format);
      });
      process.stdout.write(`wrote ${counted(rows, 'row')} to ${opts.out}\n`);
    });
  }
}
