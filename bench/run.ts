/**
 * The benchmarks of the register and decision engine, on SQLite and PostgreSQL:
 *  - import: demo NDJSON (customers, orders, ledger, suppressions) through the streaming importer,
 *    beside the file's lines written as they are (prepared INSERT / COPY);
 *  - audience: marketing by e-mail for one product over every customer, beside one grouped scan
 *    of the summary columns it reads;
 *  - decide-http: GET /v1/decide from a client process of its own: capacity beside a bare
 *    node:http JSON endpoint, and latency at a fixed rate of half that capacity (`--http-seconds`, 10);
 *    with `--http-processes N` (1) also the server in N processes (node:cluster), beside the same bare server;
 *  - launch: a campaign over every customer, one delivery row each, beside one INSERT … SELECT;
 *  - pixel: the open pixel against a bare node:http GIF server, same client, every hit stored;
 *  - send: the send pipeline for a 120,000-customer store against a plain render+send loop;
 *  - cli: `lupa --help` and `lupa decide --json` start-up, beside `node -e 0`;
 *  - search: customer search by surname, first name, "first last", e-mail, phone and id, and the
 *    customer view's calls, over HTTP one request at a time, beside a bare point SELECT server;
 *  - audiences: a Meta ad audience synced from scratch to the local stand-in, then after 1 % withdrew, beside bare SHA-256 and bare POSTs
 *  - segments: a segment of three conditions from scratch and refreshed after 1 % changed, beside one count
 *    over the same tables with the same semi-joins and none of the rules;
 *  - predict: training a propensity model over every customer and scoring all of them (issue 11: a
 *    million in ≤ 10 s), beside one grouped scan of the order columns the features read;
 *  - tickets: the ticket inbox's first page over HTTP with 200,000 tickets, and customers' mail to the
 *    support address through the inbound SMTP receiver, each store fresh (bench/tickets.ts);
 *  - events: `POST /v1/events`, batches of 20 site events, as fast as answered and at 5,000
 *    requests/s, beside a bare node:http server reading the same bodies (bench/events.ts);
 *  - ad-server: `GET /v1/ad-server/segments` at a fixed 2,000 requests/s (p99 ≤ 10 ms), beside a bare
 *    node:http server answering one of its answers (bench/ad-server.ts);
 *  - offers: `GET /v1/customers/{id}/offers` at a fixed 500 requests/s (p99 ≤ 20 ms), beside a bare
 *    node:http server answering one of its answers at the same rate;
 *  - timeline: the customer's history's first page over HTTP for a customer with 1,000 events among
 *    `--customers` (p95 ≤ 200 ms), beside one bare statement of the same indexed reads, store fresh
 *    (bench/timeline.ts);
 *  - feedback: an NPS survey of 10,000 customers drawn by seed and decided as research (the questions
 *    handed to a counting sender), and the results by month, beside the bare sample SELECT and a bare
 *    count (bench/feedback.ts);
 *  - crash: `lupa worker` processes killed while sending, lost and repeated messages per kill
 *    (`--crash-messages`, 2,000; `--crash-kills`, 10), each store fresh.
 * Usage: npm run bench -- [--customers N] [--stores sqlite,postgres] [--only cli,send,import,audience,launch,pixel,decide-http,search,segments,predict,tickets,offers,ad-server,audiences,timeline,feedback,events,crash] [--http-processes N]
 */
import { createReadStream, existsSync, mkdirSync, rmSync, writeFileSync, createWriteStream } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { createApp, type App } from '../src/composition-root.ts';
import { loadConfig } from '../src/config.ts';
import { demoToNdjson } from '../src/demo/generate-demo.ts';
import { runImport } from '../src/import/run-import.ts';
import { benchAdAudiences } from './ad-audiences.ts';
import { benchAudience } from './audience.ts';
import { bareLineWrite } from './bare-references.ts';
import { benchCliStartup } from './cli-startup.ts';
import { benchCrash } from './crash.ts';
import { benchCustomerSearch } from './customer-search.ts';
import { benchDecideHttp } from './decide-http.ts';
import { benchLaunch } from './launch.ts';
import { benchPixel } from './pixel.ts';
import { benchOffers } from './offers.ts';
import { benchAdServer } from './ad-server.ts';
import { benchTimeline } from './timeline.ts';
import { benchFeedback } from './feedback.ts';
import { benchEvents } from './events.ts';
import { benchPredictions } from './predictions.ts';
import { benchSegments } from './segments.ts';
import { benchSendPipeline } from './send-pipeline.ts';
import { benchTickets } from './tickets.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RESULTS = join(ROOT, 'bench', 'results');
const WORK = join(ROOT, 'data', 'bench');

/** The benchmarks that need the demo customers imported into a store. */
const STORE_BENCHMARKS = ['send', 'import', 'audience', 'launch', 'pixel', 'decide-http', 'search', 'segments', 'predict', 'offers', 'ad-server', 'audiences', 'feedback'];

