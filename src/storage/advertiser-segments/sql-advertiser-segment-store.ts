/**
 * Segments offered to advertisers (migration 0044), read with their segment's member count. The
 * ad server's question, which offered segments one customer is in, is one indexed join
 * (segment_members by customer).
 */
import { sql, type Kysely } from 'kysely';
import type { AdvertiserSegment, AdvertiserSegmentStore } from '../../core/advertiser-segments.ts';
import { DomainError } from '../../core/errors.ts';
import type { Instant } from '../../core/records.ts';
import type { Database } from '../database.ts';
import type { Schema } from '../schema.ts';

interface Row {
  segment_id: number | string;
  name: string;
  description: string;
  offered_at: string;
  offered_by: string;
  member_count: number | string;
  computed_at: string | null;
}

interface VisitorSegmentRow {
  customer_id: string;
  segment_id: number | string | null;
}

export class SqlAdvertiserSegmentStore implements AdvertiserSegmentStore {
  private readonly db: Kysely<Schema>;

  constructor(private readonly database: Database) {
    this.db = database.db;
  }

  async offer(o: { segmentId: number; name: string; description: string; by: string; at: Instant }): Promise<AdvertiserSegment> {
    const segment = await this.db.selectFrom('segments').select('id').where('id', '=', o.segmentId).executeTakeFirst();
    if (segment === undefined) throw new DomainError('NOT_FOUND', `no segment ${o.segmentId}`, { field: 'segmentId' });
    await sql`INSERT INTO advertiser_segments (segment_id, name, description, offered_at, offered_by)
      VALUES (${o.segmentId}, ${o.name}, ${o.description}, ${o.at}, ${o.by})
      ON CONFLICT (segment_id) DO UPDATE SET name = excluded.name, description = excluded.description`.execute(this.db);
    const offered = (await this.rows(o.segmentId))[0];
    if (offered === undefined) throw new Error('advertiser segment vanished after insert');
    return offered;
  }

  async withdraw(segmentId: number): Promise<boolean> {
    const result = await sql`DELETE FROM advertiser_segments WHERE segment_id = ${segmentId}`.execute(this.db);
    return Number(result.numAffectedRows ?? 0) > 0;
  }

  list(): Promise<AdvertiserSegment[]> {
    return this.rows(null);
  }

  async visitorSegments(visitorId: string): Promise<{ customerId: string | null; segments: number[] }> {
    // Asked for every ad shown: a named statement on PostgreSQL (parsed and planned once per connection),
    // a prepared one on SQLite. No row: the visitor never signed in; a null segment: no offered segment.
    const text = `SELECT v.customer_id, m.segment_id FROM site_visitors v
      LEFT JOIN segment_members m ON m.customer_id = v.customer_id AND m.segment_id IN (SELECT segment_id FROM advertiser_segments)
      WHERE v.visitor_id = $1 ORDER BY m.segment_id`;
    const rows =
      this.database.dialect === 'postgres'
        ? (await this.database.pool.query<VisitorSegmentRow>({ name: 'lupa-visitor-segments', text, values: [visitorId] })).rows
        : (this.database.sqlite.prepare(text.replace('$1', '?')).all(visitorId) as VisitorSegmentRow[]);
    return {
      customerId: rows[0]?.customer_id ?? null,
      segments: rows.flatMap((r) => (r.segment_id === null ? [] : [Number(r.segment_id)])),
    };
  }

  private async rows(segmentId: number | null): Promise<AdvertiserSegment[]> {
    const { rows } = await sql<Row>`SELECT a.segment_id, a.name, a.description, a.offered_at, a.offered_by, s.member_count, s.computed_at
      FROM advertiser_segments a JOIN segments s ON s.id = a.segment_id
      ${segmentId === null ? sql`` : sql`WHERE a.segment_id = ${segmentId}`}
      ORDER BY a.name, a.segment_id`.execute(this.db);
    return rows.map((r) => ({
      segmentId: Number(r.segment_id),
      name: r.name,
      description: r.description,
      offeredAt: r.offered_at as Instant,
      offeredBy: r.offered_by,
      members: Number(r.member_count),
      computedAt: r.computed_at as Instant | null,
    }));
  }
}
