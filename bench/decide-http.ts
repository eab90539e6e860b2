/**
 * `GET /v1/decide` over HTTP, loaded from a client process of its own (bench/http-capacity.ts):
 *  1. capacity: as many requests a second as the server answers, against a bare `node:http` JSON
 *     endpoint in the same process and run (the machine's day); target: at least 0.3× of it;
 *  2. latency: a fixed rate of half the capacity measured in 1; target: p99 at most 5 ms; beside
 *     it the bare endpoint's latency at the same rate, the machine's floor that day.
 * The server's CPU time per answer, Lupa's and the bare endpoint's, is reported too, and beside them
 * a Fastify server with Lupa's hooks answering the same fixed body (bench/http-capacity.ts): the
 * framework's share of the gap, the rest being Lupa's own work per request.
 * Each request looks up its API key (cached, LUPA_KEY_CACHE_SECONDS), reads the customer's records
 * and the product, decides, and writes its audit entry (group-committed) before it is answered.
 * The customer's records come from the decision records cache (decision 0031) once the customer
 * was decided about: every customer of the run is decided once before the capacity runs, and
 * `withoutDecisionCache` measures the same load against a server with the cache off (what the
 * first decision about a customer costs). On PostgreSQL the cache waits for a notification of its
 * own per event-loop turn instead of reading the records (with 64 connections, 5,883 requests a
 * second against 1,751 uncached in one run, the bare server at 27,134).
 *
 * Where a request's CPU time goes (SQLite, 100,000 customers, server CPU per answer from
 * `process.cpuUsage`; a 2-core machine at load 4–8 from other work, so the figures are inflated
 * 1.5–2× against a quiet hour, the ratios less so):
 *  - bare `node:http` 0.03–0.04 ms; Fastify with Lupa's hooks (`framework`) 1.2–1.5× that;
 *  - the records read alone (five statements in a read transaction) 142 µs warm on a quiet hour;
 *    from the cache, one statement (the change marks' high-water seq with the product) and
 *    `decide`: 45 µs CPU per decision in a loop on a loaded hour against 175 µs uncached;
 *  - over HTTP in one run: 0.49 ms cached against 0.73 ms uncached (capacity 1.55× higher);
 *  - of a cached answer's CPU, about a quarter was the audit entry's INSERT (four indexes, one of
 *    them by customer: a random page per entry, ~75 µs an entry in the server against ~12 µs in
 *    a table without them) and a sixth the one statement; a statement that touches a table costs
 *    6–13 µs here, most of it starting the read transaction (two fcntl locks and an fstat per
 *    statement, strace), `SELECT 1` 0.05 µs;
 *  - so entries now go to an unindexed journal folded into the log by the checkpoint thread
 *    (decision 0032), and the requests of one event-loop turn share the one statement, with the
 *    products in memory (decision 0031): 0.16–0.22 ms of server CPU per cached answer against
 *    0.25–0.30 ms before, the capacity up from ~3,300 to ~4,700 requests a second on the same day.
 * Earlier (20,000 customers, before the cache): 0.134 ms per answer after reading the records with
 * prepared statements in one read transaction and moving SQLite's checkpoints off the event loop
 * (wal-checkpointer.ts); PostgreSQL 0.24 ms (the product folded into the one named query).
 * `--http-processes N` measures the server in N processes as well (decide-http-processes.ts; the
 * bare server stays one process). Two processes on two cores cost more CPU per answer on both
 * stores, and answered fewer requests a second: on SQLite each process's audit commits make the
 * other's next read transaction discard its page cache (docs/decisions/0017-one-server-process.md).
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { AddressInfo } from 'node:net';
import { createApp, type App } from '../src/composition-root.ts';
import { loadConfig } from '../src/config.ts';
import { buildServer } from '../src/http/server.ts';
import { createApiKey } from '../src/use-cases/api-keys.ts';
import { measureInProcesses, type ProcessesRun } from './decide-http-processes.ts';
import { bareJsonServer, fastifyJsonServer, runLoad, type LoadFigures, type LoadJob } from './http-capacity.ts';
import { round } from './run.ts';

/** Targets the figures are judged by. */
const CAPACITY_TARGET_RATIO = 0.3;
const P99_TARGET_MS = 5;
/**
 * Keep-alive connections of the client, the same for the bare server and Lupa: enough to keep two
 * cores busy. A connection carries one request at a time, so 16 capped a server that waits ~3 ms
 * per request on I/O (PostgreSQL: the cache's ping, the audit commit) near 16 / 3 ms whatever its
 * CPU (one run side by side: 1,717 requests a second with 16, 3,274 with 64), and at the paced half
 * rate a pause of a few milliseconds left requests queued in the client for want of a connection.
 */
