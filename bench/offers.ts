/**
 * `GET /v1/customers/{id}/offers` over HTTP at a fixed 500 requests a second from a client process
 * of its own (bench/http-load.mjs, autocannon), beside a bare `node:http` server answering one of
 * its answers byte for byte at the same rate: the machine's floor that day. Target: p99 ≤ 20 ms and
 * every request answered 200. Customers spread over the whole register, the web and phone channels
 * in turn; each request reads the customer's decision records and offer rows, decides per offer,
 * ranks, and writes its audit entry before it is answered. The demo offers (and their outcomes) are
 * saved first when the store has none. The server's CPU time per answer is reported beside each,
 * Lupa's and the bare server's: on a machine shared with other work, latency says as much about the
 * neighbours as about the code.
 */
import type { AddressInfo } from 'node:net';
import type { App } from '../src/composition-root.ts';
import type { CustomerId } from '../src/core/records.ts';
import { saveDemoOffers } from '../src/demo/demo-offers.ts';
import { buildServer } from '../src/http/server.ts';
import { createApiKey } from '../src/use-cases/api-keys.ts';
import { bareJsonServer, runLoad, type LoadFigures } from './http-capacity.ts';
import { round } from './run.ts';

const RATE = 500;
const P99_TARGET_MS = 20;
const CONNECTIONS = 16;

/**
 * A load run with the server's CPU time per answer (this process: the server under test runs here,
 * the client in its own): a figure the machine's other work disturbs less than latency does.
 */
export async function withCpu(run: () => Promise<LoadFigures>): Promise<LoadFigures & { cpuMsPerAnswer: number }> {
  const before = process.cpuUsage();
  const figures = await run();
  const used = process.cpuUsage(before);
  return { ...figures, cpuMsPerAnswer: round((used.user + used.system) / 1000 / Math.max(figures.answered, 1)) };
}

export async function benchOffers(app: App, customers: number, seconds: number): Promise<Record<string, unknown>> {
  const id = (i: number): string => `C${String(1 + ((i * 7919) % customers)).padStart(7, '0')}`;
  if ((await app.stores.offers.catalogue(app.now())).length === 0) {
    await saveDemoOffers(app.stores.offers, Array.from({ length: 200 }, (_, i) => id(i) as CustomerId), app.now());
  }
  // As `lupa serve` does with its segment refresh: the similar-readers counts computed outside requests.
  await app.stores.offers.refreshSimilarReaders(app.now());
  const { key } = await createApiKey({ apiKeys: app.stores.apiKeys, now: app.now }, { name: 'benchmark offers', role: 'agent' });
  const paths = Array.from({ length: 5000 }, (_, i) => `/v1/customers/${id(i)}/offers?channel=${i % 2 === 0 ? 'web' : 'phone'}`);
  if (app.database.dialect === 'sqlite') app.database.checkpointOffThread();
  const server = await buildServer(app, { logger: false });
  await server.listen({ host: '127.0.0.1', port: 0 });
  const headers = { authorization: `Bearer ${key}` };
  try {
    const sample = await server.inject({ url: paths[0] ?? '', headers });
    if (sample.statusCode !== 200) throw new Error(`offers answered ${sample.statusCode}: ${sample.body}`);
    const bare = await bareJsonServer(sample.json());
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
        offersInAnswer: sample.json<{ offers: unknown[] }>().offers.length,
        bare: { what: 'node:http answering one offers answer as fixed JSON, same rate', ...bareRun },
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
