/**
 * The site event store (core/site-events/site-events.ts) on SQLite and PostgreSQL. Appends go
 * through a group commit: the batches of requests that arrive together are written in one
 * transaction, and each request's `append` resolves only after that transaction committed, so an
 * acknowledged event is durable (SQLite in WAL mode: as soon as the commit returns, a crash of the
 * process loses nothing; PostgreSQL: as its `synchronous_commit` says, on by default).
 */
import type BetterSqlite3 from 'better-sqlite3';
import { sql, type Kysely } from 'kysely';
import type { Instant } from '../../core/records.ts';
import type { EventCount, SiteEventBatch, SiteEventStore, SiteEventUpkeep, StoredVisitorEvent } from '../../core/site-events/site-events.ts';
import type { Database } from '../database.ts';
import { GroupCommit } from '../group-commit.ts';
import type { Schema } from '../schema.ts';
import { PostgresSiteEventPartitions } from './postgres-site-event-partitions.ts';
import { postgresSiteEventWriter, sqliteSiteEventWriter, type SiteEventWriter } from './site-event-writers.ts';
import { startSiteEventThread, type SiteEventThread } from './sqlite-site-event-thread.ts';

/** Requests whose batches share one transaction at most (20 events each: 10,000 rows). */
const MAX_REQUESTS_PER_COMMIT = 500;
/** Rows SQLite deletes per statement during retention, so that requests are served in between. */
const DELETE_CHUNK = 5000;
const DAY_MS = 24 * 3600 * 1000;

interface EventRow {
  id: number | string;
  at: string;
  site: string;
  visitor_id: string;
  customer_id: string | null;
  type: 'page' | 'track';
  name: string;
  page: string;
  slot: string | null;
  props: string | null;
  client_at: string | null;
}

interface CountRow {
  site: string;
  hour: string;
  page: string;
  slot: string;
  name: string;
  count: number | string;
}

export class SqlSiteEventStore implements SiteEventStore {
  private readonly commits: GroupCommit<SiteEventBatch>;
  private readonly db: Kysely<Schema>;
  private readonly partitions: PostgresSiteEventPartitions | null;
  /** SQLite: the writer thread, started at the first write (null until then, or when it cannot start). */
  private thread: Promise<SiteEventThread | null> | null = null;
  /** SQLite: the visitor's customer, prepared on first use. */
  private customerOfVisitorStatement: BetterSqlite3.Statement | null = null;

  constructor(private readonly database: Database) {
    this.db = database.db;
    let writer: SiteEventWriter;
    if (database.dialect === 'sqlite') {
      this.partitions = null;
      const here = sqliteSiteEventWriter(database.sqlite);
      const sqlite = database.sqlite;
      // An in-memory database cannot be opened by a second connection: written here then.
      const threaded = !sqlite.memory && sqlite.name !== '';
      writer = async (batches) => {
        const thread = threaded ? await (this.thread ??= startSiteEventThread(sqlite.name).catch(() => null)) : null;
        return thread === null ? here(batches) : thread.write(batches);
      };
    } else {
      const partitions = new PostgresSiteEventPartitions(database.pool);
      this.partitions = partitions;
      writer = postgresSiteEventWriter(database.pool, (days) => partitions.ensure(days).then(() => undefined));
    }
    this.commits = new GroupCommit<SiteEventBatch>(writer, MAX_REQUESTS_PER_COMMIT);
  }

  append(batch: SiteEventBatch): Promise<void> {
    if (batch.events.length === 0 && batch.counts.length === 0 && batch.identifications.length === 0) return Promise.resolve();
    return this.commits.add(batch);
  }

  flush(): Promise<void> {
    return this.commits.settled();
  }

  /** Writes what waits, then stops the writer thread (SQLite). */
  async close(): Promise<void> {
    await this.commits.settled();
    const thread = await this.thread;
    this.thread = null;
    await thread?.close();
  }

  async eventsOfCustomer(customerId: string, opts: { since?: Instant; limit: number }): Promise<StoredVisitorEvent[]> {
    const since = opts.since ?? '1970-01-01T00:00:00.000Z';
    const res = await sql<EventRow>`SELECT id, at, site, visitor_id, customer_id, type, name, page, slot, props, client_at FROM site_events
      WHERE customer_id = ${customerId} AND at >= ${since} ORDER BY at DESC, id DESC LIMIT ${opts.limit}`.execute(this.db);
    return res.rows.map(eventOf);
  }

