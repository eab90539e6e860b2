import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { AddressInfo } from 'node:net';
import { createApp } from '../src/composition-root.ts';
import { loadConfig } from '../src/config.ts';
import { buildServer } from '../src/http/server.ts';
import { createApiKey } from '../src/use-cases/api-keys.ts';
import { runLoad } from './http-capacity.ts';

const store = process.argv[2] ?? 'postgres';
const rate = Number(process.argv[3] ?? 2200);
const url = store === 'sqlite' ? 'sqlite:data/bench/bench-100000.db' : 'postgres://postgres@127.0.0.1:5432/test?schema=bench_100000';
const app = await createApp(loadConfig({ LUPA_DATABASE_URL: url, LUPA_LOG_LEVEL: 'silent' }));
if (app.database.dialect === 'sqlite') app.database.checkpointOffThread();
const { key } = await createApiKey({ apiKeys: app.stores.apiKeys, now: app.now }, { name: 'benchmark', role: 'marketer' });
const products = await app.stores.catalogue.listProducts();
const sku = products.find((p) => p.category === 'daily')?.sku ?? '';
const paths = Array.from({ length: 5000 }, (_, i) => `/v1/decide?customer=C${String(1 + ((i * 7919) % 100000)).padStart(7, '0')}&purpose=marketing&channel=email&product=${sku}`);
const server = await buildServer(app, { logger: false });
await server.listen({ host: '127.0.0.1', port: 0 });
const port = (server.server.address() as AddressInfo).port;
const headers = { authorization: `Bearer ${key}` };
for (const p of paths) await server.inject({ url: p, headers });
await runLoad({ url: `http://127.0.0.1:${port}/`, paths, headers, connections: 16, seconds: 2 });
const durations: number[] = [];
const slow: Array<[number, number]> = [];
const t0 = performance.now();
server.server.on('request', (_req, res) => {
  const s = performance.now();
  res.on('finish', () => {
    const d = performance.now() - s;
    durations.push(d);
    if (d > 10) slow.push([Math.round(s - t0), Math.round(d)]);
  });
});
const loop = monitorEventLoopDelay({ resolution: 1 });
loop.enable();
const gcs: Array<[number, number, string]> = [];
const { PerformanceObserver } = await import('node:perf_hooks');
const obs = new PerformanceObserver((list) => { for (const e of list.getEntries()) if (e.duration > 3) gcs.push([Math.round(e.startTime - t0), Math.round(e.duration), String((e as any).detail?.kind)]); });
obs.observe({ entryTypes: ['gc'] });
const { Session } = await import('node:inspector/promises');
const session = new Session();
session.connect();
if (process.env.HEAP) await session.post('HeapProfiler.startSampling', { samplingInterval: 4096, includeObjectsCollectedByMinorGC: true, includeObjectsCollectedByMajorGC: true } as any);
const fig = await runLoad({ url: `http://127.0.0.1:${port}/`, paths, headers, connections: 16, seconds: 10, rate });
loop.disable();
if (process.env.HEAP) {
  const { profile } = (await session.post('HeapProfiler.stopSampling')) as any;
  const self = new Map<string, number>();
  const walk = (n: any, stack: string[]) => {
    const name = `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.replace(/.*\/(node_modules|src)\//, '$1/')}:${n.callFrame.lineNumber}`;
    const sz = n.selfSize as number;
    if (sz > 0) self.set(name, (self.get(name) ?? 0) + sz);
    for (const c of n.children) walk(c, [...stack, name]);
  };
  walk(profile.head, []);
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  console.log('alloc total MB', (total / 1e6).toFixed(1), 'per request KB', (total / 22000 / 1e3).toFixed(1));
  for (const [k, v] of [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 30)) console.log((v / total * 100).toFixed(1).padStart(5), k);
}
durations.sort((a, b) => a - b);
const q = (x: number) => durations[Math.floor(x * durations.length)]?.toFixed(2);
console.log(JSON.stringify(fig));
console.log('server-internal p50', q(0.5), 'p90', q(0.9), 'p99', q(0.99), 'max', durations.at(-1)?.toFixed(1), 'n', durations.length);
console.log('loop p99', (loop.percentile(99) / 1e6).toFixed(1), 'max', (loop.max / 1e6).toFixed(1));
console.log('slow', JSON.stringify(slow.slice(0, 60)));
console.log('gcs', JSON.stringify(gcs));
await server.close();
await app.close();
