/**
 * Site event ingestion (`POST /v1/events`, docs/sites-and-ads.md): batches of 20 consented events
 * (one visitor each, as the browser SDK sends them) from a client process of its own
 * (bench/http-load.mjs, autocannon), against Lupa's server on a fresh store, beside a bare
 * `node:http` server that reads the same bodies and answers the same JSON: the machine's floor that
 * day. Two runs each: as fast as answered (events stored a second; target ≥ 100,000), and a fixed
 * 5,000 requests a second (p99; target ≤ 25 ms). After each, the rows are counted: every
 * acknowledged event must be stored (an answer comes only after its batch's commit).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp, type App } from '../src/composition-root.ts';
import { loadConfig } from '../src/config.ts';
import { buildServer } from '../src/http/server.ts';
import { runLoad, type LoadFigures } from './http-capacity.ts';
import { round } from './run.ts';

const EVENTS_PER_REQUEST = 20;
const FIXED_RATE = 5000;
const EVENTS_TARGET = 100_000;
const P99_TARGET_MS = 25;
const CONNECTIONS = 64;
/**
 * At a fixed 5,000 requests/s: a connection holds one request at a time, and an answer waits for its
 * batch's commit (milliseconds), so 64 connections could not even offer that rate; as many browsers
 * as keep 5,000 a second going at 30 ms each.
 */
const FIXED_CONNECTIONS = 160;

/** One batch as the SDK sends it, its visitor id unique per request (`{n}`), under `label`. */
function bodyTemplate(label: string): string {
  const events = Array.from({ length: EVENTS_PER_REQUEST }, (_, i) => (i === 0 ? { type: 'page', page: '/uutiset/kotimaa' } : { type: 'track', name: 'scroll_depth', page: '/uutiset/kotimaa', props: { depth: i * 5 } }));
  return JSON.stringify({ site: 'uutisvirta.fi', consent: { site_ads: true, ad_audience: false }, visitorId: `vis_bench_${label}_run_{n}`, events });
}

/** A bare `node:http` server that reads each body whole and answers Lupa's answer to it. */
async function bareEventServer(): Promise<{ port: number; close(): Promise<void> }> {
  const payload = Buffer.from(JSON.stringify({ stored: EVENTS_PER_REQUEST, counted: 0, identified: 0 }));
  const server = http.createServer((req, res) => {
    req.on('data', () => undefined);
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': payload.length });
      res.end(payload);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

async function storedRows(app: App): Promise<number> {
  const db = app.database;
  if (db.dialect === 'sqlite') return db.sqlite.prepare('SELECT count(*) FROM site_events').pluck().get() as number;
  return Number((await db.pool.query<{ n: string }>('SELECT count(*) AS n FROM site_events')).rows[0]?.n ?? 0);
}

/**
 * The load's figures with this process's CPU time per answer (the server under test, its writer
 * thread included, runs here; the client in a process of its own): a figure the machine's other
 * work disturbs less than latency and rates do.
 */
async function withCpu<T extends LoadFigures>(run: () => Promise<T>): Promise<T & { cpuMsPerAnswer: number }> {
  const before = process.cpuUsage();
  const figures = await run();
  const used = process.cpuUsage(before);
  return { ...figures, cpuMsPerAnswer: round((used.user + used.system) / 1000 / Math.max(figures.answered, 1), 3) };
}

interface Run extends LoadFigures {
  eventsAckedPerSecond: number;
  eventsStoredPerSecond: number;
  /** Events acknowledged but not found stored afterwards: must be 0. */
  ackedNotStored: number;
}

async function lupaRun(app: App, port: number, label: string, seconds: number, rate?: number): Promise<Run> {
  const before = await storedRows(app);
  const connections = rate === undefined ? CONNECTIONS : FIXED_CONNECTIONS;
  const figures = await runLoad({ url: `http://127.0.0.1:${port}/v1/events`, headers: { 'content-type': 'text/plain;charset=UTF-8' }, connections, seconds, bodyTemplate: bodyTemplate(label), ...(rate === undefined ? {} : { rate }) });
  await app.stores.siteEvents.flush();
  const stored = (await storedRows(app)) - before;
  const acked = figures.answered * EVENTS_PER_REQUEST;
  return {
    ...figures,
    eventsAckedPerSecond: Math.round(acked / figures.seconds),
    eventsStoredPerSecond: Math.round(stored / figures.seconds),
    ackedNotStored: Math.max(0, acked - stored),
  };
}

/** The benchmark on a fresh store at `databaseUrl` (dropped by the caller). */
export async function benchEvents(databaseUrl: string, seconds: number): Promise<Record<string, unknown>> {
  const app = await createApp(loadConfig({ LUPA_DATABASE_URL: databaseUrl, LUPA_LOG_LEVEL: 'silent' }));
  if (app.database.dialect === 'sqlite') app.database.checkpointOffThread();
  const server = await buildServer(app, { logger: false, consoleDir: null });
  await server.listen({ host: '127.0.0.1', port: 0 });
  const port = (server.server.address() as AddressInfo).port;
  const bare = await bareEventServer();
  try {
    const bareUrl = `http://127.0.0.1:${bare.port}/v1/events`;
    const bareLoad = (rate?: number) => withCpu(() => runLoad({ url: bareUrl, connections: rate === undefined ? CONNECTIONS : FIXED_CONNECTIONS, seconds, bodyTemplate: bodyTemplate('bare'), ...(rate === undefined ? {} : { rate }) }));
    const bareMax = await bareLoad();
    const lupaMax = await withCpu(() => lupaRun(app, port, 'max', seconds));
    const bareFixed = await bareLoad(FIXED_RATE);
    const lupaFixed = await withCpu(() => lupaRun(app, port, 'fixed', seconds, FIXED_RATE));
    return {
      seconds,
      connections: { max: CONNECTIONS, fixed: FIXED_CONNECTIONS },
      eventsPerRequest: EVENTS_PER_REQUEST,
      bare: { what: 'node:http reading the same bodies and answering the same JSON', max: bareMax, fixed: bareFixed },
      lupa: { max: lupaMax, fixed: lupaFixed },
      throughputRatioToBare: round(lupaMax.requestsPerSecond / Math.max(bareMax.requestsPerSecond, 1)),
      p99RatioToBare: round(lupaFixed.latencyMs.p99 / Math.max(bareFixed.latencyMs.p99, 1)),
      cpuRatioToBare: round(lupaFixed.cpuMsPerAnswer / Math.max(bareFixed.cpuMsPerAnswer, 0.001)),
      target: {
        eventsStoredPerSecond: EVENTS_TARGET,
        p99AtMostMs: P99_TARGET_MS,
        atRate: FIXED_RATE,
        everyAckStored: lupaMax.ackedNotStored === 0 && lupaFixed.ackedNotStored === 0,
        met: lupaMax.eventsStoredPerSecond >= EVENTS_TARGET && lupaFixed.latencyMs.p99 <= P99_TARGET_MS && lupaFixed.non2xx === 0 && lupaMax.ackedNotStored === 0 && lupaFixed.ackedNotStored === 0,
      },
    };
  } finally {
    await bare.close();
    await server.close();
    await app.close();
  }
}
