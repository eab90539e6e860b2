/** One marketing message per address per campaign (compliance.md §2 rule 12), on both stores. */
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { sql } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import type { Sku } from '../core/records.ts';
import { runImport } from '../import/run-import.ts';
import { describeEachStore } from '../../test/support/stores.ts';
import { NEWSLETTER, SERVICE_NOTICE, saveStockTemplates } from '../../test/support/sending.ts';
import { createCampaign, launchCampaign } from './campaigns.ts';

const FIELD = readFileSync(new URL('../../test/fixtures/field/ndjson-two-customers-same-email-different-case.ndjson', import.meta.url), 'utf8');

/** Three people sharing one phone (a family's number), one of them without SMS consent; and one alone. */
const SHARED_PHONE = [
  { type: 'product', sku: 'UV-PRINT-7', name: 'Uutisvirta 7 pv', category: 'daily' },
  ...['S1', 'S2', 'S3', 'S4'].map((id, i) => ({ type: 'customer', id, kind: 'person', name: `Perhe ${id}`, phone: i < 3 ? '040 111 2222' : '040 111 3333', email: `${id.toLowerCase()}@example.fi` })),
  ...['S2', 'S3', 'S4'].map((customerId) => ({ type: 'consent', customerId, purpose: 'marketing', channel: 'sms', value: 'granted', at: '2026-01-01T00:00:00Z', source: 'web-form' })),
]
  .map((r) => JSON.stringify(r))
  .join('\n');

describeEachStore('one marketing message per address', (ctx) => {
  const deps = () => ({ ...ctx.app.stores, settings: ctx.app.settings, sending: ctx.app.sending, now: ctx.app.now });
  const rows = async (campaignId: number) =>
    (await sql<{ customer_id: string; state: string; reasons: string }>`SELECT customer_id, state, reasons FROM deliveries WHERE campaign_id = ${campaignId} ORDER BY customer_id`.execute(ctx.app.database.db)).rows;

  beforeAll(async () => {
      await saveStockTemplates(ctx.app);
    const product = JSON.stringify({ type: 'product', sku: 'UV-PRINT-7', name: 'Uutisvirta 7 pv', category: 'daily' });
    for (const file of [`${product}\n${FIELD}`, SHARED_PHONE]) {
      const result = await runImport({ database: ctx.app.database, settings: ctx.app.settings, now: ctx.app.now }, { stream: Readable.from(file), format: 'ndjson' });
      expect(result.errorCount).toBe(0);
    }
  });

  it('sends an e-mail campaign once to two customer records with the same address in different case', async () => {
    // The whole register, read from refreshed audience summaries: the path a large launch takes.
    await ctx.app.stores.audience.refreshSummaries();
    const campaign = await createCampaign(deps(), { name: 'Kaksi tietuetta', purpose: 'marketing', channel: 'email', sku: 'UV-PRINT-7' as Sku, filter: {}, templateId: NEWSLETTER.id });
    const launched = await launchCampaign(deps(), { campaignId: campaign.id });
    expect(launched.counts.byState.queued).toBe(1);
    expect((await rows(campaign.id)).filter((r) => r.customer_id.startsWith('D'))).toEqual([
      { customer_id: 'D001', state: 'queued', reasons: 'CONSENT_GRANTED' },
      { customer_id: 'D002', state: 'skipped', reasons: 'DUPLICATE_ADDRESS' },
    ]);
    expect(launched.counts.skippedBy.DUPLICATE_ADDRESS).toBe(1);
  });

  it('keeps the address for a customer who may receive it, not for one who may not', async () => {
    const campaign = await createCampaign(deps(), { name: 'Perhe', purpose: 'marketing', channel: 'sms', sku: null, filter: { customerIds: ['S1', 'S2', 'S3', 'S4'] as never }, templateId: NEWSLETTER.id });
    await launchCampaign(deps(), { campaignId: campaign.id });
    expect(await rows(campaign.id)).toEqual([
      { customer_id: 'S1', state: 'skipped', reasons: 'NO_LEGAL_BASIS' },
      { customer_id: 'S2', state: 'queued', reasons: 'CONSENT_GRANTED' },
      { customer_id: 'S3', state: 'skipped', reasons: 'DUPLICATE_ADDRESS' },
      { customer_id: 'S4', state: 'queued', reasons: 'CONSENT_GRANTED' },
    ]);
  });

  it('sends a service message to every customer, whoever shares the address', async () => {
    const campaign = await createCampaign(deps(), { name: 'Jakeluhäiriö', purpose: 'service', channel: 'email', sku: null, filter: { customerIds: ['D001', 'D002'] as never }, templateId: SERVICE_NOTICE.id });
    const launched = await launchCampaign(deps(), { campaignId: campaign.id });
    expect(launched.counts.byState.queued).toBe(2);
  });
});
