/**
 * Rows written before the canonical form (core/addresses.ts) are brought to it by the data step of
 * migration 0012: after it, Robinson entries and suppressions match the customers they name, also
 * in audience summaries refreshed before the step, and a second run changes nothing.
 */
import { sql } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import { describeEachStore } from '../../test/support/stores.ts';
import type { Customer, CustomerId, Instant } from '../core/records.ts';
import type { Channel } from '../core/vocabulary.ts';
import { audienceCounts } from '../use-cases/audience.ts';
import { canonicaliseStoredAddresses } from './canonical-addresses.ts';

const AT = '2026-06-01T00:00:00.000Z' as Instant;
const created = '2026-01-01T00:00:00.000Z' as Instant;
const FOREVER = '2099-01-01T00:00:00.000Z' as Instant;

function person(id: string, contacts: Partial<Pick<Customer, 'emails' | 'phones' | 'address'>>): Customer {
  return { id: id as CustomerId, kind: 'person', name: id, emails: [], phones: [], address: null, locale: 'fi', createdAt: created, updatedAt: created, ...contacts };
}

describeEachStore('stored addresses brought to the canonical form (migration 0012)', (ctx) => {
  const blocked = async (channel: Channel) =>
    (await audienceCounts({ ...ctx.app.stores, settings: ctx.app.settings }, { purpose: 'marketing', channel, sku: null, at: AT, filter: {} })).blocked;
  const db = () => ctx.app.database.db;
  const suppress = (channel: Channel, address: string, reason: 'robinson' | 'unsubscribe' = 'robinson') =>
    ctx.app.stores.suppressions.add({ channel, address, reason, at: created, validUntil: FOREVER, source: 'import' });

  beforeAll(async () => {
    const s = ctx.app.stores;
    // As the earlier rules stored them: the trunk zero kept after +358, a decomposed street in the
    // postal key, a trailing dot and a zero-width space in e-mail addresses.
    await s.customers.insertCustomer(person('L1', { phones: ['+3580401234501'] }));
    await s.customers.insertCustomer(person('L2', { address: { street: 'Ha\u0308meentie 12', postalCode: '00530', city: 'Helsinki', country: 'FI' } }));
    await sql`UPDATE customers SET postal_key = ${'ha\u0308meentie 12|00530'} WHERE id = 'L2'`.execute(db());
    await s.customers.insertCustomer(person('L3', { emails: ['anna@example.fi.', 'anna\u200b@example.fi', 'toinen@example.fi'] }));
    // One the rules cannot read: left as it is.
    await s.customers.insertCustomer(person('L4', { phones: ['+1234567'] }));
    await suppress('phone', '+358401234501');
    await suppress('post', 'hämeentie 12|00530');
    await suppress('email', 'anna@example.fi', 'unsubscribe');
    // The same entry under two spellings of one number: one of them is a duplicate once both are canonical.
    await suppress('sms', '+3580401234509');
    await suppress('sms', '+358401234509');
    await s.audience.refreshSummaries();
  });

  it('before the step, the earlier spellings slip through every suppression', async () => {
    expect((await blocked('phone')).ROBINSON).toBeUndefined();
    expect((await blocked('post')).ROBINSON).toBeUndefined();
    expect((await blocked('email')).SUPPRESSED).toBeUndefined();
  });

  it('rewrites what differs and reports counts only', async () => {
    const report = await canonicaliseStoredAddresses(ctx.app.database, 2);
    expect(report).toEqual({ customersRewritten: 3, suppressionsRewritten: 0, duplicateSuppressionsRemoved: 1, unreadable: 1 });
  });

  it('stores the canonical forms, primary address first, repeats merged', async () => {
    const rows = await db().selectFrom('customers').select(['id', 'email', 'phone', 'postal_key']).orderBy('id').execute();
    expect(rows).toEqual([
      { id: 'L1', email: null, phone: '+358401234501', postal_key: null },
      { id: 'L2', email: null, phone: null, postal_key: 'h\u00E4meentie 12|00530' },
      { id: 'L3', email: 'anna@example.fi', phone: null, postal_key: null },
      { id: 'L4', email: null, phone: '+1234567', postal_key: null },
    ]);
    expect((await ctx.app.stores.customers.getCustomer('L3' as CustomerId))?.emails).toEqual(['anna@example.fi', 'toinen@example.fi']);
    const sms = await ctx.app.stores.suppressions.forAddress('sms', '+358401234509');
    expect(sms).toHaveLength(1);
  });

  it('the audience sees the matches at once, without another refresh', async () => {
    expect((await blocked('phone')).ROBINSON).toBe(1);
    expect((await blocked('post')).ROBINSON).toBe(1);
    expect((await blocked('email')).SUPPRESSED).toBe(1);
  });

  it('a second run changes nothing', async () => {
    expect(await canonicaliseStoredAddresses(ctx.app.database)).toEqual({ customersRewritten: 0, suppressionsRewritten: 0, duplicateSuppressionsRemoved: 0, unreadable: 1 });
  });

  it('a suppression re-keyed later marks the customers of its old and new address dirty', async () => {
    await suppress('phone', '+3580405550000');
    await ctx.app.stores.customers.insertCustomer(person('L5', { phones: ['+358405550000'] }));
    await ctx.app.stores.audience.refreshSummaries();
    expect((await blocked('phone')).ROBINSON).toBe(1);
    const report = await canonicaliseStoredAddresses(ctx.app.database);
    expect(report.suppressionsRewritten).toBe(1);
    expect((await blocked('phone')).ROBINSON).toBe(2);
  });
});
