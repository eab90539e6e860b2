/**
 * Remarketing lists over HTTP on both stores: the marketer creates and refreshes, the analyst reads
 * sizes (rounded, as for every role that may not read customer records), an agent reads nothing;
 * the browser's question answers a consented visitor's lists (CORS for the sites only), nothing
 * without a visitor id or for a visitor who finished the order, and nothing at once for a signed-in
 * visitor whose ledger withdrew site_ads; the next refresh leaves them out of the size too.
 */
import { beforeAll, expect, it } from 'vitest';
import type { CustomerId, Instant } from '../core/records.ts';
import { describeEachStore } from '../../test/support/stores.ts';
import { json, useClient } from './testing.ts';

const T0 = '2026-11-20T10:00:00.000Z' as Instant;
let clock = T0;
const SITE = 'uutisvirta.fi';
const visitor = (i: number) => `vis_rmh_${String(i).padStart(12, '0')}`;

describeEachStore(
  'remarketing list routes',
  (ctx) => {
    const client = useClient(ctx);
    let listId = 0;
    const events = (body: unknown) => client.server.inject({ method: 'POST', url: '/v1/events', headers: { 'content-type': 'text/plain;charset=UTF-8' }, payload: JSON.stringify(body) });
    const consented = (v: string, list: unknown[]) => events({ site: SITE, consent: { site_ads: true }, visitorId: v, events: list });
    const ask = (query: string, origin?: string) => client.server.inject({ method: 'GET', url: `/v1/remarketing/lists${query}`, headers: origin === undefined ? {} : { origin } });
    const started = { type: 'track', name: 'subscription_started', page: '/tilaa' };

    beforeAll(async () => {
      clock = T0; // each store's suite starts at the same time
      await ctx.app.stores.customers.insertCustomer({ id: 'RMH1' as CustomerId, kind: 'person', name: 'Reader', emails: ['rmh1@example.fi'], phones: [], address: null, locale: 'fi', createdAt: T0, updatedAt: T0 });
      const { token } = json<{ token: string }>(await client.post('/v1/sites/identify-tokens', { customerId: 'RMH1' }, 'agent'));
      for (let i = 0; i < 7; i++) expect((await consented(visitor(i), [started])).statusCode).toBe(200);
      expect(json(await consented(visitor(1), [{ type: 'identify', token, customerId: 'RMH1' }]))).toMatchObject({ identified: 1 });
      // Without consent: counted only, under no visitor.
      expect(json(await events({ site: SITE, consent: { site_ads: false }, events: [started, started] }))).toMatchObject({ counted: 2 });
      clock = '2026-11-20T10:05:00.000Z' as Instant;
      await consented(visitor(6), [{ type: 'track', name: 'subscription_completed', page: '/tilaa/kiitos' }]);
      clock = '2026-11-20T11:00:00.000Z' as Instant;
    });

    it('lets the marketer create a list, with its size rounded for them, and refused to the analyst and the agent', async () => {
      const body = { name: 'tilaus-kesken', event: 'subscription_started', withinDays: 30, pagePrefix: '/tilaa', notFollowedBy: 'subscription_completed', site: SITE };
      expect((await client.post('/v1/remarketing-lists', body, 'analyst')).statusCode).toBe(403);
      const created = await client.post('/v1/remarketing-lists', body, 'marketer');
      expect(created.statusCode).toBe(201);
      // Six visitors started and did not finish: shown as 5 to a role that may not read customer records.
      expect(json(created)).toMatchObject({ name: 'tilaus-kesken', members: 5, roundedTo: 5, refreshedAt: clock });
      listId = json<{ id: number }>(created).id;
      expect(json(await client.get(`/v1/remarketing-lists/${listId}`, 'admin'))).toMatchObject({ members: 6 });
      expect(json(await client.get('/v1/remarketing-lists', 'analyst'))).toMatchObject({ lists: [{ id: listId, members: 5, roundedTo: 5 }] });
      expect((await client.get('/v1/remarketing-lists', 'agent')).statusCode).toBe(403);
      expect(json(await client.post('/v1/remarketing-lists', body, 'marketer'))).toMatchObject({ error: 'REMARKETING_LIST_EXISTS' });
      expect(json(await client.post('/v1/remarketing-lists', { ...body, name: 'x', withinDays: 0 }, 'marketer'))).toMatchObject({ error: 'VALIDATION_FAILED', field: 'withinDays' });
    });

    it("answers the browser a consented visitor's lists, and nothing without a visitor or after the order was finished", async () => {
      const res = await ask(`?visitor=${visitor(0)}&site=${SITE}`, 'https://www.uutisvirta.fi');
      expect([res.statusCode, res.headers['access-control-allow-origin'], res.headers['cache-control']]).toEqual([200, 'https://www.uutisvirta.fi', 'no-store']);
      expect(json(res)).toEqual({ lists: [{ id: listId, name: 'tilaus-kesken' }] });
      expect(json(await ask(''))).toEqual({ lists: [] });
      expect(json(await ask(`?visitor=${visitor(6)}`))).toEqual({ lists: [] });
      expect(json(await ask('?visitor=vis_never_seen_000000'))).toEqual({ lists: [] });
      expect((await ask(`?visitor=${visitor(0)}`, 'https://evil.example')).statusCode).toBe(403);
    });

    it("leaves a signed-in visitor out at once when their ledger withdraws site_ads, and out of the size at the next refresh", async () => {
      expect(json(await ask(`?visitor=${visitor(1)}`)).lists).toHaveLength(1);
      await client.post('/v1/customers/RMH1/ledger', { kind: 'consent', purpose: 'site_ads', channel: 'web', value: 'withdrawn', source: 'preference_page' }, 'agent');
      expect(json(await ask(`?visitor=${visitor(1)}`))).toEqual({ lists: [] });
      clock = '2026-11-20T11:05:00.000Z' as Instant;
      expect(json(await client.post(`/v1/remarketing-lists/${listId}/refresh`, {}, 'admin'))).toMatchObject({ listId, members: 5 });
      expect((await client.post(`/v1/remarketing-lists/${listId}/refresh`, {}, 'analyst')).statusCode).toBe(403);
    });

    it('removes a list: the browser stops seeing it', async () => {
      const res = await client.server.inject({ method: 'DELETE', url: `/v1/remarketing-lists/${listId}`, headers: { authorization: `Bearer ${client.keys.marketer}` } });
      expect(res.statusCode).toBe(204);
      expect(json(await ask(`?visitor=${visitor(0)}`))).toEqual({ lists: [] });
      expect((await client.get(`/v1/remarketing-lists/${listId}`, 'admin')).statusCode).toBe(404);
    });
  },
  { now: () => clock, env: { LUPA_SITE_ORIGINS: 'https://www.uutisvirta.fi' } },
);
