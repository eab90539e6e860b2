/** Campaign launch benchmark: marketing by e-mail for one product over every customer, deliveries written. */
import { sql } from 'kysely';
import type { App } from '../src/composition-root.ts';
import type { Sku } from '../src/core/records.ts';
import { createCampaign, launchCampaign } from '../src/use-cases/campaigns.ts';

export async function benchLaunch(app: App): Promise<Record<string, unknown>> {
  const products = await app.stores.catalogue.listProducts();
  const product = products.find((p) => p.category === 'daily') ?? products[0];
  if (product === undefined) throw new Error('no products: run the import benchmark first');
  const deps = { ...app.stores, settings: app.settings, now: app.now };
  const campaign = await createCampaign(deps, { name: 'benchmark', purpose: 'marketing', channel: 'email', sku: product.sku as Sku, filter: {}, templateId: null });
  const started = performance.now();
  const result = await launchCampaign(deps, { campaignId: campaign.id });
  const seconds = (performance.now() - started) / 1000;
  // The benchmark's deliveries are not kept: the next run starts from the same store.
  await sql`DELETE FROM deliveries WHERE campaign_id = ${campaign.id}`.execute(app.database.db);
  return { product: product.sku, deliveries: result.deliveries, byState: result.counts.byState, seconds: Number(seconds.toFixed(3)) };
}
