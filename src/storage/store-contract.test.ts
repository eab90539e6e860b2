/** One contract for every repository, run against SQLite and PostgreSQL alike. */
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import type { AudienceFilter, NewLedgerRecord } from '../core/ports.ts';
import type { Customer, CustomerId, Instant, OrderId, Sku } from '../core/records.ts';
import { audienceCounts } from '../use-cases/audience.ts';
import { describeEachStore } from '../../test/support/stores.ts';

const T0 = '2024-01-01T00:00:00.000Z' as Instant;
const T1 = '2024-06-01T00:00:00.000Z' as Instant;

function customer(id: string, over: Partial<Customer> = {}): Customer {
  return {
    id: id as CustomerId,
    kind: 'person',
    name: `Aino ${id}`,
    emails: [`${id.toLowerCase()}@example.fi`, `${id.toLowerCase()}.work@example.com`],
    phones: ['+358401234567'],
    address: { street: 'Mannerheimintie 1', postalCode: '00100', city: 'Helsinki', country: 'FI' },
    locale: 'fi',
    createdAt: T0,
    updatedAt: T0,
    ...over,
  };
}

const consent = (customerId: string, at: Instant, value: 'granted' | 'withdrawn'): NewLedgerRecord => ({
  kind: 'consent',
  customerId: customerId as CustomerId,
  purpose: 'marketing',
  channel: 'email',
  value,
  at,
  source: 'web_form',
  noticeVersion: '2024-05',
  noticeLocale: 'fi',
  evidenceRef: 'form-1',
});

