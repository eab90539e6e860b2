/** `lupa demo`: generate believable Finnish media customers, deterministically, and import them (or write NDJSON). */
import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Command } from 'commander';
import { DomainError } from '../../core/errors.ts';
import { demoToNdjson } from '../../demo/generate-demo.ts';
import { DEMO_TEMPLATES, saveDemoTemplates } from '../../demo/demo-templates.ts';
import { saveDemoInterests } from '../../demo/demo-interests.ts';
import { importRecords } from '../import-records.ts';
import { printJson, withApp } from '../context.ts';
import { counted } from '../counted.ts';

interface DemoOptions {
  customers: string;
  seed: string;
  out?: string;
  json?: boolean;
}

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('generate demo customers, products, orders, consents and suppressions')
    .option('--customers <n>', 'how many customers', '2000')
    .option('--seed <n>', 'random seed: the same seed gives the same data', '1')
    .option('--out <file>', 'write NDJSON to this file instead of importing')
    .option('--json', 'print the import result as JSON')
    .action(async (opts: DemoOptions, cmd: Command) => {
      const customers = wholeNumber(opts.customers, 'customers');
      const seed = wholeNumber(opts.seed, 'seed');
      const lines = (): Readable => Readable.from(demoToNdjson({ customers, seed }));
      if (opts.out !== undefined) {
        await pipeline(lines(), createWriteStream(opts.out));
        process.stdout.write(`wrote ${counted(customers, 'demo customer')} to ${opts.out}\n`);
        return;
      }
      const result = await withApp(cmd, async (app) => {
        const imported = await importRecords(app, { stream: lines(), format: 'ndjson' });
        await saveDemoTemplates(app.stores.templates, app.now());
        await saveDemoInterests(app.stores.interests, customers, app.now());
        const { addRfmSegments } = await import('../../use-cases/segments/segments.ts');
        await addRfmSegments({ segments: app.stores.segments, now: app.now }, 'demo');
        const { saveDemoOffers } = await import('../../demo/demo-offers.ts');
        const sample = (await app.stores.customers.searchCustomers({ limit: 60 })).map((c) => c.id);
        await saveDemoOffers(app.stores.offers, sample, app.now());
        return imported;
      });
      if (opts.json === true) printJson(result);
      else process.stdout.write(`imported ${counted(result.rows, 'demo record')} for ${counted(customers, 'customer')} (seed ${seed}); templates: ${DEMO_TEMPLATES.map((t) => t.id).join(', ')}; the ready-made RFM segments (lupa segments list)\n`);
    });
}

function wholeNumber(value: string, field: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new DomainError('VALIDATION_FAILED', `${field} must be a whole number`, { field });
  return n;
}
