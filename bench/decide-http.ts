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
 *
 * Where a request's CPU time goes (SQLite, 20,000 customers, on a 2-core machine shared with
 * others; server CPU per answer, from `process.cpuUsage`, threads included):
 *  - bare `node:http`: ~0.016 ms; Fastify with Lupa's hooks (`framework`): ~0.02 ms (1.2× bare);
 *  - Lupa: 0.31 ms (18.5× bare) before, 0.134 ms (8.3× bare, capacity 0.15× bare) after reading the
 *    records with prepared statements in one read transaction (85 µs → 47 µs for the read alone:
 *    JSON built in SQLite and parsed again cost more than the rows), the product in the same read,
 *    and SQLite's checkpoints moved off the event loop (an audit entry's commit share fell from
 *    ~250 µs of blocked event loop to ~40 µs; wal-checkpointer.ts). PostgreSQL: 0.40–0.48 ms before,
 *    0.24 ms after (the product folded into the one named query).
 * What is left is Lupa's own work, not the framework's: the decision read (~47 µs), the audit
 * insert and its share of a commit (~15 µs), `decide` itself, the key check, validation and JSON.
 * 0.3× the bare server's capacity would leave a request about 3.3× the bare server's CPU time,
 * ~0.05 ms: about the decision read alone. In one Node process that reads and writes SQLite on its
 * event loop that is out of reach; on PostgreSQL the queries' own CPU is spent in its processes, on
 * the same two cores as the server and the load client.
 * `--http-processes N` measures the server in N processes as well (decide-http-processes.ts; the
 * bare server stays one process). Two processes on two cores cost more CPU per answer on both
 * stores, and answered fewer requests a second: on SQLite each process's audit commits make the
 * other's next read transaction discard its page cache (docs/decisions/0017-one-server-process.md).
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { AddressInfo } from 'node:net';
import type { App } from '../src/composition-root.ts';
import { buildServer } from '../src/http/server.ts';
import { createApiKey } from '../src/use-cases/api-keys.ts';
import { measureInProcesses, type ProcessesRun } from './decide-http-processes.ts';
import { bareJsonServer, fastifyJsonServer, runLoad, type LoadFigures, type LoadJob } from './http-capacity.ts';
import { round } from './run.ts';

/** Targets the figures are judged by. */
const CAPACITY_TARGET_RATIO = 0.3;
const P99_TARGET_MS = 5;
/** Keep-alive connections of the client: enough to keep two cores busy, few enough not to queue. */
const CONNECTIONS = 16;

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
    let multi: ProcessesRun | null = null;
    try {
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
