/**
 * Campaign launch benchmark: marketing by e-mail for one product over every customer, deliveries
 * written; then the same with a partner block in the template (a second, narrowing pass for
 * `partner_marketing`). Its bare reference, measured in the same run: one INSERT … SELECT of a
 * delivery row per customer with no decision at all, so the ratio tells the code's cost from the
 * machine's day.
 */
import { sql } from 'kysely';
import type { App } from '../src/composition-root.ts';
import type { Sku } from '../src/core/records.ts';
import type { TemplateDefinition } from '../src/templates/index.ts';
import { createCampaign, launchCampaign } from '../src/use-cases/campaigns.ts';

const PLAIN_TEMPLATE: TemplateDefinition = {
  id: 'benchmark',
  kind: 'marketing',
  defaultLocale: 'fi',
  locales: { fi: { subject: 'Tarjous', mjml: '<mjml><mj-body><mj-section><mj-column><mj-text>Hei {{ customer.firstName }}!</mj-text></mj-column></mj-section></mj-body></mjml>' } },
};
const PARTNER_TEMPLATE: TemplateDefinition = {
  ...PLAIN_TEMPLATE,
  id: 'benchmark-partner',
  partnerBlock: { partnerName: 'Matkatoimisto Oy', html: '<p>Kevätlomat -20 %</p>', text: 'Kevätlomat -20 %' },
};

export async function benchLaunch(app: App): Promise<Record<string, unknown>> {
  const products = await app.stores.catalogue.listProducts();
  const product = products.find((p) => p.category === 'daily') ?? products[0];
  if (product === undefined) throw new Error('no products: run the import benchmark first');
  const deps = { ...app.stores, settings: app.settings, sending: app.sending, now: app.now };
  for (const t of [PLAIN_TEMPLATE, PARTNER_TEMPLATE]) await app.stores.templates.save(t.id, t, app.now());

  const launch = async (templateId: string) => {
    const campaign = await createCampaign(deps, { name: 'benchmark', purpose: 'marketing', channel: 'email', sku: product.sku as Sku, filter: {}, templateId });
    const started = performance.now();
    const result = await launchCampaign(deps, { campaignId: campaign.id });
    const seconds = (performance.now() - started) / 1000;
    // The benchmark's deliveries are not kept: the next run starts from the same store.
    await sql`DELETE FROM deliveries WHERE campaign_id = ${campaign.id}`.execute(app.database.db);
    return { deliveries: result.deliveries, byState: result.counts.byState, seconds: round(seconds) };
  };
  const plain = await launch(PLAIN_TEMPLATE.id);
  const partner = await launch(PARTNER_TEMPLATE.id);
  const bare = await bareInsert(app);
  return {
    product: product.sku,
    ...plain,
    withPartnerBlock: partner,
    bare: { rows: bare.rows, seconds: round(bare.seconds) },
    ratioToBare: round(plain.seconds / bare.seconds),
    partnerRatioToBare: round(partner.seconds / bare.seconds),
  };
}

/** A delivery row per customer, written by one statement with no decision: the floor a launch stands on. */
async function bareInsert(app: App): Promise<{ rows: number; seconds: number }> {
  const campaign = await app.stores.campaigns.create({ name: 'benchmark-bare', purpose: 'service', channel: 'email', sku: null, filter: {}, templateId: null }, app.now());
  const at = app.now();
  const started = performance.now();
  const result = await sql`INSERT INTO deliveries (campaign_id, customer_id, state, basis, reasons, created_at)
    SELECT ${campaign.id}, id, 'queued', NULL, 'SERVICE_MESSAGE', ${at} FROM customers`.execute(app.database.db);
  const seconds = (performance.now() - started) / 1000;
  await sql`DELETE FROM deliveries WHERE campaign_id = ${campaign.id}`.execute(app.database.db);
  return { rows: Number(result.numAffectedRows ?? 0), seconds };
}

function round(n: number): number {
  return Number(n.toFixed(3));
}
