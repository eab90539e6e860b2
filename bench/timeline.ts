/**
 * The customer's history (`--only timeline`), on a fresh store of `--customers` demo customers with
 * a row in every other timeline table for each of them (messages, opens, calls, recordings, tickets
 * and their messages, offer outcomes, stated interests: set-based INSERT … SELECT), and one customer
 * with about 1,000 events across all fifteen sources (test/support/timeline-fixture.ts):
 *  - `GET /v1/customers/{id}/timeline` first page (50 entries: every kind, two kinds, a window),
 *    each page audited, over HTTP one request at a time from a client process of its own;
 *    target p95 ≤ 200 ms (issue: 1,000,000 customers);
 *  - beside a bare reference in the same run: a `node:http` endpoint answering one statement
 *    through the store's own driver, the newest 51 rows of each of the same fifteen indexed reads
 *    glued with UNION ALL (plain columns, no joins, no merge, no audit), no Lupa code on top.
 */
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { createApp, type App } from '../src/composition-root.ts';
import { loadConfig } from '../src/config.ts';
import { demoToNdjson } from '../src/demo/generate-demo.ts';
import { buildServer } from '../src/http/server.ts';
import { runImport } from '../src/import/run-import.ts';
import type { TimelineTables } from '../src/storage/timeline/source.ts';
import { createApiKey } from '../src/use-cases/api-keys.ts';
import { seedHistory } from '../test/support/timeline-fixture.ts';
import { bareRowsServer, runJsonClient } from './http-capacity.ts';
import { round } from './run.ts';

const P95_TARGET_MS = 200;
const SAMPLES = 200;
const ROUNDS = 67; // × 15 sources = 1,005 events
const CLIENT = fileURLToPath(new URL('./http-sequential.mjs', import.meta.url));
const MEASURED = 'C0000042';

interface GroupFigures {
  requests: number;
  non200: number;
  latencyMs: { p50: number; p95: number; p99: number; max: number };
}

/** The timeline benchmark on a fresh store at `url` with `customers` demo customers. */
export async function benchTimeline(url: string, customers: number, log: (line: string) => void): Promise<Record<string, unknown>> {
  const app = await createApp(loadConfig({ LUPA_DATABASE_URL: url, LUPA_LOG_LEVEL: 'silent' }));
  if (app.database.dialect === 'sqlite') app.database.checkpointOffThread();
  try {
    log(`importing ${customers} demo customers`);
    await runImport({ database: app.database, settings: app.settings, now: app.now }, { stream: Readable.from(demoToNdjson({ customers, seed: 1 })), format: 'ndjson' });
    log('a row in every other timeline table for each customer');
    await fillPopulation(app);
    const customer = await app.stores.customers.getCustomer(MEASURED as never);
    if (customer === null) throw new Error(`no customer ${MEASURED}`);
    const events = await seedHistory(app.database.db as unknown as Kysely<TimelineTables>, { customerId: MEASURED, email: customer.emails[0] ?? 'x@example.fi', rounds: ROUNDS, newest: Date.parse('2026-11-01T12:00:00.000Z') });
    if (app.database.dialect === 'postgres') await app.database.pool.query('ANALYZE');
    else app.database.sqlite.exec('ANALYZE');
    const total = (await app.stores.timeline.page({ customerId: MEASURED as never, kinds: [], from: null, before: null, cursor: null, limit: 100_000 })).entries.length;
    log(`measuring: ${total} timeline entries for ${MEASURED}`);
    return { customers, measuredCustomerEntries: total, seededEvents: events, ...(await measure(app)) };
  } finally {
    await app.close();
  }
}

