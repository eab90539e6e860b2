/**
 * Support tickets (`--only tickets`), each store fresh with TICKETS tickets (docs/customer-service.md):
 *  - inbox: `GET /v1/tickets` first page (`limit=50`: all, unsolved, one queue), every ticket listed
 *    audited, over HTTP one request at a time from a client process of its own; target p95 ≤ 150 ms;
 *    beside a bare reference in the same run: a `node:http` endpoint answering the same page with one
 *    indexed SELECT through the store's own driver, no Lupa code on top;
 *  - inbound: customers' mails to the support address through the inbound SMTP receiver (parsed in
 *    its worker thread, matched, stored) at CONNECTIONS client connections; target ≥ 200 messages/s;
 *    beside a bare reference: an SMTP server (the same library) that reads each message and drops it.
 */
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { Readable } from 'node:stream';
import nodemailer from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import { noDelaySocket } from '../src/channels/email/smtp-sender.ts';
import { createApp, startBounceReceiver, type App } from '../src/composition-root.ts';
import { loadConfig } from '../src/config.ts';
import { demoToNdjson } from '../src/demo/generate-demo.ts';
import { runImport } from '../src/import/run-import.ts';
import { buildServer } from '../src/http/server.ts';
import { createApiKey } from '../src/use-cases/api-keys.ts';
import { bareRowsServer, runJsonClient } from './http-capacity.ts';
import { round } from './run.ts';

const TICKETS = 200_000;
const INBOX_P95_TARGET_MS = 150;
const INBOUND_TARGET_PER_SECOND = 200;
const SAMPLES = 200;
const MAILS = 2000;
const CONNECTIONS = 8;
const CLIENT = fileURLToPath(new URL('./http-sequential.mjs', import.meta.url));
const STATUSES = ['closed', 'closed', 'closed', 'closed', 'closed', 'solved', 'waiting', 'open', 'new', 'closed'];
const QUEUES = ['support', 'billing', 'delivery'];

interface GroupFigures {
  requests: number;
  non200: number;
  latencyMs: { p50: number; p95: number; p99: number; max: number };
}

/** The ticket benchmarks on a fresh store at `url` (with 20,000 demo customers to match against). */
export async function benchTickets(url: string, filesDir: string): Promise<Record<string, unknown>> {
  const app = await createApp(loadConfig({ LUPA_DATABASE_URL: url, LUPA_LOG_LEVEL: 'silent', LUPA_TICKET_FILES_DIR: filesDir }));
  // As `lupa serve` runs: WAL checkpoints off the event loop.
  if (app.database.dialect === 'sqlite') app.database.checkpointOffThread();
  try {
    await runImport({ database: app.database, settings: app.settings, now: app.now }, { stream: Readable.from(demoToNdjson({ customers: 20_000, seed: 1 })), format: 'ndjson' });
    // What the import benchmark does after an import (and autovacuum soon after one): the planner's statistics.
    if (app.database.dialect === 'postgres') await app.database.pool.query('ANALYZE');
    else app.database.sqlite.exec('ANALYZE');
    const inbound = await benchInbound(app);
    await fillTickets(app);
    const inbox = await benchInbox(app);
    return { tickets: TICKETS, inbox, inbound };
  } finally {
    await app.close();
  }
}

/** TICKETS tickets over two years, most closed, in three queues: batched multi-row inserts. */
async function fillTickets(app: App): Promise<void> {
  const start = Date.parse('2024-12-01T00:00:00Z');
  const step = (2 * 365 * 86_400_000) / TICKETS;
  for (let from = 0; from < TICKETS; from += 1000) {
    const rows = Array.from({ length: Math.min(1000, TICKETS - from) }, (_, k) => {
      const i = from + k;
      const at = new Date(start + i * step).toISOString();
      return {
        customer_id: i % 3 === 0 ? null : `C${String(1 + (i % 20_000)).padStart(7, '0')}`,
        contact: `lukija${i % 20_000}@example.fi`,
        contact_name: null,
        channel: i % 4 === 0 ? 'web' : 'email',
        subject: `Kysymys ${i}`,
        status: STATUSES[i % STATUSES.length] ?? 'closed',
        priority: 'normal',
        queue: QUEUES[i % QUEUES.length] ?? 'support',
        assignee: null,
        tags: '[]',
        created_at: at,
        updated_at: at,
        first_response_due: at,
        first_responded_at: null,
        resolution_due: at,
        solved_at: null,
      };
    });
    await app.database.db.insertInto('tickets').values(rows).execute();
  }
  if (app.database.dialect === 'postgres') await app.database.pool.query('VACUUM (ANALYZE) tickets');
  else app.database.sqlite.exec('ANALYZE');
}