  async visitorsWhoDid(q: { name: string; since: Instant; site?: string }): Promise<string[]> {
    const site = q.site === undefined ? sql`` : sql` AND site = ${q.site}`;
    const res = await sql<{ visitor_id: string }>`SELECT DISTINCT visitor_id FROM site_events WHERE name = ${q.name} AND at >= ${q.since}${site} ORDER BY visitor_id`.execute(this.db);
    return res.rows.map((r) => r.visitor_id);
  }

  async customerOfVisitor(visitorId: string): Promise<string | null> {
    // Asked for every own-product ad filled and every batch of events with a visitor id: a named
    // statement on PostgreSQL, parsed and planned once per connection; prepared once on SQLite.
    if (this.database.dialect === 'postgres') {
      const res = await this.database.pool.query<{ customer_id: string }>({ name: 'lupa-customer-of-visitor', text: 'SELECT customer_id FROM site_visitors WHERE visitor_id = $1', values: [visitorId] });
      return res.rows[0]?.customer_id ?? null;
    }
    this.customerOfVisitorStatement ??= this.database.sqlite.prepare('SELECT customer_id FROM site_visitors WHERE visitor_id = ?').pluck();
    return (this.customerOfVisitorStatement.get(visitorId) as string | undefined) ?? null;
  }

  async counts(q: { from: Instant; to: Instant; site?: string }): Promise<EventCount[]> {
    const site = q.site === undefined ? sql`` : sql` AND site = ${q.site}`;
    const res = await sql<CountRow>`SELECT site, hour, page, slot, name, count FROM site_event_counts
      WHERE hour >= ${q.from} AND hour < ${q.to}${site} ORDER BY hour, site, page, slot, name`.execute(this.db);
    return res.rows.map(countOf);
  }

  async consentedCounts(q: { from: Instant; to: Instant; site?: string }): Promise<EventCount[]> {
    const site = q.site === undefined ? sql`` : sql` AND site = ${q.site}`;
    const hour = this.database.dialect === 'sqlite' ? sql`substr(at, 1, 13) || ':00:00.000Z'` : sql`date_trunc('hour', at AT TIME ZONE 'UTC')`;
    const res = await sql<CountRow>`SELECT site, ${hour} AS hour, page, coalesce(slot, '') AS slot, name, count(*) AS count FROM site_events
      WHERE at >= ${q.from} AND at < ${q.to}${site} GROUP BY 1, 2, 3, 4, 5 ORDER BY 2, 1, 3, 4, 5`.execute(this.db);
    return res.rows.map(countOf);
  }

  async upkeep(now: Instant, retentionDays: number): Promise<SiteEventUpkeep> {
    const cutoff = new Date(Date.parse(now) - retentionDays * DAY_MS);
    const cutoffText = cutoff.toISOString();
    if (this.partitions !== null) {
      const partitionsCreated = await this.partitions.createAhead(new Date(now));
      const partitionsDropped = await this.partitions.dropBefore(cutoff);
      const counts = await sql`DELETE FROM site_event_counts WHERE hour < ${cutoffText}`.execute(this.db);
      return { partitionsCreated, partitionsDropped, rowsDeleted: Number(counts.numAffectedRows ?? 0) };
    }
    const rowsDeleted = (await this.deleteInChunks('site_events', 'id', 'at', cutoffText)) + (await this.deleteInChunks('site_event_counts', 'rowid', 'hour', cutoffText));
    return { partitionsCreated: 0, partitionsDropped: 0, rowsDeleted };
  }

  /** SQLite: rows before `cutoff` deleted DELETE_CHUNK at a time, yielding to requests between chunks. */
  private async deleteInChunks(table: 'site_events' | 'site_event_counts', key: 'id' | 'rowid', column: 'at' | 'hour', cutoff: string): Promise<number> {
    if (this.database.dialect !== 'sqlite') return 0;
    const statement = this.database.sqlite.prepare(`DELETE FROM ${table} WHERE ${key} IN (SELECT ${key} FROM ${table} WHERE ${column} < ? LIMIT ${DELETE_CHUNK})`);
    let deleted = 0;
    for (;;) {
      const { changes } = statement.run(cutoff);
      deleted += changes;
      if (changes < DELETE_CHUNK) return deleted;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }
}

function eventOf(r: EventRow): StoredVisitorEvent {
  return {
    id: String(r.id),
    at: r.at as Instant,
    site: r.site,
    visitorId: r.visitor_id,
    customerId: r.customer_id,
    type: r.type,
    name: r.name,
    page: r.page,
    slot: r.slot,
    props: r.props,
    clientAt: r.client_at as Instant | null,
  };
}

function countOf(r: CountRow): EventCount {
  return { site: r.site, hour: r.hour as Instant, page: r.page, slot: r.slot, name: r.name, count: Number(r.count) };
}
