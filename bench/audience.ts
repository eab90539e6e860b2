/** Audience benchmark: marketing by e-mail for one product over every customer (soft opt-in needs the product). */
import type { App } from '../src/composition-root.ts';
import type { Instant, Sku } from '../src/core/records.ts';
import { audienceCounts } from '../src/use-cases/audience.ts';

export async function benchAudience(app: App): Promise<Record<string, unknown>> {
  const products = await app.stores.catalogue.listProducts();
  const product = products.find((p) => p.category === 'daily') ?? products[0];
  if (product === undefined) throw new Error('no products: run the import benchmark first');
  const input = { purpose: 'marketing' as const, channel: 'email' as const, sku: product.sku as Sku, at: '2026-11-01T00:00:00.000Z' as Instant, filter: {} };
  const deps = { ...app.stores, settings: app.settings };
  await audienceCounts(deps, input); // warm the caches
  const seconds: number[] = [];
  let counts: Awaited<ReturnType<typeof audienceCounts>> | undefined;
  for (let i = 0; i < 5; i++) {
    const started = performance.now();
    counts = await audienceCounts(deps, input);
    seconds.push((performance.now() - started) / 1000);
  }
  seconds.sort((a, b) => a - b);
  return {
    query: { purpose: input.purpose, channel: input.channel, product: product.sku, at: input.at },
    runs: seconds.length,
    medianSeconds: Number(seconds[2]?.toFixed(3)),
    maxSeconds: Number(seconds[4]?.toFixed(3)),
    counts,
  };
}
