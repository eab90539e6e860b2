/** Launching a campaign: one delivery row per audience customer, decided set-based, on both stores. */
import { Readable } from 'node:stream';
import { sql } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import type { AudienceFilter } from '../core/ports.ts';
import type { CustomerId, Instant, Sku } from '../core/records.ts';
import { demoToNdjson } from '../demo/generate-demo.ts';
import { runImport } from '../import/run-import.ts';
import { describeEachStore } from '../../test/support/stores.ts';
import { NEWSLETTER, SERVICE_NOTICE, saveStockTemplates } from '../../test/support/sending.ts';
import { audienceCounts, resolveAudienceQuery } from './audience.ts';
import { createCampaign, launchCampaign } from './campaigns.ts';
import { decideForCustomer } from './decide-for-customer.ts';

const NOW = '2026-11-01T00:00:00.000Z' as Instant;

describeEachStore(
  'launching a campaign',
  (ctx) => {
    const deps = () => ({ ...ctx.app.stores, settings: ctx.app.settings, sending: ctx.app.sending, now: ctx.app.now });

    beforeAll(async () => {
      await saveStockTemplates(ctx.app);
      const result = await runImport(
        { database: ctx.app.database, settings: ctx.app.settings, now: ctx.app.now },
        { stream: Readable.from(demoToNdjson({ customers: 400, seed: 11 })), format: 'ndjson' },
      );
      expect(result.errorCount).toBe(0);
    });

    it.each([
      ['read from the records', false],
      ['read from refreshed audience summaries', true],
    ])('gives every audience customer one delivery with the decision decide() takes for them (%s)', async (_label, refreshed) => {
      if (refreshed) expect(await ctx.app.stores.audience.refreshSummaries()).toBeGreaterThan(0);
      const campaign = await createCampaign(deps(), { name: `Syystarjous ${String(refreshed)}`, purpose: 'marketing', channel: 'email', sku: 'UV-PRINT-7' as Sku, filter: {}, templateId: NEWSLETTER.id });
      const launched = await launchCampaign(deps(), { campaignId: campaign.id });
      expect(launched.deliveries).toBe(400);
      expect(launched.campaign).toMatchObject({ status: 'running', asOf: NOW });

      const rows = await sql<{ customer_id: string; state: string; basis: string | null; reasons: string }>`
        SELECT customer_id, state, basis, reasons FROM deliveries WHERE campaign_id = ${campaign.id} ORDER BY customer_id`.execute(ctx.app.database.db);
      const decideDeps = { ...ctx.app.stores, settings: ctx.app.settings };
      for (const row of rows.rows) {
        const d = await decideForCustomer(decideDeps, { customerId: row.customer_id as CustomerId, purpose: 'marketing', channel: 'email', sku: 'UV-PRINT-7' as Sku, at: NOW });
        expect({ id: row.customer_id, state: row.state, basis: row.basis, reasons: row.reasons }).toEqual({
          id: row.customer_id,
          state: d.allowed ? 'queued' : 'skipped',
          basis: d.basis,
          reasons: d.reasons.join(','),
        });
      }
      const counts = await audienceCounts(decideDeps, { purpose: 'marketing', channel: 'email', sku: 'UV-PRINT-7' as Sku, at: NOW, filter: {} });
      expect(launched.counts.byState.queued).toBe(counts.allowed);
      expect(launched.counts.skippedBy).toEqual(counts.blocked);
    });

    it('refuses a second launch of the same campaign and writes nothing more', async () => {
      const campaign = await createCampaign(deps(), { name: 'Kahdesti', purpose: 'service', channel: 'email', sku: null, filter: {}, templateId: SERVICE_NOTICE.id });
      await launchCampaign(deps(), { campaignId: campaign.id });
      await expect(launchCampaign(deps(), { campaignId: campaign.id })).rejects.toMatchObject({ code: 'CAMPAIGN_STATE' });
      const total = Object.values((await ctx.app.stores.campaigns.deliveryCounts(campaign.id)).byState).reduce((a, b) => a + (b ?? 0), 0);
      expect(total).toBe(400);
    });

    it('finishes a launch that wrote its deliveries but stopped before marking the campaign running', async () => {
      const campaign = await createCampaign(deps(), { name: 'Keskeytynyt', purpose: 'service', channel: 'sms', sku: null, filter: {}, templateId: SERVICE_NOTICE.id });
      const query = await resolveAudienceQuery(deps(), { purpose: 'service', channel: 'sms', sku: null, at: NOW, filter: {} });
      const written = await ctx.app.stores.audience.materialise(query, { campaignId: campaign.id, createdAt: NOW, verdictOf: () => ({ state: 'queued', basis: 'contract', reasons: ['SERVICE_MESSAGE'] }) });
      expect((await ctx.app.stores.campaigns.get(campaign.id))?.status).toBe('draft');
      const launched = await launchCampaign(deps(), { campaignId: campaign.id });
      expect(launched).toMatchObject({ deliveries: written, campaign: { status: 'running' } });
      expect(launched.counts.byState).toEqual({ queued: 400 });
    });

    it('narrows the deliveries with the campaign filter', async () => {
      const campaign = await createCampaign(deps(), { name: 'Svenska', purpose: 'service', channel: 'email', sku: null, filter: { attribute: { name: 'locale', value: 'sv' } }, templateId: SERVICE_NOTICE.id });
      const launched = await launchCampaign(deps(), { campaignId: campaign.id });
      const swedish = await audienceCounts({ ...ctx.app.stores, settings: ctx.app.settings }, { purpose: 'service', channel: 'email', sku: null, at: NOW, filter: { attribute: { name: 'locale', value: 'sv' } } });
      expect(launched.deliveries).toBe(swedish.evaluated);
      expect(launched.deliveries).toBeGreaterThan(0);
      expect(launched.deliveries).toBeLessThan(400);
    });

    it('sends a service notice to several postcode areas at once: everyone in any of them, once', async () => {
      const count = async (prefixes: string[]) => (await audienceCounts({ ...ctx.app.stores, settings: ctx.app.settings }, { purpose: 'service', channel: 'email', sku: null, at: NOW, filter: { postalCodePrefixes: prefixes } })).evaluated;
      const [tampere, turku] = [await count(['33']), await count(['20'])];
      expect(tampere).toBeGreaterThan(0);
      expect(turku).toBeGreaterThan(0);
      const campaign = await createCampaign(deps(), { name: 'Jakeluhäiriö', purpose: 'service', channel: 'email', sku: null, filter: { postalCodePrefixes: ['33', '20', '331'] }, templateId: SERVICE_NOTICE.id });
      expect((await launchCampaign(deps(), { campaignId: campaign.id })).deliveries).toBe(tampere + turku);
    });

    it('reads a campaign stored with one postcode area (postalCodePrefix) as that area', async () => {
      // Campaigns created before several areas were possible keep their filter as it was stored.
      const legacy = { postalCodePrefix: '33' } as unknown as AudienceFilter;
      const campaign = await createCampaign(deps(), { name: 'Vanha suodatin', purpose: 'service', channel: 'email', sku: null, filter: legacy, templateId: SERVICE_NOTICE.id });
      expect((await ctx.app.stores.campaigns.get(campaign.id))?.filter).toEqual({ postalCodePrefixes: ['33'] });
      const launched = await launchCampaign(deps(), { campaignId: campaign.id });
      expect(launched.deliveries).toBe((await audienceCounts({ ...ctx.app.stores, settings: ctx.app.settings }, { purpose: 'service', channel: 'email', sku: null, at: NOW, filter: { postalCodePrefixes: ['33'] } })).evaluated);
      expect(launched.deliveries).toBeLessThan(400);
    });

    it('refuses an unknown product at creation and an unknown campaign at launch', async () => {
      await expect(createCampaign(deps(), { name: 'X', purpose: 'marketing', channel: 'email', sku: 'NOPE' as Sku, filter: {}, templateId: NEWSLETTER.id })).rejects.toMatchObject({ code: 'UNKNOWN_PRODUCT' });
      await expect(launchCampaign(deps(), { campaignId: 999_999 })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    });
  },
  { now: () => NOW },
);
