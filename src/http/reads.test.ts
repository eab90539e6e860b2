/**
 * The reads a marketer finds things out with: products, campaigns, templates, a customer's orders
 * and messages, a campaign's skipped recipients and one recipient's decision, on both stores.
 */
import { Readable } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeEachStore } from '../../test/support/stores.ts';
import type { CustomerId, Instant, OrderId, Sku } from '../core/records.ts';
import { demoToNdjson } from '../demo/generate-demo.ts';
import { saveDemoTemplates } from '../demo/demo-templates.ts';
import { runImport } from '../import/run-import.ts';
import { createCampaign, launchCampaign } from '../use-cases/campaigns.ts';
import { json, useClient, type Client } from './testing.ts';

const NOW = '2026-11-01T00:00:00.000Z' as Instant;

/** Every row of a listing, page by page (`limit` rows a page), and how many pages it took. */
async function walk(client: Client, url: string, key: string, limit: number): Promise<{ rows: Record<string, unknown>[]; pages: number }> {
  const rows: Record<string, unknown>[] = [];
  let after: string | null = null;
  let pages = 0;
  do {
    const sep = url.includes('?') ? '&' : '?';
    const res = await client.get(`${url}${sep}limit=${limit}${after === null ? '' : `&after=${encodeURIComponent(after)}`}`);
    expect(res.statusCode).toBe(200);
    const body = json<Record<string, unknown> & { next: string | null }>(res);
    rows.push(...(body[key] as Record<string, unknown>[]));
    after = body.next;
    pages += 1;
  } while (after !== null);
  return { rows, pages };
}