const CONNECTIONS = 64;

/** `processes` above 1: also the server in that many processes (bench/decide-http-processes.ts). */
export async function benchDecideHttp(app: App, customers: number, seconds: number, processes = 1): Promise<Record<string, unknown>> {
  const { key } = await createApiKey({ apiKeys: app.stores.apiKeys, now: app.now }, { name: 'benchmark', role: 'marketer' });
  // Random customers spread over the whole register, with a product so soft opt-in is evaluated.
  const products = await app.stores.catalogue.listProducts();
  const sku = products.find((p) => p.category === 'daily')?.sku ?? products[0]?.sku ?? '';
  const paths = Array.from({ length: 5000 }, (_, i) => {
    const id = `C${String(1 + ((i * 7919) % customers)).padStart(7, '0')}`;
    return `/v1/decide?customer=${id}&purpose=marketing&channel=email&product=${sku}`;
  });
  // As `lupa serve` runs: SQLite's checkpoints in a thread of their own, not inside the audit commits.
  if (app.database.dialect === 'sqlite') app.database.checkpointOffThread();
  const server = await buildServer(app, { logger: false });
  await server.listen({ host: '127.0.0.1', port: 0 });
  const port = (server.server.address() as AddressInfo).port;
  const headers = { authorization: `Bearer ${key}` };
  try {
    const sample = await server.inject({ url: paths[0] ?? '', headers });
    if (sample.statusCode !== 200) throw new Error(`decide answered ${sample.statusCode}: ${sample.body}`);
    // The bare reference answers decide's own answer, byte for byte the same size.
    const bare = await bareJsonServer(sample.json());
    const framework = await fastifyJsonServer(sample.json());
    const bareJob = { url: `http://127.0.0.1:${bare.port}/`, connections: CONNECTIONS };
    const job = { url: `http://127.0.0.1:${port}/`, paths, headers, connections: CONNECTIONS };
    let bareRun: Measured;
    let frameworkRun: Measured;
    let bareAtRate: Measured;
    let capacity: Measured;
    let fixed: Measured & { loopDelay: { p99: number; max: number } };
    let uncached: Measured;
    let multi: ProcessesRun | null = null;
    try {
      // Every customer of the run decided once, so the capacity runs answer from the decision
      // records cache (SQLite) as a site asking about its signed-in readers again would.
      for (const url of paths) await server.inject({ url, headers });
      bareRun = await measured({ ...bareJob, seconds });
      // The same paths and key header as Lupa's requests, so the framework parses the same bytes.
      frameworkRun = await measured({ url: `http://127.0.0.1:${framework.port}/`, paths, headers, connections: CONNECTIONS, seconds });
      // A short warm-up fills the caches (keys, statements, pages) and the connection pool.
      await runLoad({ ...job, seconds: 2 });
      capacity = await measured({ ...job, seconds });
      const rate = Math.max(1, Math.floor(capacity.requestsPerSecond / 2));
      // How long the server's event loop was held up meanwhile (GC, synchronous SQLite work, a
      // machine busy with others): the part of the latency tail that is not the requests themselves.
      const loopDelay = monitorEventLoopDelay({ resolution: 1 });
      loopDelay.enable();
      fixed = { ...(await measured({ ...job, seconds, rate })), loopDelay: { p99: round(loopDelay.percentile(99) / 1e6, 2), max: round(loopDelay.max / 1e6, 2) } };
      loopDelay.disable();
      // The machine's latency floor today: the bare server at the same rate.
      bareAtRate = await measured({ ...bareJob, seconds, rate });
      // The same without the cache: every decision reads the customer's records (the first decision
      // about a customer).
      uncached = await withoutCache(app, { paths, headers, connections: CONNECTIONS, seconds });
      if (processes > 1) multi = await measureInProcesses(app.config.LUPA_DATABASE_URL, processes, { paths, headers, connections: CONNECTIONS }, seconds);
    } finally {
      await bare.close();
      await framework.close();
    }
    const ratio = round(capacity.requestsPerSecond / bareRun.requestsPerSecond);
    const p99Met = fixed.latencyMs.p99 <= P99_TARGET_MS && fixed.non2xx === 0 && fixed.errors === 0;
    return {
      seconds,
      connections: CONNECTIONS,
      bare: { processes: 1, requestsPerSecond: bareRun.requestsPerSecond, latencyMs: bareRun.latencyMs, serverCpuMsPerRequest: bareRun.cpuMsPerRequest },
      framework: {
        requestsPerSecond: frameworkRun.requestsPerSecond,
        serverCpuMsPerRequest: frameworkRun.cpuMsPerRequest,
        capacityRatioToBare: round(frameworkRun.requestsPerSecond / bareRun.requestsPerSecond),
        cpuPerRequestRatioToBare: round(frameworkRun.cpuMsPerRequest / bareRun.cpuMsPerRequest),
      },
      capacity: { processes: 1, requestsPerSecond: capacity.requestsPerSecond, latencyMs: capacity.latencyMs, non2xx: capacity.non2xx, errors: capacity.errors, serverCpuMsPerRequest: capacity.cpuMsPerRequest },
      capacityRatioToBare: ratio,
      withoutDecisionCache: {
        requestsPerSecond: uncached.requestsPerSecond,
        latencyMs: uncached.latencyMs,
        non2xx: uncached.non2xx,
        serverCpuMsPerRequest: uncached.cpuMsPerRequest,
        capacityRatioToBare: round(uncached.requestsPerSecond / bareRun.requestsPerSecond),
      },
      // CPU time of the server process per answer, Lupa's to the bare server's: less sensitive to
      // a machine shared with others than the rates are (a descheduled process uses no CPU).
      cpuPerRequestRatioToBare: round(capacity.cpuMsPerRequest / bareRun.cpuMsPerRequest),
      // Lupa's own work per request: its CPU time beyond the framework's with the same hooks.
      ownCpuMsPerRequest: round(capacity.cpuMsPerRequest - frameworkRun.cpuMsPerRequest, 4),
      atHalfCapacity: {
        rate: fixed.rate,
        answered: fixed.answered,
        requestsPerSecond: fixed.requestsPerSecond,
        non2xx: fixed.non2xx,
        errors: fixed.errors,
        latencyMs: fixed.latencyMs,
        eventLoopDelayMs: fixed.loopDelay,
        bareLatencyMsAtSameRate: bareAtRate.latencyMs,
      },
      ...(multi === null ? {} : { inProcesses: processesFigures(multi, bareRun) }),
      targets: {
        capacityRatioToBare: { atLeast: CAPACITY_TARGET_RATIO, met: ratio >= CAPACITY_TARGET_RATIO },
        p99MsAtHalfCapacity: { atMost: P99_TARGET_MS, met: p99Met },
      },
    };
  } finally {
    await server.close();
  }
}

