/** `lupa audience`: the decision over all customers, counted by basis and by blocking reason, or listed. */
import type { Command } from 'commander';
import { allowedCustomers, audienceCounts } from '../../use-cases/audience.ts';
import { printJson, printJsonLine, withApp } from '../context.ts';
import { parseFilterOptions, parseQueryOptions, withFilterOptions, type FilterOptions, type QueryOptions } from '../parse-options.ts';

export function registerAudience(program: Command): void {
  withFilterOptions(
    program
      .command('audience')
      .description('count (or list) the customers a purpose and channel may reach')
      .requiredOption('--purpose <purpose>', 'purpose')
      .requiredOption('--channel <channel>', 'channel')
      .option('--product <sku>', 'the marketed product (needed for soft opt-in)')
      .option('--at <iso-8601>', 'as of this time (default: now)'),
  )
    .option('--list', 'print the allowed customers, one JSON line each, instead of counts')
    .option('--json', 'print one JSON object')
    .action(async (opts: QueryOptions & FilterOptions & { json?: boolean; list?: boolean }, cmd: Command) => {
      await withApp(cmd, async (app) => {
        const input = { ...parseQueryOptions(opts, app.now), filter: parseFilterOptions(opts) };
        const deps = { ...app.stores, settings: app.settings };
        if (opts.list === true) {
          for await (const row of allowedCustomers(deps, input)) await printJsonLine(row);
          return;
        }
        const counts = await audienceCounts(deps, input);
        if (opts.json === true) {
          printJson(counts);
          return;
        }
        const lines = [
          `${input.purpose} by ${input.channel}${input.sku === null ? '' : ` for ${input.sku}`} as of ${input.at}`,
          `evaluated ${counts.evaluated}, allowed ${counts.allowed}`,
          ...Object.entries(counts.byBasis).map(([basis, n]) => `  allowed on ${basis}: ${n}`),
          ...Object.entries(counts.blocked).map(([reason, n]) => `  blocked by ${reason}: ${n}`),
        ];
        process.stdout.write(`${lines.join('\n')}\n`);
      });
    });
}
