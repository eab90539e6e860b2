/**
 * The batch writers of site events: everything a group of requests sent, in one transaction per
 * dialect. In each: the sign-ins first (visitor → customer), then the events, each taking its
 * visitor's customer if the visitor has signed in, then the visitor's earlier events stitched to
 * the customer (identity stitching), then the counts of events without consent added up.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type pg from 'pg';
import type { EventCount, Identification, SiteEventBatch, VisitorEvent } from '../../core/site-events/site-events.ts';
import { writerWaitingOnTimers } from '../sqlite-lock-wait.ts';

export type SiteEventWriter = (batches: readonly SiteEventBatch[]) => Promise<void>;

interface Merged {
  events: VisitorEvent[];
  identifications: Identification[];
  counts: EventCount[];
}

/** The batches as one: counts with the same key added together (one upsert per key). */
export function mergeBatches(batches: readonly SiteEventBatch[]): Merged {
  const events: VisitorEvent[] = [];
  const identifications: Identification[] = [];
  const counts = new Map<string, EventCount>();
  for (const b of batches) {
    for (const e of b.events) events.push(e);
    for (const i of b.identifications) identifications.push(i);
    for (const c of b.counts) {
      const key = `${c.site}\u0000${c.hour}\u0000${c.page}\u0000${c.slot}\u0000${c.name}`;
      const seen = counts.get(key);
      if (seen === undefined) counts.set(key, { ...c });
      else seen.count += c.count;
    }
  }
  return { events, identifications, counts: [...counts.values()] };
}

export function sqliteSiteEventWriter(sqlite: BetterSqlite3.Database): SiteEventWriter {
  const identify = sqlite.prepare(
    `INSERT INTO site_visitors (visitor_id, site, customer_id, identified_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (visitor_id) DO UPDATE SET site = excluded.site, customer_id = excluded.customer_id, identified_at = excluded.identified_at`,
  );
  const insert = sqlite.prepare('INSERT INTO site_events (at, site, visitor_id, customer_id, type, name, page, slot, props, client_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
  const customerOf = sqlite.prepare('SELECT customer_id FROM site_visitors WHERE visitor_id = ?').pluck();
  const stitch = sqlite.prepare('UPDATE site_events SET customer_id = ? WHERE visitor_id = ? AND customer_id IS NULL');
  const count = sqlite.prepare(
    `INSERT INTO site_event_counts (site, hour, page, slot, name, count) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (site, hour, page, slot, name) DO UPDATE SET count = count + excluded.count`,
  );
  const writeAll = sqlite.transaction((m: Merged) => {
    for (const i of m.identifications) identify.run(i.visitorId, i.site, i.customerId, i.at);
    // The visitor's customer looked up once per visitor (a request's 20 events share one), not per row.
    const customers = new Map<string, string | null>();
    for (const e of m.events) {
      let customer = customers.get(e.visitorId);
      if (customer === undefined) {
        customer = (customerOf.get(e.visitorId) as string | undefined) ?? null;
        customers.set(e.visitorId, customer);
      }
      insert.run(e.at, e.site, e.visitorId, customer, e.type, e.name, e.page, e.slot, e.props, e.clientAt);
    }
    for (const i of m.identifications) if (i.stitch !== false) stitch.run(i.customerId, i.visitorId);
    for (const c of m.counts) count.run(c.site, c.hour, c.page, c.slot, c.name, c.count);
  });
  // Waits for another connection's lock on timers, not on the event loop (sqlite-lock-wait.ts).
  const write = writerWaitingOnTimers(sqlite, writeAll);
  return (batches) => write(mergeBatches(batches));
}

/**
 * PostgreSQL: one statement per table with one array per column, in one transaction.
 * `ensurePartitions` is called with the days the events fall on before they are inserted.
 */
export function postgresSiteEventWriter(pool: pg.Pool, ensurePartitions: (days: Set<string>) => Promise<void>): SiteEventWriter {
  return async (batches) => {
    const m = mergeBatches(batches);
    if (m.events.length > 0) await ensurePartitions(new Set(m.events.map((e) => e.at.slice(0, 10))));
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      if (m.identifications.length > 0) {
        // The latest sign-in of a visitor wins when one batch has two.
        const latest = [...new Map(m.identifications.map((i) => [i.visitorId, i])).values()];
        await client.query(
          `INSERT INTO site_visitors (visitor_id, site, customer_id, identified_at)
           SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[])
           ON CONFLICT (visitor_id) DO UPDATE SET site = excluded.site, customer_id = excluded.customer_id, identified_at = excluded.identified_at`,
          [latest.map((i) => i.visitorId), latest.map((i) => i.site), latest.map((i) => i.customerId), latest.map((i) => i.at)],
        );
      }
      if (m.events.length > 0) {
        const e = m.events;
        await client.query({
          name: 'lupa-site-events-insert',
          text: `INSERT INTO site_events (at, site, visitor_id, customer_id, type, name, page, slot, props, client_at)
                 SELECT u.at, u.site, u.visitor_id, v.customer_id, u.type, u.name, u.page, u.slot, u.props, u.client_at
                 FROM unnest($1::timestamptz[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::timestamptz[])
                   AS u (at, site, visitor_id, type, name, page, slot, props, client_at)
                 LEFT JOIN site_visitors v ON v.visitor_id = u.visitor_id`,
          values: [e.map((x) => x.at), e.map((x) => x.site), e.map((x) => x.visitorId), e.map((x) => x.type), e.map((x) => x.name), e.map((x) => x.page), e.map((x) => x.slot), e.map((x) => x.props), e.map((x) => x.clientAt)],
        });
      }
      const stitched = m.identifications.filter((i) => i.stitch !== false);
      if (stitched.length > 0) {
        await client.query(
          `UPDATE site_events e SET customer_id = u.customer_id
           FROM unnest($1::text[], $2::text[]) AS u (visitor_id, customer_id)
           WHERE e.visitor_id = u.visitor_id AND e.customer_id IS NULL`,
          [stitched.map((i) => i.visitorId), stitched.map((i) => i.customerId)],
        );
      }
      if (m.counts.length > 0) {
        const c = m.counts;
        await client.query({
          name: 'lupa-site-event-counts-upsert',
          text: `INSERT INTO site_event_counts (site, hour, page, slot, name, count)
                 SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::text[], $4::text[], $5::text[], $6::bigint[])
                 ON CONFLICT (site, hour, page, slot, name) DO UPDATE SET count = site_event_counts.count + excluded.count`,
          values: [c.map((x) => x.site), c.map((x) => x.hour), c.map((x) => x.page), c.map((x) => x.slot), c.map((x) => x.name), c.map((x) => x.count)],
        });
      }
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  };
}
