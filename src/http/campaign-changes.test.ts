/** Campaigns over the API as on the CLI: create (template fill checked), schedule, launch, pause, resume, cancel; by role. */
import { Readable } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeEachStore } from '../../test/support/stores.ts';
import type { Instant } from '../core/records.ts';
import { saveDemoTemplates } from '../demo/demo-templates.ts';
import { demoToNdjson } from '../demo/generate-demo.ts';
import { runImport } from '../import/run-import.ts';
import { useClient } from './testing.ts';

const NOW = '2026-11-01T00:00:00.000Z' as Instant;

/** A template with a link and a value that a campaign must supply. */
const NEWS = {
  id: 'news',
  kind: 'marketing',
  defaultLocale: 'fi',
  locales: {
    fi: {
      subject: 'Uutiset, {{ customer.firstName }}: -{{ vars.discount }} %',
      mjml: '<mjml><mj-body><mj-section><mj-column><mj-text><a href="{{ links.article1 }}">Lue</a></mj-text></mj-column></mj-section></mj-body></mjml>',
    },
  },
};

describeEachStore(
  'campaigns over the API',
  (ctx) => {
    const client = useClient(ctx);
    const campaignCount = async (): Promise<number> => client.get('/v1/campaigns?limit=100').then((r) => r.json<{ campaigns: unknown[] }>().campaigns.length);

    beforeAll(async () => {
      const app = ctx.app;
      await runImport({ database: app.database, settings: app.settings, now: app.now }, { stream: Readable.from(demoToNdjson({ customers: 60, seed: 3 })), format: 'ndjson' });
      await saveDemoTemplates(app.stores.templates, app.now());
      await app.stores.templates.save('news', NEWS, app.now());
    });

    it('lets a marketer create, launch, pause, resume and cancel a campaign', async () => {
      const created = await client.post('/v1/campaigns', { name: 'Syystarjous', purpose: 'marketing', channel: 'email', product: 'UV-PRINT-7', template: 'autumn', filter: { postalCodePrefixes: '0,1,2,3,4,5,6,7,8,9' } }, 'marketer');
      expect(created.statusCode).toBe(201);
      const campaign = created.json<{ id: number; status: string; filter: unknown; sku: string }>();
      expect(campaign).toMatchObject({ status: 'draft', sku: 'UV-PRINT-7', templateId: 'autumn', filter: { postalCodePrefixes: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'] } });
      // The same shape as reading it: with its (empty) counts.
      const { recentSends, ...asCreated } = created.json<Record<string, unknown>>();
      expect(recentSends).toEqual([]);
      expect(asCreated).toEqual((await client.get(`/v1/campaigns/${campaign.id}`, 'marketer')).json());
      expect(asCreated['counts']).toEqual({ byState: {}, skippedBy: {} });

      const launched = await client.post(`/v1/campaigns/${campaign.id}/launch`, undefined, 'marketer');
      expect(launched.statusCode).toBe(200);
      const result = launched.json<{ deliveries: number; campaign: { status: string; asOf: string }; counts: { byState: Record<string, number> } }>();
      expect(result.campaign).toMatchObject({ status: 'running', asOf: NOW });
      expect(result.deliveries).toBeGreaterThan(0);
      expect(Object.values(result.counts.byState).reduce((a, b) => a + b, 0)).toBe(result.deliveries);

      expect((await client.post(`/v1/campaigns/${campaign.id}/pause`, undefined, 'marketer')).json()).toMatchObject({ status: 'paused' });
      expect((await client.post(`/v1/campaigns/${campaign.id}/resume`, undefined, 'marketer')).json()).toMatchObject({ status: 'running', statusReason: null });
      expect((await client.post(`/v1/campaigns/${campaign.id}/cancel`, undefined, 'admin')).json()).toMatchObject({ status: 'cancelled' });
      const again = await client.post(`/v1/campaigns/${campaign.id}/resume`, undefined, 'marketer');
      expect(again.statusCode).toBe(409);
      expect(again.json()).toMatchObject({ error: 'CAMPAIGN_STATE', field: 'campaign' });
    });

    it('refuses at create a template the campaign cannot fill, naming what is missing, and writes nothing', async () => {
      const before = await campaignCount();
      const noLink = await client.post('/v1/campaigns', { name: 'Uutiset', purpose: 'marketing', channel: 'email', template: 'news', vars: { discount: 20 } }, 'marketer');
      expect(noLink.statusCode).toBe(422);
      expect(noLink.json()).toMatchObject({ error: 'TEMPLATE_INVALID', field: 'links.article1' });
      expect(noLink.json<{ message: string }>().message).toContain('"links"');
      const noVar = await client.post('/v1/campaigns', { name: 'Uutiset', purpose: 'marketing', channel: 'email', template: 'news', links: { article1: 'https://uutiset.example/1' } }, 'marketer');
      expect(noVar.json()).toMatchObject({ error: 'TEMPLATE_INVALID', field: 'vars.discount' });
      const missing = await client.post('/v1/campaigns', { name: 'Uutiset', purpose: 'marketing', channel: 'email', template: 'nope' }, 'marketer');
      expect(missing.json()).toMatchObject({ error: 'TEMPLATE_INVALID', field: 'template' });
      expect(await campaignCount()).toBe(before);
      const filled = await client.post('/v1/campaigns', { name: 'Uutiset', purpose: 'marketing', channel: 'email', template: 'news', vars: { discount: 20 }, links: { article1: 'https://uutiset.example/1' } }, 'marketer');
      expect(filled.statusCode).toBe(201);
      expect(filled.json()).toMatchObject({ vars: { discount: 20 }, links: { article1: 'https://uutiset.example/1' } });
    });

    it('records who allowed an unaligned sender at create, as the PUT does', async () => {
      const res = await client.post('/v1/campaigns', { name: 'Kumppani', purpose: 'marketing', channel: 'email', template: 'autumn', from: { address: 'uutiset@partner.example' }, allowUnalignedFrom: { reason: 'the relay signs for partner.example' } }, 'marketer');
      expect(res.statusCode).toBe(201);
      expect(res.json()).toMatchObject({ from: { address: 'uutiset@partner.example', name: 'uutiset@partner.example' }, unalignedFrom: { reason: 'the relay signs for partner.example', by: expect.stringMatching(/^key:.+ \(test marketer\)$/), at: NOW } });
    });

    it.each([
      [{ name: 'x', purpose: 'spam', channel: 'email' }, 'UNKNOWN_PURPOSE', 'purpose'],
      [{ name: 'x', purpose: 'marketing', channel: 'email', product: 'NOPE-1' }, 'UNKNOWN_PRODUCT', 'product'],
      [{ name: 'x', purpose: 'marketing', channel: 'email', template: 'autumn', sendAt: '2020-01-01T00:00:00Z' }, 'VALIDATION_FAILED', 'sendAt'],
      [{ name: 'x', purpose: 'marketing', channel: 'email', sendAt: 'tomorrow' }, 'INVALID_DATE', 'sendAt'],
      [{ name: 'x', purpose: 'marketing', channel: 'email', from: { address: 'a@example.fi, b@example.fi' } }, 'VALIDATION_FAILED', 'from.address'],
      [{ name: 'x', purpose: 'marketing', channel: 'email', links: { offer: 'javascript:alert(1)' } }, 'VALIDATION_FAILED', 'links.offer'],
      [{ name: 'x', purpose: 'marketing', channel: 'email', vars: { 'bad name': 1 } }, 'VALIDATION_FAILED', 'vars.bad name'],
      [{ name: 'x', purpose: 'marketing', channel: 'email', filter: { orderedSku: 'NOPE-1' } }, 'UNKNOWN_PRODUCT', 'orderedSku'],
      [{ name: 'x', purpose: 'marketing', channel: 'email', tempalte: 'autumn' }, 'VALIDATION_FAILED', 'tempalte'],
      [{ name: 'x', purpose: 'marketing', channel: 'email', brand: 'no-such-brand' }, 'VALIDATION_FAILED', 'brand'],
      [{ name: 'x', purpose: 'marketing', channel: 'email', allowUnalignedFrom: { reason: 'x' } }, 'VALIDATION_FAILED', 'allowUnalignedFrom.reason'],
    ])('refuses %j with %s naming %s', async (body, code, field) => {
      const res = await client.post('/v1/campaigns', body, 'marketer');
      expect(res.json()).toMatchObject({ error: code, field });
    });

    it('schedules and unschedules a draft, and launches one scheduled for later only when told to', async () => {
      const id = (await client.post('/v1/campaigns', { name: 'Joulu', purpose: 'marketing', channel: 'email', template: 'autumn' }, 'marketer')).json<{ id: number }>().id;
      const scheduled = await client.post(`/v1/campaigns/${id}/schedule`, { at: '2026-12-01T07:00:00+02:00' }, 'marketer');
      expect(scheduled.json()).toMatchObject({ sendAt: '2026-12-01T05:00:00.000Z' });
      expect((await client.post(`/v1/campaigns/${id}/launch`, {}, 'marketer')).json()).toMatchObject({ error: 'CAMPAIGN_STATE' });
      expect((await client.post(`/v1/campaigns/${id}/schedule`, { at: null }, 'marketer')).json()).toMatchObject({ sendAt: null });
      expect((await client.post(`/v1/campaigns/${id}/schedule`, { at: '2026-12-01T07:00:00+02:00' }, 'marketer')).statusCode).toBe(200);
      expect((await client.post(`/v1/campaigns/${id}/launch`, { now: true }, 'marketer')).json()).toMatchObject({ campaign: { status: 'running' } });
    });

    it('refuses a launch of a draft without a template, naming the field', async () => {
      const id = (await client.post('/v1/campaigns', { name: 'Tyhjä', purpose: 'service', channel: 'email' }, 'marketer')).json<{ id: number }>().id;
      const res = await client.post(`/v1/campaigns/${id}/launch`, undefined, 'marketer');
      expect(res.statusCode).toBe(422);
      expect(res.json()).toMatchObject({ error: 'TEMPLATE_INVALID', field: 'template' });
      expect((await client.post('/v1/campaigns/999999/launch', undefined, 'marketer')).json()).toMatchObject({ error: 'NOT_FOUND', field: 'campaign' });
    });

    it('names at create a campaign launched lately with the same template or product to the same people, refuses the launch until confirmed, and can leave them out', async () => {
      const app = ctx.app;
      await app.stores.templates.save('news2', { ...NEWS, id: 'news2' }, app.now());
      const content = { links: { article1: 'https://uutiset.example/1' }, vars: { discount: 20 } };
      const first = (await client.post('/v1/campaigns', { name: 'Uutiset', purpose: 'marketing', channel: 'email', product: 'UV-PRINT-7', template: 'news', ...content }, 'marketer')).json<{ id: number; recentSends: unknown[] }>();
      expect(first.recentSends).toEqual([]);
      const launchedFirst = await client.post(`/v1/campaigns/${first.id}/launch`, undefined, 'marketer');
      expect(launchedFirst.json<{ counts: { byState: { queued?: number } } }>().counts.byState.queued).toBeGreaterThan(0);
      // Set-based and exact: the earlier campaign's queued deliveries to customers the new filter (locale fi) selects.
      const gotIt = await app.database.db
        .selectFrom('deliveries as d')
        .innerJoin('customers as c', 'c.id', 'd.customer_id')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .where('d.campaign_id', '=', first.id)
        .where('d.state', '=', 'queued')
        .where('c.locale', '=', 'fi')
        .executeTakeFirstOrThrow();
      expect(Number(gotIt.n)).toBeGreaterThan(0);

      const again = await client.post('/v1/campaigns', { name: 'Uutiset taas', purpose: 'marketing', channel: 'email', template: 'news', filter: { attribute: { name: 'locale', value: 'fi' } }, ...content }, 'marketer');
      expect(again.statusCode).toBe(201);
      const second = again.json<{ id: number; recentSends: unknown[] }>();
      expect(second.recentSends).toEqual([{ campaignId: first.id, name: 'Uutiset', launchedAt: NOW, same: 'template', overlap: Number(gotIt.n) }]);

      const refused = await client.post(`/v1/campaigns/${second.id}/launch`, undefined, 'marketer');
      expect(refused.statusCode).toBe(409);
      expect(refused.json()).toMatchObject({ error: 'RECENT_DUPLICATE', field: 'campaign', details: { recent: [{ campaignId: first.id, overlap: Number(gotIt.n) }] } });
      expect(refused.json<{ message: string }>().message).toContain(`campaign ${first.id} "Uutiset" (same template), launched at ${NOW}`);
      expect((await client.get(`/v1/campaigns/${second.id}`)).json()).toMatchObject({ status: 'draft', counts: { byState: {} } });
      expect((await client.post(`/v1/campaigns/${second.id}/launch`, { despiteRecent: [first.id] }, 'marketer')).statusCode).toBe(200);

      // The same product with another template counts too; a service message is never held back.
      const sameProduct = (await client.post('/v1/campaigns', { name: 'Tuote', purpose: 'marketing', channel: 'email', product: 'UV-PRINT-7', template: 'news2', ...content }, 'marketer')).json<{ recentSends: { campaignId: number; same: string }[] }>();
      expect(sameProduct.recentSends).toEqual([expect.objectContaining({ campaignId: first.id, same: 'product' })]);

      const excluding = (await client.post('/v1/campaigns', { name: 'Uutiset muille', purpose: 'marketing', channel: 'email', template: 'news', filter: { excludeRecipientsOf: [first.id, second.id] }, ...content }, 'marketer')).json<{ id: number; recentSends: unknown[]; filter: unknown }>();
      expect(excluding).toMatchObject({ recentSends: [], filter: { excludeRecipientsOf: [first.id, second.id] } });
      expect((await client.post(`/v1/campaigns/${excluding.id}/launch`, undefined, 'marketer')).statusCode).toBe(200);
      const twice = await app.database.db
        .selectFrom('deliveries as d')
        .innerJoin('deliveries as e', 'e.customer_id', 'd.customer_id')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .where('d.campaign_id', '=', excluding.id)
        .where('e.campaign_id', '=', first.id)
        .where('e.state', '=', 'queued')
        .executeTakeFirstOrThrow();
      expect(Number(twice.n)).toBe(0);
      expect((await client.post('/v1/campaigns', { name: 'x', purpose: 'marketing', channel: 'email', filter: { excludeRecipientsOf: [999999] } }, 'marketer')).json()).toMatchObject({ error: 'NOT_FOUND', field: 'filter.excludeRecipientsOf' });
    });

    describe('roles', () => {
      it.each(['analyst', 'agent', 'dpo'] as const)('refuses %s (403) and writes nothing', async (role) => {
        const before = await campaignCount();
        expect((await client.post('/v1/campaigns', { name: 'x', purpose: 'service', channel: 'email' }, role)).statusCode).toBe(403);
        expect((await client.post('/v1/campaigns/1/pause', undefined, role)).statusCode).toBe(403);
        expect(await campaignCount()).toBe(before);
      });
    });
  },
  { now: () => NOW },
);