describeEachStore(
  'reads for finding things out',
  (ctx) => {
    const client = useClient(ctx);
    const app = () => ctx.app;
    let campaignId = 0;
    /** Has ordered only a home magazine: a daily's e-mail marketing is NOT_SIMILAR_PRODUCT for her. */
    const HANNA = 'C9000001';

    beforeAll(async () => {
      const app = ctx.app;
      await runImport({ database: app.database, settings: app.settings, now: app.now }, { stream: Readable.from(demoToNdjson({ customers: 60, seed: 1 })), format: 'ndjson' });
      await saveDemoTemplates(app.stores.templates, app.now());
      expect((await client.post('/v1/customers', { id: HANNA, kind: 'person', name: 'Hanna Koti', email: 'hanna.koti@example.fi' })).statusCode).toBe(201);
      await app.stores.catalogue.upsertOrder({ id: 'O-HANNA-1' as OrderId, customerId: HANNA as CustomerId, sku: 'KPH-MAG' as Sku, startedAt: '2026-01-01T00:00:00.000Z' as Instant, endedAt: null, soldVia: 'web', optOutOffered: true });
      const deps = { ...app.stores, settings: app.settings, sending: app.sending, now: app.now };
      await createCampaign(deps, { name: 'Jakeluhäiriö', purpose: 'service', channel: 'email', sku: null, filter: {}, templateId: 'disruption' });
      const campaign = await createCampaign(deps, { name: 'Syystarjous', purpose: 'marketing', channel: 'email', sku: 'UV-PRINT-7' as Sku, filter: {}, templateId: 'autumn' });
      await launchCampaign(deps, { campaignId: campaign.id });
      campaignId = campaign.id;
    });

    describe('products, campaigns and templates', () => {
      it('lists every product once over pages of three, by sku, to an analyst too', async () => {
        const { rows, pages } = await walk(client, '/v1/products', 'products', 3);
        const skus = rows.map((p) => p['sku']);
        expect(skus).toContain('UV-PRINT-7');
        expect(new Set(skus).size).toBe(skus.length);
        expect(skus).toEqual([...skus].sort());
        expect(pages).toBe(Math.ceil(skus.length / 3) + (skus.length % 3 === 0 ? 1 : 0));
        expect((await client.get('/v1/products', 'analyst')).statusCode).toBe(200);
      });

      it('lists campaigns newest first with status, purposes and start time, every one once', async () => {
        const { rows } = await walk(client, '/v1/campaigns', 'campaigns', 1);
        expect(rows.map((c) => c['name'])).toEqual(['Syystarjous', 'Jakeluhäiriö']);
        expect(rows[0]).toMatchObject({ status: 'running', statusReason: null, purposes: ['marketing'], sendAt: null, asOf: NOW });
        expect(rows[1]).toMatchObject({ status: 'draft', purposes: null });
      });

      it('reads one campaign with its deliveries counted, and answers 404 NOT_FOUND for none', async () => {
        const res = await client.get(`/v1/campaigns/${campaignId}`, 'analyst');
        expect(res.statusCode).toBe(200);
        const body = json<{ counts: { byState: Record<string, number>; skippedBy: Record<string, number> } }>(res);
        expect(Object.values(body.counts.byState).reduce((a, b) => a + b, 0)).toBe(61);
        expect(body.counts.skippedBy['NOT_SIMILAR_PRODUCT']).toBeGreaterThanOrEqual(1);
        expect(json(await client.get('/v1/campaigns/999'))).toMatchObject({ error: 'NOT_FOUND', field: 'campaign' });
      });

      it('lists the templates and reads one as stored', async () => {
        const list = json<{ templates: { id: string; kind: string }[] }>(await client.get('/v1/templates', 'marketer'));
        expect(list.templates.map((t) => [t.id, t.kind])).toEqual([['autumn', 'marketing'], ['disruption', 'service']]);
        const one = json<{ definition: { kind: string; locales: Record<string, unknown> } }>(await client.get('/v1/templates/autumn', 'marketer'));
        expect(one.definition.kind).toBe('marketing');
        expect(Object.keys(one.definition.locales).sort()).toEqual(['en', 'fi', 'sv']); // PostgreSQL's jsonb keeps keys in its own order
        expect((await client.get('/v1/templates/nosuch')).statusCode).toBe(404);
      });
    });

    describe("a customer's orders and messages", () => {
      it("lists the customer's orders and audits the read", async () => {
        const res = await client.get(`/v1/customers/${HANNA}/orders`, 'agent');
        expect(res.statusCode).toBe(200);
        expect(json(res)).toMatchObject({ customerId: HANNA, orders: [{ id: 'O-HANNA-1', sku: 'KPH-MAG', category: 'magazine_home' }], next: null });
        const trail = json<{ entries: { action: string; role: string }[] }>(await client.get(`/v1/customers/${HANNA}/audit`));
        expect(trail.entries).toContainEqual(expect.objectContaining({ action: 'customers.orders', role: 'agent' }));
      });

      it("lists the orders newest first with their products' names, a page at a time, ties by id", async () => {
        const TIMO = 'C9000002';
        expect((await client.post('/v1/customers', { id: TIMO, kind: 'person', name: 'Timo Aikajana', email: 'timo.aikajana@example.fi' })).statusCode).toBe(201);
        const order = (id: string, startedAt: string) =>
          app().stores.catalogue.upsertOrder({ id: id as OrderId, customerId: TIMO as CustomerId, sku: 'KPH-MAG' as Sku, startedAt: startedAt as Instant, endedAt: null, soldVia: 'telesales', optOutOffered: true });
        await order('A-3', '2025-03-01T08:00:00.000Z');
        await order('B-1', '2026-06-01T08:00:00.000Z');
        await order('C-2', '2026-06-01T08:00:00.000Z');
        await order('D-0', '2024-01-01T08:00:00.000Z');
        const { rows, pages } = await walk(client, `/v1/customers/${TIMO}/orders?order=newest`, 'orders', 3);
        expect(rows.map((o) => o['id'])).toEqual(['C-2', 'B-1', 'A-3', 'D-0']);
        expect(pages).toBe(2);
        expect(rows[0]).toMatchObject({ sku: 'KPH-MAG', productName: expect.any(String), soldVia: 'telesales' });
        expect(json(await client.get(`/v1/customers/${TIMO}/orders?order=newest&after=C-2`))).toMatchObject({ error: 'VALIDATION_FAILED', field: 'after' });
      });

      it('lists the messages of every campaign to the customer with state, basis and reasons, audited', async () => {
        const res = await client.get(`/v1/customers/${HANNA}/messages`, 'dpo');
        expect(res.statusCode).toBe(200);
        expect(json(res)).toMatchObject({
          messages: [{ campaign: { id: campaignId, name: 'Syystarjous', purpose: 'marketing', channel: 'email' }, state: 'skipped', basis: null, reasons: ['NOT_SIMILAR_PRODUCT'], sentAt: null, bounce: null }],
          next: null,
        });
        const trail = json<{ entries: { action: string }[] }>(await client.get(`/v1/customers/${HANNA}/audit`));
        expect(trail.entries.map((e) => e.action)).toContain('customers.messages');
      });

      it('answers 404 UNKNOWN_CUSTOMER for a customer there is none of', async () => {
        expect(json(await client.get('/v1/customers/C9999999/messages'))).toMatchObject({ error: 'UNKNOWN_CUSTOMER' });
      });

      it.each(['/v1/customers/C0000001/orders', '/v1/customers/C0000001/messages', '/v1/campaigns/1/skipped', '/v1/campaigns/1/deliveries/C0000001'])(
        'refuses an analyst personal data: %s is 403 FORBIDDEN',
        async (url) => {
          expect(json(await client.get(url, 'analyst'))).toMatchObject({ error: 'FORBIDDEN' });
        },
      );
    });

    describe("a campaign's recipients", () => {
      it('pages through every skipped recipient once, each audited as read', async () => {
        const { rows } = await walk(client, `/v1/campaigns/${campaignId}/skipped`, 'skipped', 7);
        const ids = rows.map((d) => d['customerId'] as string);
        const counts = json<{ counts: { byState: Record<string, number> } }>(await client.get(`/v1/campaigns/${campaignId}`)).counts;
        expect(ids.length).toBe(counts.byState['skipped']);
        expect(new Set(ids).size).toBe(ids.length);
        expect(ids).toEqual([...ids].sort());
        const first = ids[0] ?? '';
        const trail = json<{ entries: { action: string; detail: Record<string, unknown> }[] }>(await client.get(`/v1/customers/${first}/audit`));
        expect(trail.entries).toContainEqual(expect.objectContaining({ action: 'campaign.skipped', detail: { campaign: campaignId } }));
      });

      it('keeps only the recipients skipped for the reason asked about', async () => {
        const res = await client.get(`/v1/campaigns/${campaignId}/skipped?reason=NOT_SIMILAR_PRODUCT&limit=100`, 'marketer');
        const skipped = json<{ skipped: { customerId: string; reasons: string[] }[] }>(res).skipped;
        expect(skipped.map((d) => d.customerId)).toContain(HANNA);
        expect(skipped.every((d) => d.reasons.includes('NOT_SIMILAR_PRODUCT'))).toBe(true);
        expect(json<{ skipped: unknown[] }>(await client.get(`/v1/campaigns/${campaignId}/skipped?reason=SIMILAR`)).skipped).toEqual([]);
      });

      it('explains a NOT_SIMILAR_PRODUCT recipient with the orders that were considered, and audits it', async () => {
        const res = await client.get(`/v1/campaigns/${campaignId}/deliveries/${HANNA}`, 'dpo');
        expect(res.statusCode).toBe(200);
        const body = json<{ delivery: Record<string, unknown>; asOf: string; decisions: { purpose: string; decision: { reasons: string[]; evidence: Record<string, unknown> } }[]; replayed: Record<string, unknown> }>(res);
        expect(body.delivery).toMatchObject({ customerId: HANNA, state: 'skipped', reasons: ['NOT_SIMILAR_PRODUCT'] });
        expect(body.asOf).toBe(NOW);
        expect(body.decisions).toHaveLength(1);
        expect(body.decisions[0]?.decision.reasons).toEqual(['NOT_SIMILAR_PRODUCT']);
        expect(body.decisions[0]?.decision.evidence['consideredOrders']).toEqual([
          { id: 'O-HANNA-1', sku: 'KPH-MAG', category: 'magazine_home', startedAt: '2026-01-01T00:00:00.000Z', endedAt: null, optOutOffered: true, similar: false, live: true },
        ]);
        expect(body.replayed).toEqual({ allowed: false, basis: null, reasons: ['NOT_SIMILAR_PRODUCT'] });
        const trail = json<{ entries: { action: string; role: string }[] }>(await client.get(`/v1/customers/${HANNA}/audit`));
        expect(trail.entries).toContainEqual(expect.objectContaining({ action: 'campaign.delivery', role: 'dpo' }));
      });

      it('answers 404 NOT_FOUND for a customer the campaign has no delivery to (a draft has none)', async () => {
        expect(json(await client.get(`/v1/campaigns/${campaignId - 1}/deliveries/${HANNA}`))).toMatchObject({ error: 'NOT_FOUND', field: 'customer' });
      });
    });

    describe('filters on an ordered product', () => {
      it('refuses an unknown orderedSku like an unknown product, naming the field', async () => {
        const res = await client.get('/v1/audience?purpose=marketing&channel=email&orderedSku=NO-SUCH-SKU', 'marketer');
        expect(res.statusCode).toBe(404);
        expect(json(res)).toMatchObject({ error: 'UNKNOWN_PRODUCT', field: 'orderedSku' });
      });

      it('refuses a campaign whose filter names an unknown orderedSku, and creates nothing', async () => {
        const deps = { ...ctx.app.stores, settings: ctx.app.settings, sending: ctx.app.sending, now: ctx.app.now };
        await expect(createCampaign(deps, { name: 'Typo', purpose: 'service', channel: 'email', sku: null, filter: { orderedSku: 'UV-PRINT7' as Sku }, templateId: 'disruption' })).rejects.toMatchObject({ code: 'UNKNOWN_PRODUCT', field: 'orderedSku' });
        expect(json<{ campaigns: unknown[] }>(await client.get('/v1/campaigns')).campaigns).toHaveLength(2);
      });
    });
  },
  { now: () => NOW },
);
