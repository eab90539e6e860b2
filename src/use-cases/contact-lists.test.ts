/** Call lists, print files and call outcomes: only who the ledger allows, every listed customer audited. */
import { expect, it } from 'vitest';
import type { Customer, CustomerId, Instant } from '../core/records.ts';
import { buildServer } from '../http/server.ts';
import { describeEachStore } from '../../test/support/stores.ts';
import { createApiKey } from './api-keys.ts';
import { callList, printList, type CallListRow, type PrintRow } from './contact-lists.ts';

const T0 = '2025-01-01T00:00:00.000Z' as Instant;
// A Tuesday at 10:00 Helsinki time, and a Sunday.
const TUESDAY = '2025-03-11T08:00:00.000Z' as Instant;
const SUNDAY = '2025-03-16T08:00:00.000Z' as Instant;

const person = (id: string, phone: string | null, street: string | null): Customer => ({
  id: id as CustomerId,
  kind: 'person',
  name: `Henkilö ${id}`,
  emails: [],
  phones: phone === null ? [] : [phone],
  address: street === null ? null : { street, postalCode: '33100', city: 'Tampere', country: 'FI' },
  locale: 'fi',
  createdAt: T0,
  updatedAt: T0,
});

describeEachStore('contact lists', (ctx) => {
  const actor = { actor: 'cli:test', role: 'admin' };
  const collect = async <T>(rows: AsyncIterable<T>): Promise<T[]> => {
    const out: T[] = [];
    for await (const row of rows) out.push(row);
    return out;
  };
  const deps = () => ({ ...ctx.app.stores, settings: ctx.app.settings });

  it('lists for calls only those phone marketing may reach, and says when a call would be in quiet hours', async () => {
    const s = ctx.app.stores;
    await s.customers.insertCustomer(person('L1', '+358401000001', 'Hämeenkatu 1'));
    await s.customers.insertCustomer(person('L2', '+358401000002', 'Hämeenkatu 2')); // Robinson (phone) and Posti-Robinson
    await s.customers.insertCustomer(person('L3', '+358401000003', null)); // opted out of calls
    await s.customers.insertCustomer(person('L4', null, 'Hämeenkatu 4')); // no phone
    await s.suppressions.add({ channel: 'phone', address: '+358401000002', reason: 'robinson', at: T0, validUntil: null, source: 'asml' });
    await s.suppressions.add({ channel: 'post', address: 'hämeenkatu 2|33100', reason: 'robinson', at: T0, validUntil: null, source: 'posti' });
    await s.ledger.append([{ kind: 'consent', customerId: 'L3' as CustomerId, purpose: 'marketing', channel: 'phone', value: 'withdrawn', at: T0, source: 'call', noticeVersion: null, noticeLocale: null, evidenceRef: null }]);

    const weekday = await collect<CallListRow>(callList(deps(), { sku: null, at: TUESDAY, filter: {}, actor }));
    expect(weekday).toEqual([{ customerId: 'L1', name: 'Henkilö L1', phone: '+358401000001', locale: 'fi', basis: 'legitimate_interest', callableNow: true, quietReason: '' }]);
    const sunday = await collect<CallListRow>(callList(deps(), { sku: null, at: SUNDAY, filter: {}, actor }));
    expect(sunday.map((r) => [r.customerId, r.callableNow, r.quietReason])).toEqual([['L1', false, 'SUNDAY']]);
    expect((await s.audit.forCustomer('L1' as CustomerId)).map((e) => e.action)).toEqual(['export.phone_list', 'export.phone_list']);
  });

  it('makes print files with the postal addresses post marketing may reach', async () => {
    const rows = await collect<PrintRow>(printList(deps(), { sku: null, at: TUESDAY, filter: {}, actor }));
    expect(rows.map((r) => [r.customerId, r.street])).toEqual([
      ['L1', 'Hämeenkatu 1'],
      ['L4', 'Hämeenkatu 4'],
    ]);
  });

  it('narrows call lists and print files to several postcode areas', async () => {
    const inArea = (id: string, postalCode: string): Customer => {
      const p = person(id, null, `Kauppakatu ${id}`);
      return { ...p, address: p.address === null ? null : { ...p.address, postalCode } };
    };
    await ctx.app.stores.customers.insertCustomer(inArea('L5', '34100'));
    await ctx.app.stores.customers.insertCustomer(inArea('L6', '00100'));
    const printed = async (postalCodePrefixes: string[]) => (await collect<PrintRow>(printList(deps(), { sku: null, at: TUESDAY, filter: { postalCodePrefixes }, actor }))).map((r) => r.customerId);
    expect(await printed(['33', '34'])).toEqual(['L1', 'L4', 'L5']);
    expect(await printed(['34', '00'])).toEqual(['L5', 'L6']);
    const called = async (postalCodePrefixes: string[]) => (await collect<CallListRow>(callList(deps(), { sku: null, at: TUESDAY, filter: { postalCodePrefixes }, actor }))).map((r) => r.customerId);
    expect(await called(['34', '00'])).toEqual([]);
    expect(await called(['00', '33'])).toEqual(['L1']);
  });

  it('takes "don’t call me" from an agent during a call as an opt-out: the next call list leaves the person out', async () => {
    const server = await buildServer(ctx.app);
    const { key } = await createApiKey({ apiKeys: ctx.app.stores.apiKeys, now: ctx.app.now }, { name: 'agent', role: 'agent' });
    const post = (id: string, payload: object) => server.inject({ method: 'POST', url: `/v1/customers/${id}/call-outcomes`, headers: { authorization: `Bearer ${key}` }, payload });
    expect((await post('L1', { outcome: 'answered' })).json()).toEqual({ optedOut: false });
    expect((await post('L404', { outcome: 'do_not_call' })).statusCode).toBe(404);
    expect((await post('L1', { outcome: 'do_not_call', callId: 'c-77' })).json()).toEqual({ optedOut: true });
    expect(await collect(callList(deps(), { sku: null, at: ctx.app.now(), filter: {}, actor }))).toEqual([]);
    expect((await ctx.app.stores.ledger.historyOf('L1' as CustomerId)).at(-1)).toMatchObject({ channel: 'phone', value: 'withdrawn', source: 'call', evidenceRef: 'call:c-77' });
    await server.close();
  });
});
