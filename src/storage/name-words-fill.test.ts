import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { describeEachStore } from '../../test/support/stores.ts';
import type { Customer, CustomerId, Instant } from '../core/records.ts';
import { fillNameWords } from './name-words-fill.ts';

const T0 = '2025-01-01T00:00:00.000Z' as Instant;
const customer = (id: string, name: string): Customer => ({
  id: id as CustomerId, kind: 'person', name, emails: [], phones: [], address: null, locale: null, createdAt: T0, updatedAt: T0,
});

describeEachStore('migration 0023 data step: name words of stored customers', (ctx) => {
  it('gives customers stored without words their words, once, and the search finds them', async () => {
    const { db } = ctx.app.database;
    await ctx.app.stores.customers.insertCustomer(customer('F1', 'Eveliina Öhman'));
    await ctx.app.stores.customers.insertCustomer(customer('F2', 'Pekka Aho'));
    // As a row written before the migration: the column's default, no index rows.
    await sql`UPDATE customers SET name_words = '[]' WHERE id = 'F1'`.execute(db);
    expect(await ctx.app.stores.customers.searchCustomers({ nameWords: ['ohman'], limit: 10 })).toEqual([]);
    expect(await fillNameWords(ctx.app.database, 1)).toEqual({ customersRewritten: 1 });
    const found = await ctx.app.stores.customers.searchCustomers({ nameWords: ['ohman', 'eve'], limit: 10 });
    expect(found.map((c) => c.id)).toEqual(['F1']);
    expect(await fillNameWords(ctx.app.database)).toEqual({ customersRewritten: 0 });
    const rows = await db.selectFrom('customer_name_words').select(['word', 'customer_id']).orderBy('customer_id').orderBy('word').execute();
    expect(rows).toEqual([
      { word: 'eveliina', customer_id: 'F1' },
      { word: 'ohman', customer_id: 'F1' },
      { word: 'aho', customer_id: 'F2' },
      { word: 'pekka', customer_id: 'F2' },
    ]);
  });
});
