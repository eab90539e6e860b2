/**
 * `POST /v1/events` and `POST /v1/sites/identify-tokens` on both stores: events with site_ads
 * consent are kept per visitor, without it only counted (no row names a visitor); a batch with a
 * fault is refused whole with each fault's index and field; beacons' text/plain bodies are taken;
 * CORS answers the sites' origins only; an identify token for another customer, altered or expired
 * is refused, a valid one stitches the visitor's earlier events to the customer.
 */
import { expect, it } from 'vitest';
import type { CustomerId, Instant } from '../core/records.ts';
import { describeEachStore } from '../../test/support/stores.ts';
import { useClient } from './testing.ts';
import { TokenSigner } from '../security/signed-tokens.ts';

let clock = Date.parse('2026-11-20T10:15:00.000Z');
const now = (): Instant => new Date(clock).toISOString() as Instant;
const VISITOR = 'vis_0123456789abcdef';

describeEachStore(
  'site event routes',
  (ctx) => {
    const client = useClient(ctx);
    const send = (body: unknown, headers: Record<string, string> = {}) =>
      client.server.inject({ method: 'POST', url: '/v1/events', headers: { 'content-type': 'text/plain;charset=UTF-8', ...headers }, payload: JSON.stringify(body) });

    it('keeps consented events per visitor and only counts the rest, with nothing naming a visitor', async () => {
      const app = ctx.app;
      const consented = await send({ site: 'uutisvirta.fi', consent: { site_ads: true }, visitorId: VISITOR, events: [{ type: 'page', page: '/urheilu?email=a@b.fi#x' }, { type: 'track', name: 'subscription_started', page: '/tilaa', props: { product: 'UV-PRINT-7' } }] });
      expect(consented.statusCode).toBe(200);
      expect(consented.json()).toEqual({ stored: 2, counted: 0, identified: 0 });
      const anonymous = await send({ site: 'uutisvirta.fi', consent: { site_ads: false, analytics: true }, events: [{ type: 'page', page: '/urheilu' }, { type: 'page', page: '/urheilu' }, { type: 'track', name: 'ad_view', page: '/', slot: 'top' }] });
      expect(anonymous.json()).toEqual({ stored: 0, counted: 3, identified: 0 });
      const counts = await app.stores.siteEvents.counts({ from: '2026-11-20T00:00:00.000Z' as Instant, to: '2026-11-21T00:00:00.000Z' as Instant });
      expect(counts).toEqual([
        { site: 'uutisvirta.fi', hour: '2026-11-20T10:00:00.000Z', page: '/', slot: 'top', name: 'ad_view', count: 1 },
        { site: 'uutisvirta.fi', hour: '2026-11-20T10:00:00.000Z', page: '/urheilu', slot: '', name: 'page_view', count: 2 },
      ]);
      expect(await app.stores.siteEvents.visitorsWhoDid({ name: 'subscription_started', since: '2026-11-01T00:00:00.000Z' as Instant })).toEqual([VISITOR]);
      expect(await app.stores.siteEvents.visitorsWhoDid({ name: 'page_view', since: '2026-11-01T00:00:00.000Z' as Instant })).toEqual([VISITOR]);
      const consentedCounts = await app.stores.siteEvents.consentedCounts({ from: '2026-11-20T00:00:00.000Z' as Instant, to: '2026-11-21T00:00:00.000Z' as Instant });
      // The query string never reached the store.
      expect(consentedCounts.map((c) => c.page).sort()).toEqual(['/tilaa', '/urheilu']);
    });

    it('refuses a batch with faults whole, naming each by index and field', async () => {
      const res = await send({ site: 'uutisvirta.fi', consent: { site_ads: false }, events: [{ type: 'page', page: '/a' }, { type: 'track', page: '/b' }, { type: 'page' }, { type: 'wave' }] });
      expect(res.statusCode).toBe(400);
      const body = res.json<{ error: string; field: string; details: { errors: { index: number; field: string }[] } }>();
      expect(body.error).toBe('VALIDATION_FAILED');
      expect(body.details.errors.map((e) => [e.index, e.field])).toEqual([[1, 'events.1.name'], [2, 'events.2.page'], [3, 'events.3.type']]);
      expect(body.field).toBe('events.1.name');
      // A page that is no path, and a property holding an e-mail address or a phone number: each named.
      const personal = await send({ site: 'uutisvirta.fi', consent: { site_ads: true }, visitorId: VISITOR, events: [{ type: 'page', page: 'a' }, { type: 'track', name: 'lead', page: '/tilaa', props: { email: 'anna@example.fi' } }, { type: 'page', page: '/b', props: { phone: '040 123 4567' } }] });
      expect(personal.statusCode).toBe(400);
      expect(personal.json<{ details: { errors: { index: number; field: string }[] } }>().details.errors.map((e) => [e.index, e.field])).toEqual([[0, 'events.0.page'], [1, 'events.1.props.email'], [2, 'events.2.props.phone']]);
      const visitorWithoutConsent = await send({ site: 'uutisvirta.fi', consent: { site_ads: false }, visitorId: VISITOR, events: [{ type: 'page', page: '/a' }] });
      expect(visitorWithoutConsent.json<{ field: string }>().field).toBe('visitorId');
      const noVisitor = await send({ site: 'uutisvirta.fi', consent: { site_ads: true }, events: [{ type: 'page', page: '/a' }] });
      expect(noVisitor.json<{ field: string }>().field).toBe('visitorId');
      const notJson = await client.server.inject({ method: 'POST', url: '/v1/events', headers: { 'content-type': 'text/plain' }, payload: '{"site":' });
      expect([notJson.statusCode, notJson.json<{ field: string }>().field]).toEqual([400, 'body']);
      // A beacon's text that escapes a NUL into a page: refused at the edge naming it, as JSON bodies are.
      const nul = await client.server.inject({ method: 'POST', url: '/v1/events', headers: { 'content-type': 'text/plain' }, payload: '{"site":"uutisvirta.fi","consent":{"site_ads":false},"events":[{"type":"page","page":"/a\\u0000"}]}' });
      expect([nul.statusCode, nul.json<{ field: string }>().field]).toEqual([400, 'events[0].page']);
      const counts = await ctx.app.stores.siteEvents.counts({ from: '2026-11-20T00:00:00.000Z' as Instant, to: '2026-11-21T00:00:00.000Z' as Instant });
      expect(counts.find((c) => c.page === '/a')).toBeUndefined();
    });

    it('answers the sites and its own origin, and refuses any other', async () => {
      const ok = { site: 'uutisvirta.fi', consent: { site_ads: false }, events: [{ type: 'page', page: '/' }] };
      const site = await send(ok, { origin: 'https://www.uutisvirta.fi' });
      expect([site.statusCode, site.headers['access-control-allow-origin']]).toEqual([200, 'https://www.uutisvirta.fi']);
      const own = await send(ok, { origin: new URL(ctx.app.publicUrl).origin });
      expect(own.statusCode).toBe(200);
      const other = await send(ok, { origin: 'https://evil.example' });
      expect([other.statusCode, other.headers['access-control-allow-origin']]).toEqual([403, undefined]);
      const preflight = await client.server.inject({ method: 'OPTIONS', url: '/v1/events', headers: { origin: 'https://www.uutisvirta.fi', 'access-control-request-method': 'POST' } });
      expect([preflight.statusCode, preflight.headers['access-control-allow-methods']]).toEqual([204, 'POST']);
    });

    it('stitches a visitor to the customer a valid token names, and refuses a token for another customer, altered or expired', async () => {
      const app = ctx.app;
      for (const id of ['K1', 'K2'] as CustomerId[]) {
        await app.stores.customers.insertCustomer({ id, kind: 'person', name: id, emails: [], phones: [], address: null, locale: 'fi', createdAt: now(), updatedAt: now() });
      }
      const visitor = 'vis_stitch_000000000001';
      await send({ site: 'uutisvirta.fi', consent: { site_ads: true }, visitorId: visitor, events: [{ type: 'page', page: '/ennen' }] });
      expect((await client.post('/v1/sites/identify-tokens', { customerId: 'K1' }, 'analyst')).statusCode).toBe(403);
      expect((await client.post('/v1/sites/identify-tokens', { customerId: 'NOPE' }, 'agent')).json<{ error: string }>().error).toBe('UNKNOWN_CUSTOMER');
      const issued = await client.post('/v1/sites/identify-tokens', { customerId: 'K1' }, 'agent');
      expect(issued.statusCode).toBe(201);
      const { token, expiresAt } = issued.json<{ token: string; expiresAt: string }>();
      expect(Date.parse(expiresAt) - clock).toBe(300_000 - (clock % 1000));
      const identify = (t: string, extra: Record<string, string> = {}) => send({ site: 'uutisvirta.fi', consent: { site_ads: true }, visitorId: visitor, events: [{ type: 'identify', token: t, ...extra }] });

      const claimedOther = await identify(token, { customerId: 'K2' });
      expect(claimedOther.json<{ details: { errors: { field: string; message: string }[] } }>().details.errors).toEqual([{ index: 0, field: 'events.0.token', message: expect.stringContaining('another customer') }]);
      // The token names no customer readably, and a byte changed (or one made with another key) is refused.
      expect(Buffer.from(token, 'base64url').toString('latin1')).not.toContain('K1');
      const altered = Buffer.from(token, 'base64url');
      altered[16] = (altered[16] ?? 0) ^ 1;
      const forged = new TokenSigner('not the installation secret').signLegacy('identify', ['K2'], Math.floor(clock / 1000));
      for (const bad of [altered.toString('base64url'), forged]) expect((await identify(bad)).json<{ details: { errors: { message: string }[] } }>().details.errors[0]?.message).toContain('not valid');
      const withoutConsent = await send({ site: 'uutisvirta.fi', consent: { site_ads: false }, events: [{ type: 'identify', token }] });
      expect(withoutConsent.json<{ field: string }>().field).toBe('events.0.type');
      expect(await app.stores.siteEvents.customerOfVisitor(visitor)).toBeNull();

      const good = await identify(token, { customerId: 'K1' });
      expect(good.json()).toEqual({ stored: 0, counted: 0, identified: 1 });
      await send({ site: 'uutisvirta.fi', consent: { site_ads: true }, visitorId: visitor, events: [{ type: 'page', page: '/jalkeen' }] });
      expect(await app.stores.siteEvents.customerOfVisitor(visitor)).toBe('K1');
      const events = await app.stores.siteEvents.eventsOfCustomer('K1', { limit: 10 });
      expect(events.map((e) => e.page).sort()).toEqual(['/ennen', '/jalkeen']);

      clock += 301_000;
      expect((await identify(token)).json<{ details: { errors: { message: string }[] } }>().details.errors[0]?.message).toContain('expired');
      // Refused means not stitched: a visitor seen for the first time stays nobody's.
      const late = 'vis_stitch_000000000002';
      const expired = await send({ site: 'uutisvirta.fi', consent: { site_ads: true }, visitorId: late, events: [{ type: 'identify', token, customerId: 'K1' }] });
      expect(expired.statusCode).toBe(400);
      expect(await app.stores.siteEvents.customerOfVisitor(late)).toBeNull();
    });

    it("counts only, and joins nothing to the customer, once the signed-in visitor's ledger refuses what the banner allowed", async () => {
      const app = ctx.app;
      await app.stores.customers.insertCustomer({ id: 'W1' as CustomerId, kind: 'person', name: 'W1', emails: [], phones: [], address: null, locale: 'fi', createdAt: now(), updatedAt: now() });
      await app.stores.customers.insertCustomer({ id: 'W2' as CustomerId, kind: 'person', name: 'W2', emails: [], phones: [], address: null, locale: 'fi', createdAt: now(), updatedAt: now() });
      const signIn = async (visitor: string, customerId: string) => {
        const { token } = (await client.post('/v1/sites/identify-tokens', { customerId }, 'agent')).json<{ token: string }>();
        return send({ site: 'uutisvirta.fi', consent: { site_ads: true }, visitorId: visitor, events: [{ type: 'identify', token, customerId }, { type: 'page', page: '/kirjautui' }] });
      };
      const visitor = 'vis_refuse_00000000001';
      expect((await signIn(visitor, 'W1')).json()).toEqual({ stored: 1, counted: 0, identified: 1 });
      expect((await client.post('/v1/customers/W1/ledger', { kind: 'consent', purpose: 'site_ads', channel: 'web', value: 'withdrawn', source: 'preference_page' }, 'agent')).statusCode).toBe(201);
      // The banner in that browser still says yes: before, this was stored per visitor, under W1.
      const after = await send({ site: 'uutisvirta.fi', consent: { site_ads: true }, visitorId: visitor, events: [{ type: 'page', page: '/sen-jalkeen' }, { type: 'track', name: 'luki', page: '/sen-jalkeen' }] });
      expect(after.json()).toEqual({ stored: 0, counted: 2, identified: 0 });
      expect((await app.stores.siteEvents.eventsOfCustomer('W1', { limit: 10 })).map((e) => e.page)).toEqual(['/kirjautui']);

      // A visitor who signs in as a customer who objected: the sign-in is kept (the refusal keeps
      // applying), the visitor's earlier events are not joined to the customer, nothing is stored per visitor.
      expect((await client.post('/v1/customers/W2/ledger', { kind: 'objection', scope: 'direct_marketing', source: 'letter' }, 'dpo')).statusCode).toBe(201);
      const other = 'vis_refuse_00000000002';
      await send({ site: 'uutisvirta.fi', consent: { site_ads: true }, visitorId: other, events: [{ type: 'page', page: '/ennen' }] });
      expect((await signIn(other, 'W2')).json()).toEqual({ stored: 0, counted: 1, identified: 1 });
      expect(await app.stores.siteEvents.customerOfVisitor(other)).toBe('W2');
      expect(await app.stores.siteEvents.eventsOfCustomer('W2', { limit: 10 })).toEqual([]);
    });

    it('applies retention: events and counts past the window are gone, newer ones stay', async () => {
      const store = ctx.app.stores.siteEvents;
      const old = '2026-01-02T08:00:00.000Z' as Instant;
      await store.append({ events: [{ site: 'x.fi', visitorId: 'vis_retention_0000001', type: 'page', name: 'page_view', page: '/old', slot: null, props: null, clientAt: null, at: old }], counts: [{ site: 'x.fi', hour: '2026-01-02T08:00:00.000Z' as Instant, page: '/old', slot: '', name: 'page_view', count: 4 }], identifications: [] });
      const before = await store.visitorsWhoDid({ name: 'page_view', since: '2026-01-01T00:00:00.000Z' as Instant });
      expect(before).toContain('vis_retention_0000001');
      const upkeep = await store.upkeep(now(), 180);
      // PostgreSQL: the coming week's day partitions made ahead, the old day's dropped whole.
      if (ctx.store.kind === 'postgres') expect([upkeep.partitionsCreated >= 7, upkeep.partitionsDropped >= 1, upkeep.rowsDeleted >= 1]).toEqual([true, true, true]);
      else expect(upkeep.rowsDeleted).toBeGreaterThanOrEqual(2);
      const after = await store.visitorsWhoDid({ name: 'page_view', since: '2026-01-01T00:00:00.000Z' as Instant });
      expect(after).not.toContain('vis_retention_0000001');
      expect(after).toContain(VISITOR);
      expect(await store.counts({ from: '2026-01-01T00:00:00.000Z' as Instant, to: '2026-02-01T00:00:00.000Z' as Instant })).toEqual([]);
    });
  },
  { now, env: { LUPA_SITE_ORIGINS: 'https://www.uutisvirta.fi' } },
);