describeEachStore('repository contract', (ctx) => {
  it('stores a customer with all its addresses and reads it back unchanged', async () => {
    const c = customer('K1');
    await ctx.app.stores.customers.insertCustomer(c);
    expect(await ctx.app.stores.customers.getCustomer(c.id)).toEqual(c);
    expect(await ctx.app.stores.customers.getCustomer('nobody' as CustomerId)).toBeNull();
  });

  it('refuses a second customer with the same id', async () => {
    await expect(ctx.app.stores.customers.insertCustomer(customer('K1'))).rejects.toMatchObject({ code: 'CUSTOMER_EXISTS' });
  });

  it('updates a customer in place and finds customers by name prefix, e-mail and postcode', async () => {
    await ctx.app.stores.customers.insertCustomer(customer('K2', { name: 'Björn Lindqvist', address: null }));
    const updated = customer('K2', { name: 'Björn Lindqvist', locale: 'sv', updatedAt: T1, address: { street: 'Storgatan 3', postalCode: '65100', city: 'Vasa', country: 'FI' } });
    await ctx.app.stores.customers.updateCustomer(updated);
    expect(await ctx.app.stores.customers.getCustomer(updated.id)).toEqual(updated);
    const byName = await ctx.app.stores.customers.searchCustomers({ nameWords: ['bjo'], limit: 10 });
    expect(byName.map((c) => c.id)).toEqual(['K2']);
    const byEmail = await ctx.app.stores.customers.searchCustomers({ email: 'k1@example.fi', limit: 10 });
    expect(byEmail.map((c) => c.id)).toEqual(['K1']);
    const byPostcode = await ctx.app.stores.customers.searchCustomers({ postalCode: '65100', limit: 10 });
    expect(byPostcode.map((c) => c.id)).toEqual(['K2']);
    const paged = await ctx.app.stores.customers.searchCustomers({ limit: 1, after: 'K1' });
    expect(paged.map((c) => c.id)).toEqual(['K2']);
  });

  it('upserts products and orders, and lists a customer’s orders with their category', async () => {
    const cat = ctx.app.stores.catalogue;
    await cat.upsertProduct({ sku: 'HS-7' as Sku, name: 'Päivälehti 7', brand: 'Sanomat', category: 'daily' });
    await cat.upsertProduct({ sku: 'HS-7' as Sku, name: 'Päivälehti 7 päivää', brand: 'Sanomat', category: 'daily' });
    expect(await cat.getProduct('HS-7' as Sku)).toEqual({ sku: 'HS-7', name: 'Päivälehti 7 päivää', brand: 'Sanomat', category: 'daily' });
    const order = { id: 'O1' as OrderId, customerId: 'K1' as CustomerId, sku: 'HS-7' as Sku, startedAt: T0, endedAt: null, soldVia: 'telesales' as const, optOutOffered: true };
    await cat.upsertOrder(order);
    await cat.upsertOrder({ ...order, endedAt: T1, optOutOffered: false });
    expect(await cat.ordersOf('K1' as CustomerId)).toEqual([{ ...order, endedAt: T1, optOutOffered: false, category: 'daily' }]);
  });

  it('appends ledger records once, returns them with a sequence, and keeps history in time order', async () => {
    const first = await ctx.app.stores.ledger.append([consent('K1', T1, 'withdrawn'), consent('K1', T0, 'granted')]);
    expect(first).toHaveLength(2);
    const again = await ctx.app.stores.ledger.append([consent('K1', T0, 'granted')]);
    expect(again.map((r) => r.seq)).toEqual([first.find((r) => r.at === T0)?.seq]);
    const history = await ctx.app.stores.ledger.historyOf('K1' as CustomerId);
    expect(history.map((r) => [r.at, r.value])).toEqual([[T0, 'granted'], [T1, 'withdrawn']]);
    expect(history[0]).toMatchObject({ kind: 'consent', purpose: 'marketing', channel: 'email', source: 'web_form', noticeVersion: '2024-05', evidenceRef: 'form-1' });
  });

  it('refuses to update or delete a ledger row: the ledger is append-only', async () => {
    const db = ctx.app.database.db;
    await expect(sql`UPDATE ledger SET value = 'granted'`.execute(db)).rejects.toThrow(/APPEND_ONLY/);
    await expect(sql`DELETE FROM ledger`.execute(db)).rejects.toThrow(/APPEND_ONLY/);
    expect((await ctx.app.stores.ledger.historyOf('K1' as CustomerId)).length).toBe(2);
  });

  it('adds a suppression once and finds it by channel and address', async () => {
    const s = { channel: 'email' as const, address: 'k1@example.fi', reason: 'hard_bounce' as const, at: T1, validUntil: null, source: 'dsn' };
    const a = await ctx.app.stores.suppressions.add(s);
    const b = await ctx.app.stores.suppressions.add(s);
    expect(b.id).toBe(a.id);
    expect(await ctx.app.stores.suppressions.forAddress('email', 'k1@example.fi')).toEqual([{ ...s, id: a.id, liftedAt: null }]);
    expect(await ctx.app.stores.suppressions.forAddress('sms', 'k1@example.fi')).toEqual([]);
  });

  it('lifts an unsubscribe by appending a lift beside it: the suppression row stays, and shows when it was lifted', async () => {
    const unsub = await ctx.app.stores.suppressions.add({ channel: 'sms', address: '+358401110000', reason: 'unsubscribe', at: T1, validUntil: null, source: 'sms_stop' });
    const liftAt = '2024-07-01T00:00:00.000Z' as Instant;
    await ctx.app.stores.suppressions.lift({ suppressionId: unsub.id, at: liftAt, source: 'preference_centre', evidenceRef: 'ledger:1' });
    expect(await ctx.app.stores.suppressions.forAddress('sms', '+358401110000')).toEqual([{ ...unsub, liftedAt: liftAt }]);
    const db = ctx.app.database.db;
    await expect(sql`UPDATE suppression_lifts SET at = ${T1}`.execute(db)).rejects.toThrow(/APPEND_ONLY/);
    await expect(sql`DELETE FROM suppression_lifts`.execute(db)).rejects.toThrow(/APPEND_ONLY/);
  });

  it('lifts a hard bounce or a complaint only with a note, and a Robinson entry never: the store and the database both refuse', async () => {
    const db = ctx.app.database.db;
    for (const reason of ['hard_bounce', 'complaint'] as const) {
      const s = await ctx.app.stores.suppressions.add({ channel: 'email', address: `${reason}@example.fi`, reason, at: T1, validUntil: null, source: 'dsn' });
      await expect(ctx.app.stores.suppressions.lift({ suppressionId: s.id, at: T1, source: 'preference_centre', evidenceRef: null })).rejects.toMatchObject({ code: 'SUPPRESSION_LIFT_NEEDS_NOTE' });
      await expect(ctx.app.stores.suppressions.lift({ suppressionId: s.id, at: T1, source: 'dpo', evidenceRef: null, note: '  ' })).rejects.toMatchObject({ code: 'SUPPRESSION_LIFT_NEEDS_NOTE' });
      await expect(
        sql`INSERT INTO suppression_lifts (suppression_id, at, recorded_at, source) VALUES (${s.id}, ${T1}, ${T1}, 'sql')`.execute(db),
      ).rejects.toThrow(/SUPPRESSION_LIFT_NEEDS_NOTE/);
      expect((await ctx.app.stores.suppressions.forAddress('email', `${reason}@example.fi`))[0]?.liftedAt).toBeNull();
    }
    const robinson = await ctx.app.stores.suppressions.add({ channel: 'phone', address: '+358401119999', reason: 'robinson', at: T1, validUntil: null, source: 'asml' });
    await expect(ctx.app.stores.suppressions.lift({ suppressionId: robinson.id, at: T1, source: 'dpo', evidenceRef: null, note: 'asked' })).rejects.toMatchObject({ code: 'SUPPRESSION_NOT_LIFTABLE' });
    await expect(
      sql`INSERT INTO suppression_lifts (suppression_id, at, recorded_at, source, note) VALUES (${robinson.id}, ${T1}, ${T1}, 'sql', 'asked')`.execute(db),
    ).rejects.toThrow(/SUPPRESSION_NOT_LIFTABLE/);
  });

  it('writes audit entries and lists them per customer', async () => {
    await ctx.app.stores.audit.record({ at: T1, actor: 'key-1', role: 'agent', action: 'customer.read', customerId: 'K1', detail: { fields: 'all' } });
    expect(await ctx.app.stores.audit.forCustomer('K1' as CustomerId)).toEqual([
      { at: T1, actor: 'key-1', role: 'agent', action: 'customer.read', customerId: 'K1', detail: { fields: 'all' } },
    ]);
  });

  it('reads everything a decision needs in one go, equal to what the single stores return', async () => {
    const s = ctx.app.stores;
    await s.suppressions.add({ channel: 'post', address: 'mannerheimintie 1|00100', reason: 'robinson', at: T1, validUntil: null, source: 'posti' });
    for (const channel of ['email', 'post', 'web'] as const) {
      const records = await s.decisionRecords.recordsFor('K1' as CustomerId, channel);
      const customer = await s.customers.getCustomer('K1' as CustomerId);
      expect(records).toEqual({
        customer,
        orders: await s.catalogue.ordersOf('K1' as CustomerId),
        ledger: await s.ledger.historyOf('K1' as CustomerId),
        suppressions:
          channel === 'email'
            ? await s.suppressions.forAddress('email', 'k1@example.fi')
            : channel === 'post'
              ? await s.suppressions.forAddress('post', 'mannerheimintie 1|00100')
              : [],
      });
      expect(records?.orders.length).toBe(1);
    }
    expect((await s.decisionRecords.recordsFor('K1' as CustomerId, 'email'))?.suppressions).toHaveLength(1);
    expect((await s.decisionRecords.recordsFor('K1' as CustomerId, 'post'))?.suppressions).toHaveLength(1);
    expect(await s.decisionRecords.recordsFor('nobody' as CustomerId, 'email')).toBeNull();
    // 'every': the same records, with the suppressions of the customer's address on each channel.
    const every = await s.decisionRecords.recordsFor('K1' as CustomerId, 'every');
    const email = await s.decisionRecords.recordsFor('K1' as CustomerId, 'email');
    const post = await s.decisionRecords.recordsFor('K1' as CustomerId, 'post');
    expect({ ...every, suppressions: [] }).toEqual({ ...email, suppressions: [] });
    expect(every?.suppressions.filter((x) => x.channel === 'email')).toEqual(email?.suppressions);
    expect(every?.suppressions.filter((x) => x.channel === 'post')).toEqual(post?.suppressions);
    expect(every?.suppressions).toHaveLength(2);
    expect(await s.decisionRecords.recordsFor('nobody' as CustomerId, 'every')).toBeNull();
  });

  it('reads the product asked about with the records: null when none is asked, undefined when the SKU is unknown', async () => {
    const s = ctx.app.stores;
    const product = (await s.catalogue.listProducts())[0];
    expect(product).toBeDefined();
    const sku = product?.sku ?? ('none' as Sku);
    const records = await s.decisionRecords.recordsFor('K1' as CustomerId, 'email');
    expect(await s.decisionRecords.recordsAndProduct('K1' as CustomerId, 'email', sku)).toEqual({ records, product: await s.catalogue.getProduct(sku) });
    expect(await s.decisionRecords.recordsAndProduct('K1' as CustomerId, 'email', null)).toEqual({ records, product: null });
    expect(await s.decisionRecords.recordsAndProduct('K1' as CustomerId, 'email', 'NO-SUCH-SKU' as Sku)).toEqual({ records, product: undefined });
    expect(await s.decisionRecords.recordsAndProduct('nobody' as CustomerId, 'email', sku)).toEqual({ records: null, product: await s.catalogue.getProduct(sku) });
  });

  it('narrows an audience by attribute, product, category and order date', async () => {
    const deps = { ...ctx.app.stores, settings: ctx.app.settings };
    const base = { purpose: 'service' as const, channel: 'email' as const, sku: null, at: '2025-01-01T00:00:00.000Z' as Instant };
    const count = async (filter: AudienceFilter): Promise<number> => (await audienceCounts(deps, { ...base, filter })).evaluated;
    expect(await count({})).toBe(2);
    expect(await count({ attribute: { name: 'locale', value: 'sv' } })).toBe(1);
    expect(await count({ attribute: { name: 'city', value: 'Helsinki' } })).toBe(1);
    expect(await count({ postalCodePrefixes: ['6'] })).toBe(1);
    expect(await count({ postalCodePrefixes: ['001'] })).toBe(1);
    expect(await count({ postalCodePrefixes: ['9'] })).toBe(0);
    // Several areas: a customer in any of them, once even where the areas overlap.
    expect(await count({ postalCodePrefixes: ['001', '65'] })).toBe(2);
    expect(await count({ postalCodePrefixes: ['9', '65'] })).toBe(1);
    expect(await count({ postalCodePrefixes: ['0', '00', '001'] })).toBe(1);
    expect(await count({ postalCodePrefixes: ['001', '65'], attribute: { name: 'locale', value: 'sv' } })).toBe(1);
    expect(await count({ postalCodePrefixes: [] })).toBe(0);
    expect(await count({ orderedSku: 'HS-7' as Sku })).toBe(1);
    expect(await count({ orderedCategory: 'daily' })).toBe(1);
    expect(await count({ orderedCategory: 'magazine' })).toBe(0);
    expect(await count({ orderedSince: T1 })).toBe(0);
    expect(await count({ orderedSince: T0 })).toBe(1);
    // An order that starts after the decision time does not count yet.
    expect((await audienceCounts(deps, { ...base, at: '2023-01-01T00:00:00.000Z' as Instant, filter: { orderedSku: 'HS-7' as Sku } })).evaluated).toBe(0);
  });
});
