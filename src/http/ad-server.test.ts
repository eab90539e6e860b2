/**
 * `GET /v1/ad-server/segments` on both stores: the ad server's token, never an API key; a signed-in
 * visitor's offered segments, nothing for a visitor who never signed in; a withdrawal of site_ads or
 * an objection in the customer's ledger empties the answer at once; a segment withdrawn from
 * advertisers leaves the answer; unset, the route says it is not set up.
 */
import { beforeAll, expect, it } from 'vitest';
import type { CustomerId, Instant } from '../core/records.ts';
import { describeEachStore } from '../../test/support/stores.ts';
import { json, useClient } from './testing.ts';

const TOKEN = 'ad-server-token-0123456789abcdef0123456789';
const NOW = '2026-11-20T10:00:00.000Z' as Instant;

describeEachStore(
  'the ad server asking for a visitor',
  (ctx) => {
    const client = useClient(ctx);
    let oulu = 0;
    let everyone = 0;
    const ask = (visitor: string, token = TOKEN) => client.server.inject({ method: 'GET', url: `/v1/ad-server/segments?visitor=${encodeURIComponent(visitor)}`, headers: { authorization: `Bearer ${token}` } });
    const events = (body: unknown) => client.server.inject({ method: 'POST', url: '/v1/events', headers: { 'content-type': 'text/plain;charset=UTF-8' }, payload: JSON.stringify(body) });
    /** The visitor signs in on the site as the customer (lupa.identify with a token from the site's back end). */
    const signIn = async (visitor: string, customerId: string) => {
      const { token } = json<{ token: string }>(await client.post('/v1/sites/identify-tokens', { customerId }, 'agent'));
      const res = await events({ site: 'uutisvirta.fi', consent: { site_ads: true }, visitorId: visitor, events: [{ type: 'identify', token, customerId }] });
      expect(json(res)).toMatchObject({ identified: 1 });
    };

    beforeAll(async () => {
      const s = ctx.app.stores;
      for (let i = 0; i < 6; i++) {
        await s.customers.insertCustomer({ id: `AD${i}` as CustomerId, kind: 'person', name: `Reader ${i}`, emails: [`ad${i}@example.fi`], phones: [], address: { street: 'Katu 1', postalCode: '90100', city: i < 4 ? 'Oulu' : 'Kemi', country: 'FI' }, locale: 'fi', createdAt: NOW, updatedAt: NOW });
      }
      const segment = async (name: string, rule: object) => {
        const id = json<{ id: number }>(await client.post('/v1/segments', { name, rule }, 'marketer')).id;
        await client.post(`/v1/segments/${id}/refresh`, {}, 'marketer');
        return id;
      };
      oulu = await segment('Oulu', { attribute: 'city', equals: 'Oulu' });
      everyone = await segment('Everyone', { not: { attribute: 'city', equals: 'Nowhere' } });
      await segment('Not offered', { attribute: 'city', equals: 'Oulu' });
      for (const [id, name] of [[oulu, 'Northern readers'], [everyone, 'All readers']] as const) {
        await client.server.inject({ method: 'PUT', url: `/v1/advertiser-segments/${id}`, headers: { authorization: `Bearer ${client.keys.marketer}` }, payload: { name, description: name } });
      }
      await signIn('vis_ad_0000000000000001', 'AD1');
      await signIn('vis_ad_0000000000000005', 'AD5');
      await signIn('vis_ad_0000000000000002', 'AD2');
      await signIn('vis_ad_0000000000000003', 'AD3');
    });

    it("answers a signed-in visitor's offered segments, and nothing for one who never signed in", async () => {
      const res = await ask('vis_ad_0000000000000001');
      expect(res.statusCode).toBe(200);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(json(res)).toEqual({ segments: [oulu, everyone].sort((a, b) => a - b) });
      expect(json(await ask('vis_ad_0000000000000005'))).toEqual({ segments: [everyone] });
      expect(json(await ask('vis_never_signed_in_000'))).toEqual({ segments: [] });
    });

    it('takes the ad server token only: no token, a wrong one or an API key is refused', async () => {
      expect((await client.server.inject({ method: 'GET', url: '/v1/ad-server/segments?visitor=x' })).statusCode).toBe(401);
      expect((await ask('vis_ad_0000000000000001', `${TOKEN}x`)).statusCode).toBe(401);
      expect((await ask('vis_ad_0000000000000001', client.keys.admin)).statusCode).toBe(401);
      expect(json(await client.server.inject({ method: 'GET', url: '/v1/ad-server/segments', headers: { authorization: `Bearer ${TOKEN}` } }))).toMatchObject({ error: 'VALIDATION_FAILED', field: 'visitor' });
    });

    it('answers nothing once the ledger says no: a site_ads withdrawal, an objection to profiling', async () => {
      await client.post('/v1/customers/AD2/ledger', { kind: 'consent', purpose: 'site_ads', channel: 'web', value: 'withdrawn', source: 'preference_page' }, 'agent');
      expect(json(await ask('vis_ad_0000000000000002'))).toEqual({ segments: [] });
      await client.post('/v1/customers/AD3/ledger', { kind: 'objection', scope: 'profiling', source: 'letter' }, 'dpo');
      expect(json(await ask('vis_ad_0000000000000003'))).toEqual({ segments: [] });
      // The others are untouched.
      expect(json(await ask('vis_ad_0000000000000001')).segments).toHaveLength(2);
    });

    it('leaves a segment out as soon as it is withdrawn from advertisers', async () => {
      await client.server.inject({ method: 'DELETE', url: `/v1/advertiser-segments/${oulu}`, headers: { authorization: `Bearer ${client.keys.marketer}` } });
      expect(json(await ask('vis_ad_0000000000000001'))).toEqual({ segments: [everyone] });
    });
  },
  { now: () => NOW, env: { LUPA_AD_SERVER_TOKEN: TOKEN } },
);

describeEachStore('the ad server route without its token set', (ctx) => {
  const client = useClient(ctx);
  it('says it is not set up', async () => {
    const res = await client.server.inject({ method: 'GET', url: '/v1/ad-server/segments?visitor=x', headers: { authorization: 'Bearer anything-at-all' } });
    expect(res.statusCode).toBe(503);
    expect(json(res)).toMatchObject({ error: 'AD_SERVER_NOT_CONFIGURED' });
  });
});