interface Options {
  customers: number;
  stores: ('sqlite' | 'postgres')[];
  only: Set<string>;
  postgresUrl: string;
  crashMessages: number;
  crashKills: number;
  httpSeconds: number;
  httpProcesses: number;
}

function parseArgs(argv: string[]): Options {
  const get = (name: string): string | undefined => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  return {
    customers: Number(get('customers') ?? 1_000_000),
    stores: (get('stores') ?? 'sqlite,postgres').split(',') as Options['stores'],
    only: new Set((get('only') ?? 'cli,send,import,audience,launch,pixel,decide-http,search,segments,predict,tickets,offers,crash').split(',')),
    postgresUrl: get('postgres') ?? process.env.LUPA_BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
    crashMessages: Number(get('crash-messages') ?? 2000),
    crashKills: Number(get('crash-kills') ?? 10),
    httpSeconds: Number(get('http-seconds') ?? 10),
    httpProcesses: Number(get('http-processes') ?? 1),
  };
}

export async function runBenchmarks(argv: string[]): Promise<number> {
  const opts = parseArgs(argv);
  mkdirSync(RESULTS, { recursive: true });
  mkdirSync(WORK, { recursive: true });
  if (opts.only.has('cli')) save('cli-startup', await benchCliStartup(WORK));
  if (opts.only.has('crash')) await benchCrashes(opts);
  if (opts.only.has('tickets')) await benchTicketStores(opts);
  if (opts.only.has('timeline')) await benchTimelineStores(opts);
  if (opts.only.has('events')) await benchEventStores(opts);
  if (!STORE_BENCHMARKS.some((name) => opts.only.has(name))) return 0;
  const file = join(WORK, `demo-${opts.customers}.ndjson`);
  if (!existsSync(file)) {
    log(`generating ${opts.customers} demo customers into ${file}`);
    await pipeline(Readable.from(demoToNdjson({ customers: opts.customers, seed: 1 })), createWriteStream(file));
  }
  if (opts.only.has('send')) save('send-pipeline-sqlite', await benchSendPipeline(WORK));
  for (const store of opts.stores) {
    const url = store === 'sqlite' ? `sqlite:${join(WORK, `bench-${opts.customers}.db`)}` : `${opts.postgresUrl}?schema=bench_${opts.customers}`;
    const app = await freshApp(store, url, opts);
    try {
      if (opts.only.has('import')) await benchImport(app, store, file, opts);
      if (opts.only.has('audience')) save(`audience-${store}`, { customers: opts.customers, ...(await benchAudience(app)) });
      if (opts.only.has('launch')) save(`launch-${store}`, { customers: opts.customers, ...(await benchLaunch(app)) });
      if (opts.only.has('pixel')) save(`pixel-${store}`, { customers: opts.customers, ...(await benchPixel(app)) });
      if (opts.only.has('decide-http')) save(`decide-http-${store}`, { customers: opts.customers, ...(await benchDecideHttp(app, opts.customers, opts.httpSeconds, opts.httpProcesses)) });
      if (opts.only.has('segments')) save(`segments-${store}`, { customers: opts.customers, ...(await benchSegments(app, opts.customers)) });
      if (opts.only.has('search')) save(`customer-search-${store}`, { customers: opts.customers, ...(await benchCustomerSearch(app, opts.customers)) });
      if (opts.only.has('predict')) save(`predictions-${store}`, { customers: opts.customers, ...(await benchPredictions(app)) });
      if (opts.only.has('offers')) save(`offers-${store}`, { customers: opts.customers, ...(await benchOffers(app, opts.customers, opts.httpSeconds)) });
      if (opts.only.has('ad-server')) save(`ad-server-${store}`, { customers: opts.customers, ...(await benchAdServer(app, opts.customers, opts.httpSeconds)) });
      // Last: it gives every customer an ad_audience consent.
      if (opts.only.has('feedback')) save(`feedback-${store}`, { customers: opts.customers, ...(await benchFeedback(app, opts.customers)) });
      if (opts.only.has('audiences')) save(`ad-audiences-${store}`, { customers: opts.customers, ...(await benchAdAudiences(app, opts.customers)) });
    } finally {
      await app.close();
    }
  }
  return 0;
}

/** Site event ingestion on each store, fresh (bench/events.ts). */
async function benchEventStores(opts: Options): Promise<void> {
  for (const store of opts.stores) {
    const url = store === 'sqlite' ? `sqlite:${join(WORK, 'events.db')}` : `${opts.postgresUrl}?schema=bench_events`;
    await dropStore(store, url, opts, 'bench_events');
    log(`[${store}] site events`);
    save(`events-${store}`, await benchEvents(url, opts.httpSeconds));
  }
}

