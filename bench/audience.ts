/**
 * Audience benchmark: marketing by e-mail for one product over every customer (soft opt-in needs
 * the product), beside its bare reference in the same run: one grouped scan of the summary columns
 * the audience reads (bench/bare-references.ts).
 */
import type { App } from '../src/composition-root.ts';
import type { Instant, Sku } from '../src/core/records.ts';
import { audienceCounts } from '../src/use-cases/audience.ts';
import { bareSummaryScan } from './bare-references.ts';

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
  await bareSummaryScan(app); // warm as the audience was
  const bare: { rows: number; seconds: number }[] = [];
  for (let i = 0; i < 5; i++) bare.push(await bareSummaryScan(app));
  bare.sort((a, b) => a.seconds - b.seconds);
  const median = seconds[2] ?? NaN;
  const bareMedian = bare[2]?.seconds ?? NaN;
  return {
    query: { purpose: input.purpose, channel: input.channel, product: product.sku, at: input.at },
    runs: seconds.length,
    medianSeconds: Number(seconds[2]?.toFixed(3)),
    maxSeconds: Number(seconds[4]?.toFixed(3)),
    counts,
    bare: { rows: bare[2]?.rows, medianSeconds: Number(bareMedian.toFixed(4)) },
    ratioToBare: Number((median / bareMedian).toFixed(3)),
  };
}