/**
 * `run` against a second server in this process on the same store, with the decision records cache
 * off (LUPA_DECISION_CACHE_CUSTOMERS=0).
 */
async function withoutCache(app: App, job: Omit<LoadJob, 'url'>): Promise<Measured> {
  const plain = await createApp(loadConfig({ LUPA_DATABASE_URL: app.config.LUPA_DATABASE_URL, LUPA_LOG_LEVEL: 'silent', LUPA_DECISION_CACHE_CUSTOMERS: '0' }));
  if (plain.database.dialect === 'sqlite') plain.database.checkpointOffThread();
  const server = await buildServer(plain, { logger: false });
  try {
    await server.listen({ host: '127.0.0.1', port: 0 });
    const url = `http://127.0.0.1:${(server.server.address() as AddressInfo).port}/`;
    await runLoad({ ...job, url, seconds: 2 });
    return await measured({ ...job, url });
  } finally {
    await server.close();
    await plain.close();
  }
}

/** The multi-process run beside the same run's bare server (one process). */
function processesFigures(run: ProcessesRun, bare: Measured): Record<string, unknown> {
  const cpu = run.capacity.serverCpuMsPerRequest;
  return {
    processes: run.processes,
    requestsPerSecond: run.capacity.requestsPerSecond,
    capacityRatioToBare: round(run.capacity.requestsPerSecond / bare.requestsPerSecond),
    latencyMs: run.capacity.latencyMs,
    non2xx: run.capacity.non2xx,
    errors: run.capacity.errors,
    serverCpuMsPerRequest: cpu,
    cpuPerRequestRatioToBare: cpu === null ? null : round(cpu / bare.cpuMsPerRequest),
    atHalfCapacity: { rate: run.atHalfCapacity.rate, requestsPerSecond: run.atHalfCapacity.requestsPerSecond, non2xx: run.atHalfCapacity.non2xx, latencyMs: run.atHalfCapacity.latencyMs },
  };
}

interface Measured extends LoadFigures {
  rate: number | null;
  /** CPU time (user + system) of this process, the server's, per 2xx answer. */
  cpuMsPerRequest: number;
}

/** A load run with the CPU time the server process (this one) spent meanwhile. */
async function measured(job: LoadJob): Promise<Measured> {
  const before = process.cpuUsage();
  const figures = await runLoad(job);
  const used = process.cpuUsage(before);
  return { ...figures, rate: job.rate ?? null, cpuMsPerRequest: round((used.user + used.system) / 1000 / Math.max(1, figures.answered), 4) };
}
