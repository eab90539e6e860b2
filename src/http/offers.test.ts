/**
 * `/v1/offers` and a customer's offers over HTTP on both stores: a marketer builds the catalogue
 * (errors name the field), an analyst reads it but changes nothing, an agent reads a customer's
 * offers on the phone (audited, naming the customer) and records the answer, which the offer's
 * acceptance rate then counts; an analyst may not read one customer's offers.
 */
import { beforeAll, expect, it } from 'vitest';
import { describeEachStore } from '../../test/support/stores.ts';
import type { CustomerId, Instant, OrderId, Sku } from '../core/records.ts';
import { json, useClient } from './testing.ts';

const explanation = { fi: '{product} {period} hintaan {price}', sv: '{product} {period} för {price}', en: '{product} for {period} at {price}' };

describeEachStore(
  '/v1/offers',
  (ctx) => {
    const client = useClient(ctx);
    let offerId = 0;

    beforeAll(async () => {
      await ctx.app.stores.catalogue.upsertProduct({ sku: 'MAG' as Sku, name: 'Kotilehti', brand: null, category: 'magazine_home' });
      await ctx.app.stores.catalogue.upsertProduct({ sku: 'PAPER' as Sku, name: 'Päivälehti', brand: null, category: 'daily' });
      const created = await client.post('/v1/customers', { id: 'OF1', kind: 'person', name: 'Olli Tarjous', email: 'olli@example.fi', phone: '+358401234567', locale: 'fi', address: { street: 'Katu 1', postalCode: '00100', city: 'Helsinki' } }, 'agent');
      expect(created.statusCode).toBe(201);
      await ctx.app.stores.catalogue.upsertOrder({ id: 'OFO1' as OrderId, customerId: 'OF1' as CustomerId, sku: 'MAG' as Sku, startedAt: '2026-10-01T00:00:00.000Z' as Instant, endedAt: '2026-11-20T00:00:00.000Z' as Instant, soldVia: 'web', optOutOffered: true });
    });

    it('creates an offer as a marketer, naming the wrong field, and refuses a duplicate code', async () => {
      const bad = await client.post('/v1/offers', { code: 'MAG-12', name: 'Kotilehti 12 kk', sku: 'MAG', priceCents: 5900, periodMonths: 12, channels: ['fax'], explanation }, 'marketer');
      expect(bad.statusCode).toBe(400);
      expect(json(bad)).toMatchObject({ error: 'VALIDATION_FAILED', field: 'channels' });
      const noSv = await client.post('/v1/offers', { code: 'MAG-12', name: 'Kotilehti 12 kk', sku: 'MAG', priceCents: 5900, periodMonths: 12, channels: ['phone'], explanation: { fi: 'x', en: 'y' } }, 'marketer');
      expect(json(noSv)).toMatchObject({ error: 'VALIDATION_FAILED', field: 'explanation.sv' });
      const body = { code: 'MAG-12', name: 'Kotilehti 12 kk', sku: 'MAG', priceCents: 5900, periodMonths: 12, channels: ['phone', 'web'], explanation, validFrom: '2026-01-01T00:00:00Z' };
      const ok = await client.post('/v1/offers', body, 'marketer');
      expect(ok.statusCode).toBe(201);
      offerId = json<{ id: number }>(ok).id;
      expect(json(await client.post('/v1/offers', body, 'marketer'))).toMatchObject({ error: 'OFFER_EXISTS', field: 'code' });
      expect(json(await client.post('/v1/offers', { ...body, code: 'NOPE', sku: 'NONE' }, 'marketer'))).toMatchObject({ error: 'UNKNOWN_PRODUCT', field: 'sku' });
      // An unknown segment would admit no one, silently: refused, naming the field.
      expect(json(await client.post('/v1/offers', { ...body, code: 'NOSEG', segmentId: 999_999 }, 'marketer'))).toMatchObject({ error: 'VALIDATION_FAILED', field: 'segmentId' });
      expect((await client.post('/v1/offers', { ...body, code: 'AN' }, 'analyst')).statusCode).toBe(403);
      expect((await client.patch(`/v1/offers/${offerId}`, { priority: 5 }, 'agent')).statusCode).toBe(403);
      expect(json(await client.patch(`/v1/offers/${offerId}`, { priority: 5 }, 'marketer'))).toMatchObject({ priority: 5, code: 'MAG-12' });
      expect((await client.get('/v1/offers', 'analyst')).statusCode).toBe(200);
    });

    it("serves a customer's offers to an agent, audited, with the reason in the customer's language", async () => {
      const before = (await ctx.app.stores.audit.forCustomer('OF1' as CustomerId)).length;
      const res = await client.get('/v1/customers/OF1/offers?channel=phone', 'agent');
      expect(res.statusCode).toBe(200);
      const body = json<{ personal: boolean; lang: string; offers: { code: string; reason: string | null; price: string }[] }>(res);
      expect(body).toMatchObject({ personal: true, lang: 'fi' });
      expect(body.offers.map((o) => o.code)).toEqual(['MAG-12']);
      expect(body.offers[0]).toMatchObject({ reason: 'kokeili: Kotilehti', price: '59,00 €' });
      const entries = (await ctx.app.stores.audit.forCustomer('OF1' as CustomerId)).slice(before);
      expect(entries.map((e) => [e.action, e.role])).toEqual([['offers.read', 'agent']]);
      expect(JSON.stringify(entries[0]?.detail)).not.toContain('Kotilehti');

      // A marketer may not read the customer's orders: no reason that tells them.
      const marketer = json<{ offers: { code: string; reason: string | null }[] }>(await client.get('/v1/customers/OF1/offers?channel=phone', 'marketer'));
      expect(marketer.offers.map((o) => [o.code, o.reason])).toEqual([['MAG-12', null]]);
      expect((await client.get('/v1/customers/OF1/offers?channel=phone', 'analyst')).statusCode).toBe(403);
      expect((await client.get('/v1/customers/OF1/offers?channel=sms', 'agent')).statusCode).toBe(400);
      expect(json(await client.get('/v1/customers/NOBODY/offers?channel=web', 'agent'))).toMatchObject({ error: 'UNKNOWN_CUSTOMER' });
    });

    it('ranks as of a past time, and refuses one in the future', async () => {
      expect((await client.get('/v1/customers/OF1/offers?channel=phone&asOf=2026-11-01T00:00:00Z', 'agent')).statusCode).toBe(200);
      expect(json(await client.get('/v1/customers/OF1/offers?channel=phone&asOf=2027-01-01T00:00:00Z', 'agent'))).toMatchObject({ error: 'INVALID_DATE', field: 'asOf' });
    });

    it('records outcomes and reports the acceptance rate', async () => {
      const shown = await client.post(`/v1/customers/OF1/offers/${offerId}/outcomes`, { channel: 'phone', outcome: 'shown' }, 'agent');
      expect(shown.statusCode).toBe(201);
      expect((await client.post(`/v1/customers/OF1/offers/${offerId}/outcomes`, { channel: 'phone', outcome: 'accepted' }, 'agent')).statusCode).toBe(201);
      expect(json(await client.post(`/v1/customers/OF1/offers/${offerId}/outcomes`, { channel: 'email', outcome: 'shown' }, 'agent'))).toMatchObject({ field: 'channel' });
      expect(json(await client.post(`/v1/customers/OF1/offers/999/outcomes`, { channel: 'phone', outcome: 'shown' }, 'agent'))).toMatchObject({ error: 'NOT_FOUND' });
      // Neither a campaign that does not exist nor a time before the offer was valid: both were stored and counted.
      expect(json(await client.post(`/v1/customers/OF1/offers/${offerId}/outcomes`, { channel: 'phone', outcome: 'shown', campaignId: 999 }, 'agent'))).toMatchObject({ error: 'NOT_FOUND', field: 'campaignId' });
      expect(json(await client.post(`/v1/customers/OF1/offers/${offerId}/outcomes`, { channel: 'phone', outcome: 'accepted', at: '2020-01-01T00:00:00Z' }, 'agent'))).toMatchObject({ error: 'INVALID_DATE', field: 'at' });
      const offer = json<{ stats: unknown; acceptanceRate: number }>(await client.get(`/v1/offers/${offerId}`, 'analyst'));
      expect(offer).toMatchObject({ stats: { shown: 1, accepted: 1, declined: 0, ignored: 0 }, acceptanceRate: 1 });
      const audited = await ctx.app.stores.audit.forCustomer('OF1' as CustomerId);
      expect(audited.filter((e) => e.action === 'offers.outcome')).toHaveLength(2);
    });

    it("tells a marketer no reason that says what the customer's records hold; the agent and the admin get every reason", async () => {
      // OF1 reads the daily paper (a running subscription), tried the magazine (a former relationship), and accepted MAG-12 above.
      await ctx.app.stores.catalogue.upsertOrder({ id: 'OFO2' as OrderId, customerId: 'OF1' as CustomerId, sku: 'PAPER' as Sku, startedAt: '2026-01-01T00:00:00.000Z' as Instant, endedAt: null, soldVia: 'web', optOutOffered: true });
      expect((await client.post('/v1/offers', { code: 'PAPER-12', name: 'Päivälehti 12 kk', sku: 'PAPER', priceCents: 9900, periodMonths: 12, channels: ['phone'], explanation }, 'marketer')).statusCode).toBe(201);
      expect((await client.post('/v1/offers', { code: 'MAG-NEW', name: 'Kotilehti uusille', sku: 'MAG', priceCents: 1900, periodMonths: 3, channels: ['phone'], relationship: 'none', explanation }, 'marketer')).statusCode).toBe(201);
      type Ranking = { withheld: string[]; offers: { reasonParts: { code: string }[]; acceptanceFrom: string | null }[]; notMade: { code: string; reasons: string[] }[] };
      const reasonsOf = (r: Ranking, code: string) => r.notMade.find((n) => n.code === code)?.reasons;
      for (const role of ['agent', 'admin'] as const) {
        const full = json<Ranking>(await client.get('/v1/customers/OF1/offers?channel=phone&explain=1', role));
        expect(full.withheld).toEqual([]);
        expect(reasonsOf(full, 'PAPER-12')).toContain('ALREADY_SUBSCRIBED');
        expect(reasonsOf(full, 'MAG-NEW')).toContain('RELATIONSHIP');
        expect(reasonsOf(full, 'MAG-12')).toContain('ACCEPTED_RECENTLY');
      }
      const res = await client.get('/v1/customers/OF1/offers?channel=phone&explain=1', 'marketer');
      expect(res.statusCode).toBe(200);
      const marketer = json<Ranking>(res);
      expect(marketer.withheld).toEqual(['customerRecords']);
      for (const code of ['PAPER-12', 'MAG-NEW', 'MAG-12']) expect(reasonsOf(marketer, code)?.filter((r) => r === 'NOT_ELIGIBLE')).toEqual(['NOT_ELIGIBLE']);
      for (const told of ['ALREADY_SUBSCRIBED', 'RELATIONSHIP', 'ACCEPTED_RECENTLY', 'NOT_IN_SEGMENT', 'ON_TRIAL', 'TRIED', 'READS_CATEGORY', 'SUBSCRIBED_BEFORE', 'SIMILAR_READERS', 'PROPENSITY']) {
        expect(res.body).not.toContain(`"${told}"`);
      }
      for (const o of marketer.offers) {
        expect(o.reasonParts.every((p) => p.code === 'OFTEN_ACCEPTED')).toBe(true);
        expect(o.acceptanceFrom).not.toBe('propensity');
      }
    });
  },
  { now: () => '2026-12-01T10:00:00.000Z' as Instant },
);
