/** `decide` over HTTP at a fixed rate (default 1,000 requests/s for 10 s): p50/p99/max latency. */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { AddressInfo } from 'node:net';
import type { App } from '../src/composition-root.ts';
import { buildServer } from '../src/http/server.ts';
import { createApiKey } from '../src/use-cases/api-keys.ts';
import { round } from './run.ts';

const RATE = 1000;
const SECONDS = 10;

export async function benchDecideHttp(app: App, customers: number): Promise<Record<string, unknown>> {
  const server = await buildServer(app, { logger: false });
  await server.listen({ host: '127.0.0.1', port: 0 });
  const port = (server.server.address() as AddressInfo).port;
  const { key } = await createApiKey({ apiKeys: app.stores.apiKeys, now: app.now }, { name: 'benchmark', role: 'marketer' });
  // Random customers spread over the whole register, with a product so soft opt-in is evaluated.
  const products = await app.stores.catalogue.listProducts();
  const sku = products.find((p) => p.category === 'daily')?.sku ?? products[0]?.sku ?? '';
  const paths = Array.from({ length: 5000 }, (_, i) => {
    const id = `C${String(1 + ((i * 7919) % customers)).padStart(7, '0')}`;
    return `/v1/decide?customer=${id}&purpose=marketing&channel=email&product=${sku}`;
  });
  try {
    // A short warm-up at the same rate fills caches and the connection pool.
    await load(port, key, paths, RATE, 2);
    // How long the server's event loop was held up meanwhile (GC, synchronous SQLite work): the
    // part of the latency tail that is not the requests themselves.
    const loopDelay = monitorEventLoopDelay({ resolution: 1 });
    loopDelay.enable();
    const run = await load(port, key, paths, RATE, SECONDS);
    loopDelay.disable();
    const sorted = [...run.latencies].sort((a, b) => a - b);
    const pct = (p: number): number => round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN, 2);
    return {
      rate: RATE,
      seconds: SECONDS,
      requests: sorted.length,
      transportErrors: run.errors,
      non200: run.statusErrors,
      p50Ms: pct(50),
      p90Ms: pct(90),
      p99Ms: pct(99),
      maxMs: round(sorted.at(-1) ?? NaN, 2),
      eventLoopDelayMs: { p99: round(loopDelay.percentile(99) / 1e6, 2), max: round(loopDelay.max / 1e6, 2) },
    };
  } finally {
    await server.close();
  }
}

function load(port: number, key: string, paths: string[], rate: number, seconds: number): Promise<{ latencies: number[]; errors: number; statusErrors: number }> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(fileURLToPath(new URL('./http-load-worker.mjs', import.meta.url)), { workerData: { port, key, rate, seconds, paths } });
    worker.once('message', (m: { latencies: number[]; errors: number; statusErrors: number }) => {
      void worker.terminate();
      resolve(m);
    });
    worker.once('error', reject);
  });
}
