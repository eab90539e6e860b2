import { beforeAll, expect, it } from 'vitest';
import { describeEachStore } from '../../test/support/stores.ts';
import type { CustomerId, Instant, OrderId, Sku } from '../core/records.ts';
import { json, useClient } from './testing.ts';

const NOW = '2026-01-15T10:00:00.000Z' as Instant;
const address = { street: 'Testikatu 1', postalCode: '99990', city: 'Testilä' };
const audienceUrl = (q: Record<string, string>): string => `/v1/audience?${new URLSearchParams({ purpose: 'marketing', channel: 'email', ...q }).toString()}`;

describeEachStore(
  'audience route',
  (ctx) => {
    const client = useClient(ctx);
    const ids = ['A1', 'A2', 'A3', 'A4', 'A5'];

    beforeAll(async () => {
      const consent = { kind: 'consent', purpose: 'marketing', channel: 'email', value: 'granted', at: '2025-06-01T00:00:00Z', source: 'web_form' };
      const people = [
        { id: 'A1', kind: 'person', email: 'a1@example.fi' }, // consent
        { id: 'A2', kind: 'person', email: 'a2@example.fi' }, // nothing: no legal basis
        { id: 'A3', kind: 'business', email: 'a3@example.fi' }, // business: legitimate interest
        { id: 'A4', kind: 'person', email: 'a4@example.fi' }, // consent, then objected
        { id: 'A5', kind: 'person' }, // no address for e-mail
        { id: 'OUT', kind: 'person', email: 'out@example.fi', address: { ...address, postalCode: '11111' } },
      ];
      for (const p of people) await client.post('/v1/customers', { name: `Asiakas ${p.id}`, address, ...p });
      for (const id of ['A1', 'A4', 'OUT']) await client.post(`/v1/customers/${id}/ledger`, consent);
      await client.post('/v1/customers/A4/ledger', { kind: 'objection', scope: 'direct_marketing', at: '2025-08-01T00:00:00Z', source: 'call' });
      await ctx.app.stores.catalogue.upsertProduct({ sku: 'HS-DIGI' as Sku, name: 'HS Digi', brand: 'HS', category: 'daily' });
      await ctx.app.stores.catalogue.upsertOrder({
        id: 'O1' as OrderId,
        customerId: 'A2' as CustomerId,
        sku: 'HS-DIGI' as Sku,
        startedAt: '2025-01-01T00:00:00.000Z' as Instant,
        endedAt: null,
        soldVia: 'web',
        optOutOffered: true,
      });
    });

    it('counts a small audience by basis and by blocking reason', async () => {
      const res = await client.get(audienceUrl({ postalCode: '99990' }), 'dpo');
      expect(res.statusCode).toBe(200);
      expect(json(res)).toEqual({
        evaluated: 5,
        allowed: 2,
        byBasis: { consent: 1, legitimate_interest: 1 },
        blocked: { NO_LEGAL_BASIS: 2, OBJECTED: 1, NO_ADDRESS: 1 },
        asOf: NOW,
      });
    });

    it('agrees with decide for each customer', async () => {
      const counts = json<{ allowed: number }>(await client.get(audienceUrl({ postalCode: '99990', product: 'HS-DIGI' }), 'dpo'));
      let allowed = 0;
      for (const customer of ids) {
        const decision = json<{ allowed: boolean }>(await client.get(`/v1/decide?customer=${customer}&purpose=marketing&channel=email&product=HS-DIGI`, 'marketer'));
        if (decision.allowed) allowed++;
      }
      // A2's live order with an opt-out offered gives soft opt-in once a similar product is marketed.
      expect(counts.allowed).toBe(3);
      expect(allowed).toBe(counts.allowed);
    });

    it('replays the counts as of an earlier time', async () => {
      const res = json(await client.get(audienceUrl({ postalCode: '99990', at: '2025-05-01' })));
      expect(res).toMatchObject({ allowed: 1, byBasis: { legitimate_interest: 1 }, asOf: '2025-05-01T00:00:00.000Z' });
    });

    it('filters on orders', async () => {
      const res = json(await client.get(audienceUrl({ orderedCategory: 'daily' })));
      expect(res).toMatchObject({ evaluated: 1, allowed: 0, blocked: { NO_LEGAL_BASIS: 1 } });
    });

    it('counts several postcode areas, the parameter repeated or as a comma list, and names it when one is not digits', async () => {
      const evaluated = async (query: string) => json<{ evaluated: number }>(await client.get(`/v1/audience?purpose=service&channel=email&${query}`)).evaluated;
      expect(await evaluated('postalCodePrefix=999')).toBe(5);
      expect(await evaluated('postalCodePrefix=999&postalCodePrefix=111')).toBe(6);
      expect(await evaluated('postalCodePrefix=999,111')).toBe(6);
      expect(await evaluated('postalCodePrefix=111&postalCode=99990')).toBe(0);
      const bad = await client.get('/v1/audience?purpose=service&channel=email&postalCodePrefix=99,9%25');
      expect(bad.statusCode).toBe(400);
      expect(json(bad)).toMatchObject({ error: 'VALIDATION_FAILED', field: 'postalCodePrefix' });
    });

    it('takes one customer attribute at a time, naming the extra one', async () => {
      const res = await client.get(audienceUrl({ kind: 'person', postalCode: '99990' }));
      expect(res.statusCode).toBe(400);
      expect(json(res)).toMatchObject({ error: 'VALIDATION_FAILED', field: 'postalCode' });
    });

    it('names the field for unknown purpose, channel, product and malformed dates', async () => {
      expect(json(await client.get(audienceUrl({ purpose: 'spam' })))).toMatchObject({ error: 'UNKNOWN_PURPOSE', field: 'purpose' });
      expect(json(await client.get(audienceUrl({ channel: 'fax' })))).toMatchObject({ error: 'UNKNOWN_CHANNEL', field: 'channel' });
      expect(json(await client.get(audienceUrl({ product: 'NOPE' })))).toMatchObject({ error: 'UNKNOWN_PRODUCT', field: 'product' });
      expect(json(await client.get(audienceUrl({ orderedSince: '1.1.2025' })))).toMatchObject({ error: 'INVALID_DATE', field: 'orderedSince' });
    });

    it('shows no group smaller than five to a role that may not read customer records', async () => {
      // Five customers: the total may be shown, the cells of one or two people may not.
      const five = json<{ evaluated: number | null; allowed: number | null; blocked: Record<string, number | null>; suppressedBelow?: number }>(
        await client.get(audienceUrl({ postalCode: '99990' }), 'analyst'),
      );
      expect(five.evaluated).toBe(5);
      expect(five.suppressedBelow).toBe(5);
      expect(five.allowed).toBeNull();
      expect(Object.values(five.blocked).every((n) => n === null || n >= 5)).toBe(true);
      // One customer (the postcode 11111 and a product filter): nothing about that person at all.
      const one = json<{ evaluated: number | null; byBasis: object; blocked: object; suppressedBelow?: number }>(await client.get(audienceUrl({ postalCode: '11111' }), 'marketer'));
      expect(one).toMatchObject({ evaluated: null, allowed: null, byBasis: {}, blocked: {}, suppressedBelow: 5 });
      // Whoever may read the records anyway sees the exact numbers.
      expect(json(await client.get(audienceUrl({ postalCode: '11111' }), 'dpo'))).toMatchObject({ evaluated: 1, allowed: 1 });
    });

    it('is refused to an agent', async () => {
      expect((await client.get(audienceUrl({ postalCode: '99990' }), 'agent')).statusCode).toBe(403);
    });
  },
  { now: () => NOW },
);
