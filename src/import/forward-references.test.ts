/** A file need not list customers and products before the rows that refer to them. */
import { Readable } from 'node:stream';
import { expect, it } from 'vitest';
import type { CustomerId } from '../core/records.ts';
import { describeEachStore } from '../../test/support/stores.ts';
import { runImport } from './run-import.ts';

const file = [
  { type: 'order', id: 'FO1', customerId: 'FC1', sku: 'FWD-1', startedAt: '2024-01-01T00:00:00Z', endedAt: null, soldVia: 'web', optOutOffered: true },
  { type: 'consent', customerId: 'FC1', purpose: 'marketing', channel: 'email', value: 'granted', at: '2024-02-01T00:00:00Z', source: 'web_form' },
  { type: 'consent', customerId: 'NOBODY', purpose: 'marketing', channel: 'email', value: 'granted', at: '2024-02-01T00:00:00Z', source: 'web_form' },
  { type: 'customer', id: 'FC1', kind: 'person', name: 'Eeva Forward', email: 'eeva@example.fi' },
  { type: 'product', sku: 'FWD-1', name: 'Eteenpäin', category: 'daily' },
]
  .map((r) => JSON.stringify(r))
  .join('\n');

describeEachStore('forward references in an import', (ctx) => {
  it('lands rows whose customer or product comes later in the file, and still reports a truly unknown one by line', async () => {
    const result = await runImport(
      { database: ctx.app.database, settings: ctx.app.settings, now: ctx.app.now },
      // A batch of two rows: the forward references cross batch boundaries too.
      { stream: Readable.from([file]), format: 'ndjson', batchSize: 2 },
    );
    expect(result.errors).toEqual([expect.objectContaining({ line: 3, field: 'customerId', code: 'UNKNOWN_CUSTOMER' })]);
    expect(result.imported).toMatchObject({ order: 1, consent: 1, customer: 1, product: 1 });
    expect(await ctx.app.stores.catalogue.ordersOf('FC1' as CustomerId)).toEqual([expect.objectContaining({ id: 'FO1', category: 'daily' })]);
    expect(await ctx.app.stores.ledger.historyOf('FC1' as CustomerId)).toHaveLength(1);
  });
});