/** The crash benchmark on each store, fresh: one worker at a time on SQLite, three on PostgreSQL. */
async function benchCrashes(opts: Options): Promise<void> {
  for (const store of opts.stores) {
    const url = store === 'sqlite' ? `sqlite:${join(WORK, 'crash.db')}` : `${opts.postgresUrl}?schema=bench_crash`;
    await dropStore(store, url, opts, 'bench_crash');
    log(`[${store}] crash: ${opts.crashMessages} messages, ${opts.crashKills} kills`);
    save(`crash-${store}`, await benchCrash({ databaseUrl: url, messages: opts.crashMessages, kills: opts.crashKills, workers: store === 'sqlite' ? 1 : 3, connections: 5 }));
  }
}

/** The ticket benchmarks on each store, fresh. */
async function benchTicketStores(opts: Options): Promise<void> {
  for (const store of opts.stores) {
    const url = store === 'sqlite' ? `sqlite:${join(WORK, 'tickets.db')}` : `${opts.postgresUrl}?schema=bench_tickets`;
    await dropStore(store, url, opts, 'bench_tickets');
    log(`[${store}] tickets`);
    save(`tickets-${store}`, await benchTickets(url, join(WORK, 'ticket-files')));
  }
}

/** The timeline benchmark on each store, fresh, with `--customers` customers. */
async function benchTimelineStores(opts: Options): Promise<void> {
  for (const store of opts.stores) {
    const url = store === 'sqlite' ? `sqlite:${join(WORK, 'timeline.db')}` : `${opts.postgresUrl}?schema=bench_timeline`;
    await dropStore(store, url, opts, 'bench_timeline');
    log(`[${store}] timeline, ${opts.customers} customers`);
    save(`timeline-${store}`, await benchTimeline(url, opts.customers, (line) => log(`[${store}] ${line}`)));
  }
}

/** Removes a store the benchmarks made: the SQLite file, or the PostgreSQL schema. */
async function dropStore(store: 'sqlite' | 'postgres', url: string, opts: Options, schema: string): Promise<void> {
  if (store === 'sqlite') for (const suffix of ['', '-wal', '-shm']) rmSync(`${url.slice('sqlite:'.length)}${suffix}`, { force: true });
  else {
    const client = new pg.Client({ connectionString: opts.postgresUrl });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
  }
}

/** The import benchmark starts from an empty store; the others reuse what the last import left. */
async function freshApp(store: 'sqlite' | 'postgres', url: string, opts: Options): Promise<App> {
  if (opts.only.has('import')) await dropStore(store, url, opts, `bench_${opts.customers}`);
  // The ad server's token: the ad-server benchmark asks with it.
  return createApp(loadConfig({ LUPA_DATABASE_URL: url, LUPA_LOG_LEVEL: 'silent', LUPA_AD_SERVER_TOKEN: 'bench-ad-server-token-0123456789abcdef' }));
}

async function benchImport(app: App, store: string, file: string, opts: Options): Promise<void> {
  log(`[${store}] importing ${file}`);
  const started = performance.now();
  const result = await runImport({ database: app.database, settings: app.settings, now: app.now }, { stream: createReadStream(file), format: 'ndjson' });
  const seconds = (performance.now() - started) / 1000;
  // What `lupa import` does next: the audience summaries of every customer the import touched.
  const refreshStarted = performance.now();
  const summarised = await app.stores.audience.refreshSummaries();
  const refreshSeconds = (performance.now() - refreshStarted) / 1000;
  if (app.database.dialect === 'postgres') await app.database.pool.query('ANALYZE');
  else app.database.sqlite.exec('ANALYZE');
  const bare = await bareLineWrite(app, file);
  save(`import-${store}`, {
    customers: opts.customers,
    records: result.rows,
    imported: result.imported,
    errors: result.errorCount,
    seconds: round(seconds),
    recordsPerSecond: Math.round(result.rows / seconds),
    summaryRefresh: { customers: summarised, seconds: round(refreshSeconds) },
    withSummaryRefresh: { seconds: round(seconds + refreshSeconds), recordsPerSecond: Math.round(result.rows / (seconds + refreshSeconds)) },
    // The same file's lines written as they are (prepared INSERT / COPY): the floor under an import.
    bare: { lines: bare.rows, seconds: round(bare.seconds), linesPerSecond: Math.round(bare.rows / bare.seconds) },
    ratioToBare: round(seconds / bare.seconds),
  });
}

function save(name: string, figures: Record<string, unknown>): void {
  const body = { benchmark: name, at: new Date().toISOString(), machine: { cpus: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version }, ...figures };
  writeFileSync(join(RESULTS, `${name}.json`), `${JSON.stringify(body, null, 2)}\n`);
  log(`${name}: ${JSON.stringify(figures)}`);
}

export function round(n: number, digits = 3): number {
  return Math.round(n * 10 ** digits) / 10 ** digits;
}

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}
