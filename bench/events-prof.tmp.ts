import type { AddressInfo } from 'node:net';
import { rmSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { createApp } from '../src/composition-root.ts';
import { loadConfig } from '../src/config.ts';
import { buildServer } from '../src/http/server.ts';
import { runLoad } from './http-capacity.ts';

rmSync('data/bench/events-prof.db', { force: true }); rmSync('data/bench/events-prof.db-wal', { force: true }); rmSync('data/bench/events-prof.db-shm', { force: true });
const app = await createApp(loadConfig({ LUPA_DATABASE_URL: 'sqlite:data/bench/events-prof.db', LUPA_LOG_LEVEL: 'silent' }));
app.database.checkpointOffThread();
const server = await buildServer(app, { logger: false, consoleDir: null });
await server.listen({ host: '127.0.0.1', port: 0 });
const port = (server.server.address() as AddressInfo).port;
const events = Array.from({ length: 20 }, (_, i) => (i === 0 ? { type: 'page', page: '/uutiset/kotimaa' } : { type: 'track', name: 'scroll_depth', page: '/uutiset/kotimaa', props: { depth: i * 5 } }));
const bodyTemplate = JSON.stringify({ site: 'uutisvirta.fi', consent: { site_ads: true, ad_audience: false }, visitorId: 'vis_bench_x_run_{n}', events });
const job = { url: `http://127.0.0.1:${port}/v1/events`, headers: { 'content-type': 'text/plain;charset=UTF-8' }, connections: 64, bodyTemplate };
await runLoad({ ...job, seconds: 2 });
const session = new Session();
session.connect();
if (process.env.PROF) { await session.post('Profiler.enable'); await session.post('Profiler.setSamplingInterval', { interval: 200 }); await session.post('Profiler.start'); }
const before = process.cpuUsage();
const fig = await runLoad({ ...job, seconds: 10 });
const used = process.cpuUsage(before);
console.log(JSON.stringify(fig.requestsPerSecond), 'cpu ms/answer', ((used.user + used.system) / 1000 / fig.answered).toFixed(3));
if (process.env.PROF) {
  const { profile } = (await session.post('Profiler.stop')) as any;
  const self = new Map<string, number>();
  const dt = new Map<number, number>();
  profile.samples.forEach((id: number, i: number) => dt.set(id, (dt.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  let total = 0;
  for (const n of profile.nodes) {
    const t = dt.get(n.id) ?? 0; total += t;
    const name = `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.replace(/.*\/(node_modules|src)\//, '$1/')}:${n.callFrame.lineNumber}`;
    self.set(name, (self.get(name) ?? 0) + t);
  }
  for (const [k, v] of [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 40)) console.log((v / total * 100).toFixed(1).padStart(5), k);
}
await server.close();
await app.close();
