/**
 * Own-product ads on the sites, on both stores: the choice is personal (from the customer's orders)
 * only for a visitor id (site_ads consent) that signed in and whose ledger does not refuse, and
 * contextual otherwise; the click redirect goes only to the stored target (a bad token: 404, no
 * redirect); impressions without consent are counted in aggregate and never kept per visitor;
 * the report splits people and aggregate; roles: marketer writes, analyst reads, agent neither.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { CustomerId, Instant, OrderId, Sku } from '../core/records.ts';
import { describeEachStore } from '../../test/support/stores.ts';
import { json, useClient } from './testing.ts';

const NOW = '2026-11-20T10:00:00.000Z' as Instant;
let clock: Instant = NOW;
const SITE = 'https://uutisvirta.fi';

interface Filled {
  ad: { id: number; headline: string; text: string; imageUrl: string | null };
  clickUrl: string;
  impressionToken: string;
  personalised: boolean;
}

describeEachStore(
  'own-product ads on the sites',
  (ctx) => {
    const client = useClient(ctx);
    const ids = { general: 0, digital: 0, magazine: 0, expired: 0 };
    const visitors = { signedIn: 'vis_sa_0000000000000001', withdrawn: 'vis_sa_0000000000000002', objector: 'vis_sa_0000000000000003', anonymous: 'vis_sa_0000000000000009' };
    const events = (body: unknown) => client.server.inject({ method: 'POST', url: '/v1/events', headers: { 'content-type': 'text/plain;charset=UTF-8' }, payload: JSON.stringify(body) });
    const signIn = async (visitor: string, customerId: string) => {
      const { token } = json<{ token: string }>(await client.post('/v1/sites/identify-tokens', { customerId }, 'agent'));
      expect(json(await events({ site: 'uutisvirta.fi', consent: { site_ads: true }, visitorId: visitor, events: [{ type: 'identify', token, customerId }] }))).toMatchObject({ identified: 1 });
    };
    const fill = async (placement: string, visitor?: string) => {
      const res = await client.server.inject({ method: 'GET', url: `/v1/site-ads/fill?site=uutisvirta.fi&placement=${placement}${visitor === undefined ? '' : `&visitor=${visitor}`}`, headers: { origin: SITE } });
      return res;
    };
    const filled = async (placement: string, visitor?: string) => {
      const res = await fill(placement, visitor);
      expect(res.statusCode).toBe(200);
      return json<Filled>(res);
    };
    const ad = (name: string, sku: string | null, extra: object = {}) => ({
      name,
      headline: `${name} headline`,
      text: `${name} text`,
      imageUrl: '/img/ad.png',
      targetUrl: `${SITE}/tilaa/${name}`,
      sku,
      placements: ['front-top', 'article-side'],
      validFrom: null,
      validUntil: null,
      active: true,
      ...extra,
    });
    const create = async (body: object) => {
      const res = await client.post('/v1/site-ads', body, 'marketer');
      expect(res.statusCode).toBe(201);
      return json<{ id: number }>(res).id;
    };

    beforeAll(async () => {
      const s = ctx.app.stores;
      await s.catalogue.upsertProduct({ sku: 'UV-DIGI' as Sku, name: 'Uutisvirta Digi', brand: 'UV', category: 'digital' });
      await s.catalogue.upsertProduct({ sku: 'KPH-MAG' as Sku, name: 'Kotipiha', brand: 'KPH', category: 'magazine' });
      for (let i = 1; i <= 3; i++) {
        await s.customers.insertCustomer({ id: `SA${i}` as CustomerId, kind: 'person', name: `Reader ${i}`, emails: [`sa${i}@example.fi`], phones: [], address: null, locale: 'fi', createdAt: NOW, updatedAt: NOW });
        // Each subscribes to the digital paper now and read the magazine before.
        await s.catalogue.upsertOrder({ id: `O-SA${i}-1` as OrderId, customerId: `SA${i}` as CustomerId, sku: 'UV-DIGI' as Sku, startedAt: '2026-03-01T00:00:00.000Z' as Instant, endedAt: null, soldVia: 'web', optOutOffered: true });
        await s.catalogue.upsertOrder({ id: `O-SA${i}-2` as OrderId, customerId: `SA${i}` as CustomerId, sku: 'KPH-MAG' as Sku, startedAt: '2025-01-01T00:00:00.000Z' as Instant, endedAt: '2025-06-01T00:00:00.000Z' as Instant, soldVia: 'web', optOutOffered: true });
      }
      ids.expired = await create(ad('expired', null, { validUntil: '2026-01-01T00:00:00.000Z' }));
      ids.general = await create(ad('general', null));
      ids.digital = await create(ad('digital', 'UV-DIGI'));
      ids.magazine = await create(ad('magazine', 'KPH-MAG', { placements: ['front-top'] }));
      await signIn(visitors.signedIn, 'SA1');
      await signIn(visitors.withdrawn, 'SA2');
      await signIn(visitors.objector, 'SA3');
      expect((await client.post('/v1/customers/SA2/ledger', { kind: 'consent', purpose: 'site_ads', channel: 'web', value: 'withdrawn', source: 'preference_page' }, 'agent')).statusCode).toBe(201);
      expect((await client.post('/v1/customers/SA3/ledger', { kind: 'objection', scope: 'profiling', source: 'letter' }, 'dpo')).statusCode).toBe(201);
    });

    it('chooses from the orders of a consented, signed-in visitor whose ledger allows it', async () => {
      const res = await fill('front-top', visitors.signedIn);
      expect(res.headers['access-control-allow-origin']).toBe(SITE);
      expect(res.headers['cache-control']).toBe('no-store');
      const answer = json<Filled>(res);
      // Not the digital paper they have; the magazine's category, which they ordered from, first.
      expect(answer).toMatchObject({ ad: { id: ids.magazine, headline: 'magazine headline', text: 'magazine text', imageUrl: '/img/ad.png' }, personalised: true });
      expect(JSON.stringify(answer)).not.toContain('tilaa/magazine');
    });

    it('chooses contextually otherwise: no visitor id, never signed in, a withdrawal, an objection', async () => {
      for (const visitor of [undefined, visitors.anonymous, visitors.withdrawn, visitors.objector]) {
        expect({ visitor, ...(await filled('front-top', visitor)) }).toMatchObject({ visitor, ad: { id: ids.general }, personalised: false });
      }
      expect((await fill('nowhere')).statusCode).toBe(204);
      expect(json(await fill('Front Top'))).toMatchObject({ error: 'VALIDATION_FAILED', field: 'placement' });
      const foreign = await client.server.inject({ method: 'GET', url: '/v1/site-ads/fill?site=x&placement=front-top', headers: { origin: 'https://evil.example' } });
      expect(foreign.statusCode).toBe(403);
    });

    it('redirects a click only to the stored target; a bad token is 404 without a redirect', async () => {
      const { clickUrl } = await filled('article-side');
      const path = new URL(clickUrl).pathname;
      expect(path).toMatch(/^\/a\/click\//);
      const res = await client.server.inject({ method: 'GET', url: path });
      expect(res.statusCode).toBe(302);
      expect(res.headers.location).toBe(`${SITE}/tilaa/general`);
      for (const bad of [`${path}x`, `${path.slice(0, -3)}AAA`, '/a/click/nonsense']) {
        const refused = await client.server.inject({ method: 'GET', url: bad });
        expect(refused.statusCode).toBe(404);
        expect(refused.headers.location).toBeUndefined();
      }
    });

    it("names no visitor in a click link or impression token: a copied link does not tell the visitor's cookie id", async () => {
      const { clickUrl, impressionToken } = await filled('front-top', visitors.signedIn);
      const token = new URL(clickUrl).pathname.replace('/a/click/', '');
      for (const t of [token, impressionToken]) {
        // However it is read: as it is, as base64url bytes, as text inside a URL-decoded form.
        for (const text of [t, decodeURIComponent(t), Buffer.from(t, 'base64url').toString('latin1'), Buffer.from(t, 'base64url').toString('utf8')]) {
          expect(text).not.toContain(visitors.signedIn);
          expect(text).not.toContain('uutisvirta.fi');
        }
      }
      // An altered sealed token (one byte flipped inside) is 404, never a redirect.
      const bytes = Buffer.from(token, 'base64url');
      bytes[20] = (bytes[20] ?? 0) ^ 1;
      const tampered = await client.server.inject({ method: 'GET', url: `/a/click/${bytes.toString('base64url')}` });
      expect(tampered.statusCode).toBe(404);
      expect(tampered.headers.location).toBeUndefined();
    });

    it('counts impressions without consent in aggregate only, and with it per visitor too', async () => {
      const before = await ctx.app.stores.siteEvents.eventsOfCustomer('SA1', { limit: 100 });
      const anonymous = await filled('article-side');
      const post = (body: object) => client.server.inject({ method: 'POST', url: '/v1/site-ads/impressions', headers: { 'content-type': 'text/plain;charset=UTF-8', origin: SITE }, payload: JSON.stringify(body) });
      expect((await post({ token: anonymous.impressionToken, page: '/urheilu' })).statusCode).toBe(204);
      // A visitor id the ad was not filled for does not make it per visitor.
      expect((await post({ token: anonymous.impressionToken, visitorId: visitors.signedIn, page: '/urheilu' })).statusCode).toBe(204);
      expect(await ctx.app.stores.siteEvents.eventsOfCustomer('SA1', { limit: 100 })).toHaveLength(before.length);
      const personal = await filled('front-top', visitors.signedIn);
      expect((await post({ token: personal.impressionToken, visitorId: visitors.signedIn, page: '/talous?id=1' })).statusCode).toBe(204);
      const after = await ctx.app.stores.siteEvents.eventsOfCustomer('SA1', { limit: 100 });
      expect(after.find((e) => e.name === 'ad_impression')).toMatchObject({ slot: 'front-top', page: '/talous', props: JSON.stringify({ ad: ids.magazine }) });
      expect(json(await post({ token: `${personal.impressionToken}x` }))).toMatchObject({ error: 'NOT_FOUND' });

      const general = json<Record<string, unknown>>(await client.get(`/v1/site-ads/${ids.general}/report`, 'analyst'));
      expect(general).toMatchObject({ aggregate: { impressions: 2, clicks: 1, ctr: 0.5 }, people: { impressions: 0, clicks: 0, ctr: null } });
      expect(general.byPlacement).toEqual([{ placement: 'article-side', aggregate: { impressions: 2, clicks: 1, ctr: 0.5 }, people: { impressions: 0, clicks: 0, ctr: null } }]);
      expect(general.byDay).toEqual([{ day: '2026-11-20', aggregate: { impressions: 2, clicks: 1, ctr: 0.5 }, people: { impressions: 0, clicks: 0, ctr: null } }]);
      expect(json(await client.get(`/v1/site-ads/${ids.magazine}/report?from=2026-11-01&to=2026-11-30`, 'analyst'))).toMatchObject({ people: { impressions: 1 }, aggregate: { impressions: 0 } });
    });

    it('keeps targets on the own sites and lets the marketer change an ad', async () => {
      const off = await client.post('/v1/site-ads', ad('away', null, { targetUrl: 'https://evil.example/x' }), 'marketer');
      expect(json(off)).toMatchObject({ error: 'VALIDATION_FAILED', field: 'targetUrl' });
      expect(json(await client.post('/v1/site-ads', ad('img', null, { imageUrl: 'http://x.example/a.png' }), 'marketer'))).toMatchObject({ error: 'VALIDATION_FAILED', field: 'imageUrl' });
      expect(json(await client.post('/v1/site-ads', ad('sku', 'NOPE'), 'marketer'))).toMatchObject({ error: 'UNKNOWN_PRODUCT' });
      // A line break in a target once passed (a URL parser drops it) and made every click a 500.
      const broken = await client.post('/v1/site-ads', ad('broken', null, { targetUrl: `${SITE}/x\nLocation: y` }), 'marketer');
      expect(json(broken)).toMatchObject({ error: 'VALIDATION_FAILED', field: 'targetUrl' });
      const stopped = await client.patch(`/v1/site-ads/${ids.general}`, { active: false }, 'marketer');
      expect(json(stopped)).toMatchObject({ active: false, headline: 'general headline', imageUrl: '/img/ad.png' });
      // What may be null may be left out ("Invalid input: expected string, received undefined" before).
      const brief = await client.post('/v1/site-ads', { name: 'brief', headline: 'h', text: 't', targetUrl: `${SITE}/x`, placements: ['nowhere-yet'] }, 'marketer');
      expect(brief.statusCode).toBe(201);
      expect(json(brief)).toMatchObject({ imageUrl: null, sku: null, validFrom: null, validUntil: null, active: true });
      expect(json(await fill('article-side'))).toMatchObject({ ad: { id: ids.digital } });
      await client.patch(`/v1/site-ads/${ids.general}`, { active: true }, 'marketer');
    });

    it("counts a click for the visitor only while the link is fresh: a day later, a shared link counts in aggregate and still leads on", async () => {
      const { clickUrl, ad } = await filled('front-top', visitors.signedIn);
      const path = new URL(clickUrl).pathname;
      const adId = ad.id;
      const report = async () => json<{ people: { clicks: number }; aggregate: { clicks: number } }>(await client.get(`/v1/site-ads/${adId}/report?from=2026-11-01&to=2026-11-30`, 'analyst'));
      const before = await report();
      const clicksOf = async () => (await ctx.app.stores.siteEvents.eventsOfCustomer('SA1', { limit: 100 })).filter((e) => e.name === 'ad_click').length;
      const keptBefore = await clicksOf();
      expect((await client.server.inject({ method: 'GET', url: path })).statusCode).toBe(302);
      expect((await report()).people.clicks).toBe(before.people.clicks + 1);
      expect(await clicksOf()).toBe(keptBefore + 1);
      clock = '2026-11-21T10:00:01.000Z' as Instant;
      try {
        const late = await client.server.inject({ method: 'GET', url: path });
        expect(late.statusCode).toBe(302);
        const after = await report();
        expect(after.people.clicks).toBe(before.people.clicks + 1);
        expect(after.aggregate.clicks).toBe(before.aggregate.clicks + 1);
        expect(await clicksOf()).toBe(keptBefore + 1);
      } finally {
        clock = NOW;
      }
      // A link for a site with a long name answered 414 (Fastify's 100-character parameters).
      const long = await client.server.inject({ method: 'GET', url: `/v1/site-ads/fill?site=${'uutiset-'.repeat(10)}fi&placement=front-top&visitor=${visitors.signedIn}`, headers: { origin: SITE } });
      const longPath = new URL(json<Filled>(long).clickUrl).pathname;
      expect(longPath.length).toBeGreaterThan(200);
      expect((await client.server.inject({ method: 'GET', url: longPath })).statusCode).toBe(302);
    });

    describe('roles', () => {
      it('lets the marketer write, the analyst and the DPO read, the agent do neither', async () => {
        expect((await client.post('/v1/site-ads', ad('x', null), 'analyst')).statusCode).toBe(403);
        expect((await client.patch(`/v1/site-ads/${ids.general}`, { active: false }, 'dpo')).statusCode).toBe(403);
        expect((await client.get('/v1/site-ads', 'analyst')).statusCode).toBe(200);
        expect((await client.get(`/v1/site-ads/${ids.general}/report`, 'dpo')).statusCode).toBe(200);
        expect((await client.get('/v1/site-ads', 'agent')).statusCode).toBe(403);
        expect((await client.server.inject({ method: 'GET', url: '/v1/site-ads' })).statusCode).toBe(401);
      });
    });
  },
  { now: () => clock, env: { LUPA_SITE_ORIGINS: SITE } },
);
