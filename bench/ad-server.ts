/**
 * `GET /v1/ad-server/segments?visitor=…` over HTTP at a fixed 2,000 requests a second from a client
 * process of its own (bench/http-load.mjs, autocannon), beside a bare `node:http` server answering
 * one of its answers byte for byte at the same rate: the machine's floor that day. Target: p99 ≤
 * 10 ms and every request answered 200. Two segments of the register are offered to advertisers;
 * 20,000 visitors are signed in as customers spread over the register (one in ten asked about has
 * never signed in). Each request reads the visitor's customer, the customer's ledger decision for
 * site_ads and the customer's offered segments. The server's CPU time per answer is reported beside
 * each, Lupa's and the bare server's.
 */
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import type { App } from '../src/composition-root.ts';
import { buildServer } from '../src/http/server.ts';
import { bareJsonServer, runLoad } from './http-capacity.ts';
import { withCpu } from './offers.ts';
import { round } from './run.ts';

const RATE = 2000;
const P99_TARGET_MS = 10;
const CONNECTIONS = 32;
const VISITORS = 20_000;

export async function benchAdServer(app: App, customers: number, seconds: number): Promise<Record<string, unknown>> {
  if (app.config.LUPA_AD_SERVER_TOKEN === undefined) throw new Error('the ad server benchmark needs LUPA_AD_SERVER_TOKEN (bench/run.ts sets it)');
  const at = app.now();
  const segment = async (name: string, rule: object): Promise<number> => {
    const existing = (await app.stores.segments.list()).find((s) => s.name === name);
    const id = existing?.id ?? (await app.stores.segments.create({ name, description: null, rule: rule as never, createdBy: 'bench', at })).id;
    await app.stores.segments.recompute(id, at);
    await app.stores.advertiserSegments.offer({ segmentId: id, name, description: name, by: 'bench', at });
    return id;
  };
  await segment('Bench: daily readers', { orders: { category: ['daily'] } });
  await segment('Bench: everyone', { not: { attribute: 'city', equals: 'Nowhere' } });
  // Visitors signed in as customers spread over the register, set-based.
  const every = Math.max(1, Math.floor(customers / VISITORS));
  const pg = app.database.dialect === 'postgres';
  await sql`DELETE FROM site_visitors WHERE site = 'bench'`.execute(app.database.db);
  await sql`INSERT INTO site_visitors (visitor_id, site, customer_id, identified_at)
    SELECT 'vb_' || c.id, 'bench', c.id, ${pg ? sql`CAST(${at} AS timestamptz)` : at} FROM customers c
    WHERE ${pg ? sql`CAST(substr(c.id, 2) AS bigint)` : sql`CAST(substr(c.id, 2) AS INTEGER)`} % ${every} = 0`.execute(app.database.db);
  // The signed-in visitors are the customers whose number is a multiple of `every`.
  const id = (i: number): string => `C${String(every * (1 + ((i * 7919) % Math.floor(customers / every)))).padStart(7, '0')}`;
  const paths = Array.from({ length: 5000 }, (_, i) => `/v1/ad-server/segments?visitor=${i % 10 === 9 ? `vb_never_${i}` : `vb_${id(i)}`}`);
  if (app.database.dialect === 'sqlite') app.database.checkpointOffThread();
  const server = await buildServer(app, { logger: false });
  await server.listen({ host: '127.0.0.1', port: 0 });
  const headers = { authorization: `Bearer ${app.config.LUPA_AD_SERVER_TOKEN}` };
  try {
    const answers = await Promise.all(paths.slice(0, 200).map((url) => server.inject({ url, headers })));
    const failed = answers.find((a) => a.statusCode !== 200);
    if (failed !== undefined) throw new Error(`the ad server route answered ${failed.statusCode}: ${failed.body}`);
    const withSegments = answers.filter((a) => a.json<{ segments: number[] }>().segments.length > 0);
    if (withSegments.length === 0) throw new Error('no visitor asked about is in an offered segment: the benchmark would measure empty answers only');
    const bare = await bareJsonServer(withSegments[0]?.json() ?? { segments: [] });
    try {
      const bareRun = await withCpu(() => runLoad({ url: `http://127.0.0.1:${bare.port}/`, connections: CONNECTIONS, seconds, rate: RATE }));
      const port = (server.server.address() as AddressInfo).port;
      // A short warm-up first, as in decide-http: the caches (decision records, keys, statements,
      // pages) filled and the code compiled, so the run measures a server that has been serving.
      await runLoad({ url: `http://127.0.0.1:${port}/`, paths, headers, connections: CONNECTIONS, seconds: 2, rate: RATE });
      const lupa = await withCpu(() => runLoad({ url: `http://127.0.0.1:${port}/`, paths, headers, connections: CONNECTIONS, seconds, rate: RATE }));
      return {
        rate: RATE,
        seconds,
        connections: CONNECTIONS,
        visitorsSignedIn: Math.ceil(customers / every),
        sampleWithSegments: `${withSegments.length} of ${answers.length}`,
        bare: { what: 'node:http answering one ad-server answer as fixed JSON, same rate', ...bareRun },
        lupa,
        p99RatioToBare: round(lupa.latencyMs.p99 / Math.max(bareRun.latencyMs.p99, 1)),
        target: { p99AtMostMs: P99_TARGET_MS, atRate: RATE, met: lupa.non2xx === 0 && lupa.errors === 0 && lupa.latencyMs.p99 <= P99_TARGET_MS && lupa.requestsPerSecond >= RATE * 0.95 },
      };
    } finally {
      await bare.close();
    }
  } finally {
    await server.close();
  }
}