async function benchInbox(app: App): Promise<Record<string, unknown>> {
  const { key } = await createApiKey({ apiKeys: app.stores.apiKeys, now: app.now }, { name: 'benchmark tickets', role: 'agent' });
  const server = await buildServer(app, { logger: false });
  await server.listen({ host: '127.0.0.1', port: 0 });
  const bare = await bareInboxServer(app);
  try {
    const url = `http://127.0.0.1:${(server.server.address() as AddressInfo).port}/`;
    const page = (query: string) => Array.from({ length: SAMPLES }, () => `/v1/tickets?${query}limit=50`);
    const bareFigures = (await sequential({ url: `http://127.0.0.1:${bare.port}/`, groups: { firstPage: Array.from({ length: SAMPLES }, () => '/') } }))['firstPage'];
    const figures = await sequential({ url, headers: { authorization: `Bearer ${key}` }, groups: { all: page(''), unsolved: page('status=new,open,waiting&'), queue: page('queue=billing&status=new,open,waiting&') } });
    const bareP95 = bareFigures?.latencyMs.p95 ?? NaN;
    const judged = Object.fromEntries(Object.entries(figures).map(([name, f]) => [name, { ...f, p95RatioToBare: round(f.latencyMs.p95 / bareP95), met: f.non200 === 0 && f.latencyMs.p95 <= INBOX_P95_TARGET_MS }]));
    return {
      samples: SAMPLES,
      bare: { what: 'node:http + one indexed SELECT of the newest 50 tickets (store driver)', ...bareFigures },
      firstPage: judged,
      target: { p95Ms: { atMost: INBOX_P95_TARGET_MS, met: Object.values(judged).every((f) => f.met) } },
    };
  } finally {
    await bare.close();
    await server.close();
  }
}

/** The bare inbox: the newest 50 tickets as JSON, one SELECT through the driver. */
async function bareInboxServer(app: App): Promise<{ port: number; close(): Promise<void> }> {
  const database = app.database;
  const read: () => Promise<unknown> =
    database.dialect === 'sqlite'
      ? ((statement) => async () => statement.all())(database.sqlite.prepare('SELECT * FROM tickets ORDER BY id DESC LIMIT 50'))
      : async () => (await database.pool.query({ name: 'bench-inbox', text: 'SELECT * FROM tickets ORDER BY id DESC LIMIT 50' })).rows;
  return bareRowsServer(read);
}

/** A customer's mail: a known customer's address for two in three, a stranger's otherwise. */
function mail(i: number): string {
  const from = i % 3 === 0 ? `tuntematon${i}@example.com` : `lukija${i}@example.fi`;
  return `From: ${from}\r\nTo: support@lupa.localhost\r\nSubject: Lehti ei tullut ${i}\r\nMessage-ID: <bench-${i}@example.fi>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nHei, tämän aamun lehti puuttuu. Osoite on sama kuin ennenkin.\r\n`;
}

/** Messages per second through an SMTP server at `port`, CONNECTIONS connections, MAILS messages. */
async function sendAll(port: number, to: string): Promise<number> {
  // Nagle off, as Lupa's own sender does (smtp-sender.ts): otherwise the client, not the server, sets the pace.
  const client = nodemailer.createTransport({ pool: true, host: '127.0.0.1', port, ignoreTLS: true, maxConnections: CONNECTIONS, maxMessages: Infinity, getSocket: noDelaySocket });
  try {
    const started = performance.now();
    await Promise.all(Array.from({ length: MAILS }, (_, i) => client.sendMail({ envelope: { from: 'lukija@example.fi', to: [to] }, raw: mail(i) })));
    return MAILS / ((performance.now() - started) / 1000);
  } finally {
    client.close();
  }
}

async function benchInbound(app: App): Promise<Record<string, unknown>> {
  const started = await startBounceReceiver(app, { port: 0 });
  if (started === null) throw new Error('the receiver did not start');
  let rate: number;
  try {
    rate = await sendAll(started.port, 'support@lupa.localhost');
  } finally {
    await started.receiver.stop();
  }
  const stored = Number((await app.database.db.selectFrom('tickets').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  const bare = new SMTPServer({ authOptional: true, disabledCommands: ['STARTTLS', 'AUTH'], logger: false, onData: (stream, _s, cb) => stream.on('data', () => undefined).on('end', () => cb()) });
  await new Promise<void>((resolve) => bare.listen(0, '127.0.0.1', resolve));
  let bareRate: number;
  try {
    bareRate = await sendAll((bare.server.address() as AddressInfo).port, 'support@lupa.localhost');
  } finally {
    await new Promise<void>((resolve) => bare.close(() => resolve()));
  }
  return {
    messages: MAILS,
    connections: CONNECTIONS,
    ticketsStored: stored,
    messagesPerSecond: Math.round(rate),
    bare: { what: 'smtp-server reading each message and dropping it, same client', messagesPerSecond: Math.round(bareRate) },
    ratioToBare: round(rate / bareRate),
    target: { messagesPerSecond: { atLeast: INBOUND_TARGET_PER_SECOND, met: rate >= INBOUND_TARGET_PER_SECOND && stored === MAILS } },
  };
}

function sequential(job: { url: string; headers?: Record<string, string>; groups: Record<string, string[]> }): Promise<Record<string, GroupFigures>> {
  return runJsonClient<Record<string, GroupFigures>>(CLIENT, job);
}
