/**
 * `/v1/ad-audiences` on both stores: a marketer creates and syncs (to the Meta stand-in), an analyst
 * and the DPO read, an analyst may not create or sync, an agent sees nothing; no answer carries an
 * identifier, in clear or hashed; small counts are hidden from a role that may not read customers.
 */
import { afterAll, expect, it } from 'vitest';
import type { CustomerId, Instant } from '../core/records.ts';
import { hashIdentifiers } from '../use-cases/ad-audiences/hashed-identifiers.ts';
import { startMetaStandIn } from '../../test/support/ad-platform-stand-ins.ts';
import { describeEachStore } from '../../test/support/stores.ts';
import { useClient } from './testing.ts';

const meta = await startMetaStandIn('http-token');
afterAll(() => meta.close());

const AT = '2026-05-01T00:00:00.000Z' as Instant;

describeEachStore(
  'ad audience routes',
  (ctx) => {
    const client = useClient(ctx);

    it('lets a marketer create and sync, others read by role, and never answers an identifier', async () => {
      const app = ctx.app;
      for (const [i, email] of ['aino@example.fi', 'eero@example.fi'].entries()) {
        const id = `H${i}` as CustomerId;
        await app.stores.customers.insertCustomer({ id, kind: 'person', name: id, emails: [email], phones: ['+358401234567'.replace('7', String(i))], address: null, locale: 'fi', createdAt: AT, updatedAt: AT });
        await app.stores.ledger.append([{ kind: 'consent', customerId: id, purpose: 'ad_audience', channel: null, value: 'granted', at: AT, source: 'test', noticeVersion: null, noticeLocale: null, evidenceRef: null }]);
      }
      expect((await client.post('/v1/ad-audiences', { name: 'Kaikki', platform: 'meta', externalId: '777' }, 'analyst')).statusCode).toBe(403);
      const created = await client.post('/v1/ad-audiences', { name: 'Kaikki', platform: 'meta', externalId: '777' }, 'marketer');
      expect(created.statusCode).toBe(201);
      const id = created.json<{ id: number }>().id;
      expect((await client.post('/v1/ad-audiences', { name: 'Kaikki', platform: 'meta', externalId: '778' }, 'marketer')).json<{ error: string }>().error).toBe('AD_AUDIENCE_EXISTS');
      expect((await client.post('/v1/ad-audiences', { name: 'X', platform: 'meta', externalId: 'abc' }, 'marketer')).statusCode).toBe(400);

      expect((await client.post(`/v1/ad-audiences/${id}/sync`, undefined, 'analyst')).statusCode).toBe(403);
      const sync = await client.post(`/v1/ad-audiences/${id}/sync`, undefined, 'marketer');
      expect(sync.statusCode).toBe(200);
      // A marketer may not read customer records: 2 eligible is under LUPA_MIN_GROUP_SIZE (5), so hidden.
      expect(sync.json()).toMatchObject({ status: 'succeeded', eligible: null, suppressedBelow: 5, added: 4, removed: 0 });
      expect(meta.members('777').size).toBe(4);

      const forDpo = await client.get(`/v1/ad-audiences/${id}`, 'dpo');
      expect(forDpo.statusCode).toBe(200);
      expect(forDpo.json()).toMatchObject({ audience: { identifiers: 4, lastSync: { added: 4 } }, syncs: [{ status: 'succeeded' }] });
      expect(forDpo.json()).toMatchObject({ audience: { lastSync: { eligible: 2 } } });
      expect(forDpo.json<{ audience: { lastSync: Record<string, unknown> } }>().audience.lastSync).not.toHaveProperty('suppressedBelow');
      // The preview says why its counts are null, as the segment and remarketing answers do.
      expect((await client.get('/v1/ad-audiences/preview', 'marketer')).json()).toMatchObject({ eligible: null, suppressedBelow: 5 });
      const forAnalyst = await client.get('/v1/ad-audiences', 'analyst');
      expect(forAnalyst.json()).toMatchObject({ audiences: [{ identifiers: null, lastSync: { eligible: null, added: 4 } }] });
      expect((await client.get('/v1/ad-audiences', 'agent')).statusCode).toBe(403);
      expect((await client.get('/v1/ad-audiences/preview?city=Nowhere', 'marketer')).json()).toEqual({ eligible: 0, blocked: {} });

      const hashes = hashIdentifiers('meta', { email: 'aino@example.fi', country: 'FI' });
      for (const res of [created, sync, forDpo, forAnalyst]) {
        expect(res.body).not.toContain('aino@example.fi');
        expect(res.body).not.toContain(hashes.email);
        expect(res.body).not.toMatch(/[0-9a-f]{64}/);
      }
    });

    it('tells a role that may not read customers nothing of a small selection: one without consent reads as one with it', async () => {
      const app = ctx.app;
      for (const [id, city, consents] of [['S1', 'Uleåborg', false], ['S2', 'Uusikaarlepyy', true]] as const) {
        await app.stores.customers.insertCustomer({ id: id as CustomerId, kind: 'person', name: id, emails: [`${id.toLowerCase()}@example.fi`], phones: [], address: { street: 'Katu 1', postalCode: '90100', city, country: 'FI' }, locale: 'fi', createdAt: AT, updatedAt: AT });
        if (consents) await app.stores.ledger.append([{ kind: 'consent', customerId: id as CustomerId, purpose: 'ad_audience', channel: null, value: 'granted', at: AT, source: 'test', noticeVersion: null, noticeLocale: null, evidenceRef: null }]);
      }
      const withheld = { eligible: null, blocked: {}, suppressedBelow: 5 };
      // Before, the first answered {eligible: 0, blocked: {NO_LEGAL_BASIS: null}} and the second {eligible: null, blocked: {}}.
      expect((await client.get('/v1/ad-audiences/preview?city=Uleåborg', 'marketer')).json()).toEqual(withheld);
      expect((await client.get('/v1/ad-audiences/preview?city=Uusikaarlepyy', 'marketer')).json()).toEqual(withheld);
      expect((await client.get('/v1/ad-audiences/preview?city=Uleåborg', 'dpo')).json()).toEqual({ eligible: 0, blocked: { NO_LEGAL_BASIS: 1 } });
      for (const [city, externalId] of [['Uleåborg', '901'], ['Uusikaarlepyy', '902']] as const) {
        const created = await client.post('/v1/ad-audiences', { name: city, platform: 'meta', externalId, city }, 'marketer');
        expect(created.statusCode).toBe(201);
        const sync = await client.post(`/v1/ad-audiences/${created.json<{ id: number }>().id}/sync`, undefined, 'marketer');
        expect(sync.json()).toMatchObject({ status: 'succeeded', ...withheld });
      }
    });
  },
  { now: () => AT, env: { LUPA_META_API_URL: meta.url, LUPA_META_ACCESS_TOKEN: 'http-token' } },
);
