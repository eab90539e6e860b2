/**
 * Tracking hits, buffered in memory and written in batches (one multi-row INSERT), so the pixel
 * and the click redirect answer without waiting for the store. A flush runs when the buffer fills
 * or after a short delay, and on close: a clean shutdown loses no hit.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { Kysely } from 'kysely';
import type pg from 'pg';
import type { CampaignLinkStore, LinkClicks, TrackingCounts, TrackingEvent, TrackingStore } from '../core/campaign.ts';
import type { Schema } from './schema.ts';
import { writerWaitingOnTimers } from './sqlite-lock-wait.ts';

/** Writes one batch of hits; each dialect has its cheapest way (see below). */
export type TrackingBatchWriter = (events: readonly TrackingEvent[]) => Promise<void>;

/** SQLite: one prepared statement in one transaction; building a 14,000-parameter query per batch would cost more than the writes. */
export function sqliteTrackingWriter(sqlite: BetterSqlite3.Database): TrackingBatchWriter {
  const insert = sqlite.prepare(
    'INSERT INTO tracking_events (campaign_id, delivery_id, kind, link_idx, at, machine, machine_reason) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  // Waits for another connection's lock on timers, not on the event loop (sqlite-lock-wait.ts).
  return writerWaitingOnTimers(
    sqlite,
    sqlite.transaction((events: readonly TrackingEvent[]) => {
      for (const e of events) insert.run(e.campaignId, e.deliveryId, e.kind, e.linkIdx, e.at, e.machine ? 1 : 0, e.machineReason);
    }),
  );
}

/** PostgreSQL: one statement with one array per column, however large the batch. */
export function postgresTrackingWriter(pool: pg.Pool): TrackingBatchWriter {
  return async (events) => {
    await pool.query({
      name: 'lupa-tracking-insert',
      text: `INSERT INTO tracking_events (campaign_id, delivery_id, kind, link_idx, at, machine, machine_reason)
             SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::int[], $5::timestamptz[], $6::boolean[], $7::text[])`,
      values: [
        events.map((e) => e.campaignId),
        events.map((e) => e.deliveryId),
        events.map((e) => e.kind),
        events.map((e) => e.linkIdx),
        events.map((e) => e.at),
        events.map((e) => e.machine),
        events.map((e) => e.machineReason),
      ],
    });
  };
}

export class BufferedTrackingStore implements TrackingStore {
  private buffer: TrackingEvent[] = [];
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Kysely<Schema>,
    private readonly writeBatch: TrackingBatchWriter,
    private readonly maxBuffered = 2000,
    private readonly maxDelayMs = 100,
  ) {}

  record(event: TrackingEvent): void {
    this.buffer.push(event);
    // A failed background flush puts its hits back; the next flush (or close) tries again and reports.
    if (this.buffer.length >= this.maxBuffered) this.flush().catch(() => undefined);
    else if (this.timer === null) {
      this.timer = setTimeout(() => this.flush().catch(() => undefined), this.maxDelayMs);
      // A pending flush alone must not keep a finished process alive; close() flushes anyway.
      this.timer.unref();
    }
  }

  async flush(): Promise<void> {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.buffer;
    this.buffer = [];
    // One write at a time, in order; a failed batch goes back to the buffer to be tried again.
    this.writing = this.writing.catch(() => undefined).then(async () => {
      if (batch.length === 0) return;
      try {
        await this.writeBatch(batch);
      } catch (err) {
        this.buffer.unshift(...batch);
        throw err;
      }
    });
    return this.writing;
  }

  async counts(campaignId: number): Promise<TrackingCounts> {
    await this.flush();
    const rows = await this.db
      .selectFrom('tracking_events')
      .select((eb) => [
        'kind',
        'machine',
        eb.fn.countAll<number>().as('hits'),
        eb.fn.count<number>('delivery_id').distinct().as('people'),
      ])
      .where('campaign_id', '=', campaignId)
      .groupBy(['kind', 'machine'])
      .execute();
    const counts: TrackingCounts = { opens: { people: 0, machines: 0, uniquePeople: 0 }, clicks: { people: 0, machines: 0, uniquePeople: 0 }, links: await this.linkClicks(campaignId) };
    for (const row of rows) addHits(row.kind === 'open' ? counts.opens : counts.clicks, row);
    return counts;
  }

  /** Clicks grouped by link and person/machine, with each link's stored URL (one query). */
  private async linkClicks(campaignId: number): Promise<LinkClicks[]> {
    const rows = await this.db
      .selectFrom('tracking_events as t')
      .leftJoin('campaign_links as l', (join) => join.onRef('l.campaign_id', '=', 't.campaign_id').onRef('l.idx', '=', 't.link_idx'))
      .select((eb) => ['t.link_idx', 'l.url', 't.machine', eb.fn.countAll<number>().as('hits'), eb.fn.count<number>('t.delivery_id').distinct().as('people')])
      .where('t.campaign_id', '=', campaignId)
      .where('t.kind', '=', 'click')
      .where('t.link_idx', 'is not', null)
      .groupBy(['t.link_idx', 'l.url', 't.machine'])
      .execute();
    const byIdx = new Map<number, LinkClicks>();
    for (const row of rows) {
      const idx = Number(row.link_idx);
      const link = byIdx.get(idx) ?? { idx, url: row.url ?? null, people: 0, machines: 0, uniquePeople: 0 };
      byIdx.set(idx, link);
      addHits(link, row);
    }
    return [...byIdx.values()].sort((a, b) => a.idx - b.idx);
  }
}

/** Adds one grouped row's hits to a bucket: machine hits apart, people's hits and distinct people. */
function addHits(bucket: { people: number; machines: number; uniquePeople: number }, row: { machine: boolean | number; hits: number | string; people: number | string }): void {
  if (row.machine === true || row.machine === 1) bucket.machines += Number(row.hits);
  else {
    bucket.people += Number(row.hits);
    bucket.uniquePeople += Number(row.people);
  }
}

/** Link URLs never change once a campaign has them, so they are cached after the first read. */
export class SqlCampaignLinkStore implements CampaignLinkStore {
  private readonly cache = new Map<string, string>();

  constructor(private readonly db: Kysely<Schema>) {}

  async setLinks(campaignId: number, urls: readonly string[]): Promise<void> {
    if (urls.length === 0) return;
    await this.db
      .insertInto('campaign_links')
      .values(urls.map((url, idx) => ({ campaign_id: campaignId, idx, url })))
      .onConflict((oc) => oc.columns(['campaign_id', 'idx']).doNothing())
      .execute();
  }

  async url(campaignId: number, idx: number): Promise<string | null> {
    const key = `${campaignId}:${idx}`;
    const cached = this.cache.get(key);
    if (cached !== undefined) return cached;
    const row = await this.db.selectFrom('campaign_links').select('url').where('campaign_id', '=', campaignId).where('idx', '=', idx).executeTakeFirst();
    if (row === undefined) return null;
    this.cache.set(key, row.url);
    return row.url;
  }
}