/** One row per customer in each timeline table the demo leaves empty, in one statement each. */
async function fillPopulation(app: App): Promise<void> {
  const db = app.database.db;
  const pg = app.database.dialect === 'postgres';
  const at = (iso: string) => sql.raw(pg ? `'${iso}'::timestamptz` : `'${iso}'`);
  const t = at('2026-06-01T10:00:00.000Z');
  const kept = at('2027-01-01T00:00:00.000Z');
  const no = sql.raw(pg ? 'FALSE' : '0');
  const campaign = await db.insertInto('campaigns').values({ name: 'Background', purpose: 'service', channel: 'email', sku: null, filter: '{}', template_id: null, status: 'done', created_at: '2026-06-01T10:00:00.000Z', launched_at: null, as_of: null, from_name: null, from_address: null, per_second: null, send_at: null }).returning('id').executeTakeFirstOrThrow();
  await db.insertInto('products').values({ sku: 'BG-SKU', name: 'Background', brand: null, category: 'print' }).onConflict((c) => c.doNothing()).execute();
  const offer = await db
    .insertInto('offers')
    .values({ code: 'BG', name: 'Background', sku: 'BG-SKU', price_cents: 100, currency: 'EUR', period_months: 1, channels: 'web', valid_from: '2020-01-01T00:00:00.000Z', valid_until: null, segment_id: null, exclude_subscribed: pg ? (true as never) : 1, min_days_since_last_offer: 0, relationship: 'any', value_weight: null, explanation: '{"fi":"","sv":"","en":""}', priority: 100, created_at: '2020-01-01T00:00:00.000Z', created_by: 'bench', updated_at: '2020-01-01T00:00:00.000Z' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const statements = [
    sql`INSERT INTO deliveries (campaign_id, customer_id, state, basis, reasons, created_at, sent_at) SELECT ${sql.lit(campaign.id)}, id, 'sent', NULL, '', ${t}, ${t} FROM customers`,
    sql`INSERT INTO tracking_events (campaign_id, delivery_id, kind, link_idx, at, machine) SELECT campaign_id, id, 'open', NULL, ${t}, ${no} FROM deliveries`,
    sql`INSERT INTO calls (direction, agent, customer_id, number, started_at, purpose, outcome, recorded_at, recorded_by) SELECT 'outbound', 'agent-1', id, '+358401000001', ${t}, 'service', 'reached', ${t}, 'bench' FROM customers`,
    sql`INSERT INTO call_recordings (call_id, customer_id, format, bytes, started_at, notice_played_at, retention_ends_at, file_key, attached_at, attached_by) SELECT id, customer_id, 'wav', 1000, ${t}, ${t}, ${kept}, 'bg-' || CAST(id AS TEXT), ${t}, 'bench' FROM calls`,
    sql`INSERT INTO tickets (customer_id, channel, subject, status, priority, queue, tags, created_at, updated_at, first_response_due, resolution_due, solved_at) SELECT id, 'email', 'Background', 'closed', 'normal', 'support', '[]', ${t}, ${t}, ${t}, ${t}, ${t} FROM customers`,
    sql`INSERT INTO ticket_messages (ticket_id, author, body, created_at) SELECT id, 'customer', 'Hei', ${t} FROM tickets`,
    sql`INSERT INTO offer_outcomes (offer_id, customer_id, channel, outcome, at, recorded_at, source) SELECT ${sql.lit(offer.id)}, id, 'web', 'shown', ${t}, ${t}, 'bench' FROM customers`,
    sql`INSERT INTO stated_interests (customer_id, topic, value, source, actor, at, recorded_at) SELECT id, 'news', 'interested', 'agent', 'bench', ${t}, ${t} FROM customers`,
    sql`INSERT INTO phone_sales (call_id, customer_id, agent, sku, product_name, kind, period_months, price_cents, currency, basis, delivery, delivered_to, created_at, accept_by, state, offer_sent_at) SELECT id, customer_id, 'agent-1', 'BG-SKU', 'Background', 'fixed_term', 1, 100, 'EUR', 'written_acceptance', 'email', 'bg@example.fi', ${t}, ${kept}, 'pending', ${t} FROM calls`,
    // Site events live in day partitions on PostgreSQL (migration 0040): the background day's first.
    ...(pg ? [sql`CREATE TABLE IF NOT EXISTS site_events_p20260601 PARTITION OF site_events FOR VALUES FROM ('2026-06-01T00:00:00Z') TO ('2026-06-02T00:00:00Z')`] : []),
    sql`INSERT INTO site_events (at, site, visitor_id, customer_id, type, name, page) SELECT ${t}, 'paper.example', 'v-' || id, id, 'page', 'page_view', '/news' FROM customers`,
    sql`INSERT INTO feedback_requests (kind, ticket_id, customer_id, channel, state, month, created_at, sent_at, expires_at) SELECT 'csat', id, customer_id, 'email', 'sent', '2026-10', ${t}, ${t}, ${kept} FROM tickets`,
  ];
  for (const statement of statements) await statement.execute(db);
}

async function measure(app: App): Promise<Record<string, unknown>> {
  const { key } = await createApiKey({ apiKeys: app.stores.apiKeys, now: app.now }, { name: 'benchmark timeline', role: 'agent' });
  const server = await buildServer(app, { logger: false });
  await server.listen({ host: '127.0.0.1', port: 0 });
  const bare = await bareTimelineServer(app);
  try {
    const url = `http://127.0.0.1:${(server.server.address() as AddressInfo).port}/`;
    const page = (query: string) => Array.from({ length: SAMPLES }, () => `/v1/customers/${MEASURED}/timeline?${query}limit=50`);
    const bareFigures = (await sequential({ url: `http://127.0.0.1:${bare.port}/`, groups: { firstPage: Array.from({ length: SAMPLES }, () => '/') } }))['firstPage'];
    const figures = await sequential({
      url,
      headers: { authorization: `Bearer ${key}` },
      groups: { all: page(''), twoKinds: page('kinds=message,call&'), window: page('after=2026-10-01T00:00:00Z&before=2026-11-01T11:00:00Z&') },
    });
    const bareP95 = bareFigures?.latencyMs.p95 ?? NaN;
    const judged = Object.fromEntries(Object.entries(figures).map(([name, f]) => [name, { ...f, p95RatioToBare: round(f.latencyMs.p95 / bareP95), met: f.non200 === 0 && f.latencyMs.p95 <= P95_TARGET_MS }]));
    return {
      samples: SAMPLES,
      bare: { what: 'node:http + one statement: the newest 51 rows of each of the fifteen indexed reads, UNION ALL (store driver)', ...bareFigures },
      firstPage: judged,
      target: { p95Ms: { atMost: P95_TARGET_MS, met: Object.values(judged).every((f) => f.met) } },
    };
  } finally {
    await bare.close();
    await server.close();
  }
}

/** The bare reference's statement: `:id` is the customer (each dialect binds it its own way). */
const BARE_SQL = [
  'SELECT id, started_at AS at FROM orders WHERE customer_id = :id ORDER BY started_at DESC LIMIT 51',
  'SELECT id, ended_at AS at FROM orders WHERE customer_id = :id AND ended_at IS NOT NULL ORDER BY ended_at DESC LIMIT 51',
  'SELECT CAST(seq AS TEXT), at FROM ledger WHERE customer_id = :id ORDER BY at DESC LIMIT 51',
  "SELECT CAST(id AS TEXT), at FROM suppressions WHERE channel = 'email' AND address = (SELECT email FROM customers WHERE id = :id) ORDER BY at DESC LIMIT 51",
  'SELECT CAST(id AS TEXT), created_at FROM deliveries WHERE customer_id = :id ORDER BY created_at DESC LIMIT 51',
  'SELECT CAST(id AS TEXT), started_at FROM calls WHERE customer_id = :id ORDER BY started_at DESC LIMIT 51',
  'SELECT CAST(id AS TEXT), started_at FROM call_recordings WHERE customer_id = :id ORDER BY started_at DESC LIMIT 51',
  'SELECT CAST(id AS TEXT), created_at FROM tickets WHERE customer_id = :id ORDER BY created_at DESC LIMIT 51',
  'SELECT CAST(m.id AS TEXT), m.created_at FROM ticket_messages m JOIN tickets t ON t.id = m.ticket_id WHERE t.customer_id = :id ORDER BY m.created_at DESC LIMIT 51',
  'SELECT CAST(id AS TEXT), solved_at FROM tickets WHERE customer_id = :id AND solved_at IS NOT NULL ORDER BY solved_at DESC LIMIT 51',
  'SELECT CAST(seq AS TEXT), at FROM offer_outcomes WHERE customer_id = :id ORDER BY at DESC LIMIT 51',
  'SELECT CAST(seq AS TEXT), at FROM stated_interests WHERE customer_id = :id ORDER BY at DESC LIMIT 51',
  'SELECT CAST(id AS TEXT), created_at FROM feedback_requests WHERE customer_id = :id ORDER BY created_at DESC LIMIT 51',
  'SELECT CAST(id AS TEXT), created_at FROM phone_sales WHERE customer_id = :id ORDER BY created_at DESC LIMIT 51',
  'SELECT CAST(id AS TEXT), at FROM site_events WHERE customer_id = :id ORDER BY at DESC LIMIT 51',
]
  .map((s) => `SELECT * FROM (${s}) AS part`)
  .join(' UNION ALL ');

async function bareTimelineServer(app: App): Promise<{ port: number; close(): Promise<void> }> {
  const database = app.database;
  const read: () => Promise<unknown> =
    database.dialect === 'sqlite'
      ? ((statement) => async () => statement.all({ id: MEASURED }))(database.sqlite.prepare(BARE_SQL.replaceAll(':id', '@id')))
      : async () => (await database.pool.query({ name: 'bench-timeline', text: BARE_SQL.replaceAll(':id', '$1'), values: [MEASURED] })).rows;
  return bareRowsServer(read);
}

function sequential(job: { url: string; headers?: Record<string, string>; groups: Record<string, string[]> }): Promise<Record<string, GroupFigures>> {
  return runJsonClient<Record<string, GroupFigures>>(CLIENT, job);
}
