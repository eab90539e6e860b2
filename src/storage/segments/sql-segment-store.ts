/**
 * Segments on SQLite and PostgreSQL through Kysely: membership computed by one statement per
 * segment (segment-sql.ts), refreshed from `segment_changes` (filled by triggers, migration 0033).
 *
 * A refresh run first moves the changes it will handle into `segment_refresh_batch` and deletes
 * them, in one transaction with the recomputation, so a change committed while it runs is neither
 * lost nor half-handled: it stays in `segment_changes` for the next run. Runs are serialised (an
 * advisory lock on PostgreSQL; SQLite has one writer).
 */
import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import { DomainError } from '../../core/errors.ts';
import type { Instant } from '../../core/records.ts';
import type { NewSegment, RuleNames, Segment, SegmentChange, SegmentRefresh, SegmentStore } from '../../core/segments/ports.ts';
import { dependsOnTime, parseSegmentRule, type SegmentRule } from '../../core/segments/rule.ts';
import type { Schema, SegmentsTable } from '../schema.ts';
import { SqlParams } from '../sql-text.ts';
import { rfmScoresSql } from './rfm-sql.ts';
import { segmentMembersSql, usesRfm } from './segment-sql.ts';

type Db = Kysely<Schema> | Transaction<Schema>;
type SegmentRow = Omit<SegmentsTable, 'id' | 'member_count'> & { id: number; member_count: number };

const REFRESH_LOCK = 'lupa.segments.refresh';

export class SqlSegmentStore implements SegmentStore {
  constructor(
    private readonly db: Kysely<Schema>,
    private readonly dialect: 'sqlite' | 'postgres',
  ) {}

  async create(s: NewSegment): Promise<Segment> {
    await this.requireFreeName(s.name, null);
    const row = await this.db
      .insertInto('segments')
      .values({
        name: s.name,
        description: s.description,
        rule: JSON.stringify(s.rule),
        time_dependent: this.bool(dependsOnTime(s.rule)),
        created_at: s.at,
        created_by: s.createdBy,
        updated_at: s.at,
        computed_at: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return this.require(Number(row.id));
  }

  async update(id: number, change: SegmentChange): Promise<Segment> {
    const before = await this.require(id);
    if (change.name !== undefined && change.name !== before.name) await this.requireFreeName(change.name, id);
    const ruleChanged = change.rule !== undefined && JSON.stringify(change.rule) !== JSON.stringify(before.rule);
    await this.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('segments')
        .set({
          ...(change.name === undefined ? {} : { name: change.name }),
          ...(change.description === undefined ? {} : { description: change.description }),
          ...(change.rule === undefined ? {} : { rule: JSON.stringify(change.rule), time_dependent: this.bool(dependsOnTime(change.rule)) }),
          // Members of another rule are not members of this one: none until the next refresh.
          ...(ruleChanged ? { computed_at: null, member_count: 0 } : {}),
          updated_at: change.at,
        })
        .where('id', '=', id)
        .execute();
      if (ruleChanged) await trx.deleteFrom('segment_members').where('segment_id', '=', id).execute();
    });
    return this.require(id);
  }

  async remove(id: number): Promise<void> {
    await this.require(id);
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('segment_members').where('segment_id', '=', id).execute();
      await trx.deleteFrom('segments').where('id', '=', id).execute();
    });
  }

  async get(id: number): Promise<Segment | null> {
    const row = await this.db.selectFrom('segments').selectAll().where('id', '=', id).executeTakeFirst();
    return row === undefined ? null : segmentFromRow(row as SegmentRow);
  }

  async list(): Promise<Segment[]> {
    const rows = await this.db.selectFrom('segments').selectAll().orderBy('name').execute();
    return rows.map((r) => segmentFromRow(r as SegmentRow));
  }

  async existing(refs: RuleNames<readonly string[], readonly number[]>): Promise<RuleNames<Set<string>, Set<number>>> {
    const found = async <T extends string | number>(names: readonly T[], query: (names: readonly T[]) => RawBuilder<{ v: T }>): Promise<Set<T>> =>
      new Set(names.length === 0 ? [] : (await query(names).execute(this.db)).rows.map((r) => (typeof names[0] === 'number' ? (Number(r.v) as T) : r.v)));
    return {
      topics: await found(refs.topics, (n) => sql<{ v: string }>`SELECT code AS v FROM interest_topics WHERE code IN (${sql.join(n)})`),
      models: await found(refs.models, (n) => sql<{ v: number }>`SELECT id AS v FROM prediction_models WHERE id IN (${sql.join(n)})`),
      skus: await found(refs.skus, (n) => sql<{ v: string }>`SELECT sku AS v FROM products WHERE sku IN (${sql.join(n)})`),
      categories: await found(refs.categories, (n) => sql<{ v: string }>`SELECT DISTINCT category AS v FROM products WHERE category IN (${sql.join(n)})`),
      campaigns: await found(refs.campaigns, (n) => sql<{ v: number }>`SELECT id AS v FROM campaigns WHERE id IN (${sql.join(n)})`),
    };
  }

  async count(rule: SegmentRule, at: Instant, now?: Instant): Promise<number> {
    const p = new SqlParams();
    const text = `SELECT COUNT(*) AS n FROM (${segmentMembersSql(rule, p, at, this.dialect, undefined, undefined, now)}) m`;
    const { rows } = await p.bind(text).execute(this.db);
    return Number((rows[0] as { n: number | string }).n);
  }

  async refreshAll(at: Instant): Promise<SegmentRefresh[]> {
    return this.serialised(async (trx) => {
      await this.takeChanges(trx);
      const segments = (await trx.selectFrom('segments').selectAll().orderBy('id').execute()).map((r) => segmentFromRow(r as SegmentRow));
      const done: SegmentRefresh[] = [];
      // Everyone's RFM quintiles computed once for all the RFM segments (the demo has five), not once each.
      const rfmScores = segments.filter((s) => usesRfm(s.rule)).length > 1 ? await this.rfmScoresOnce(trx, at) : undefined;
      for (const segment of segments) {
        done.push(segment.computedAt === null || segment.timeDependent ? await this.full(trx, segment, at, rfmScores) : await this.incremental(trx, segment, at));
      }
      if (rfmScores !== undefined) await sql.raw(`DELETE FROM ${rfmScores}`).execute(trx);
      await trx.deleteFrom('segment_refresh_batch').execute();
      return done;
    });
  }

  async recompute(id: number, at: Instant): Promise<SegmentRefresh> {
    const segment = await this.require(id);
    return this.serialised((trx) => this.full(trx, segment, at));
  }

  async memberIds(segmentId: number, customerIds: readonly string[]): Promise<Set<string>> {
    if (customerIds.length === 0) return new Set();
    const rows = await this.db
      .selectFrom('segment_members')
      .select('customer_id')
      .where('segment_id', '=', segmentId)
      .where('customer_id', 'in', [...customerIds])
      .execute();
    return new Set(rows.map((r) => r.customer_id));
  }

  async campaignsUsing(segmentId: number): Promise<number[]> {
    // Unfinished campaigns are few: their filters are read and looked at here, in both dialects alike.
    const rows = await this.db.selectFrom('campaigns').select(['id', 'filter']).where('status', 'in', ['draft', 'running', 'paused']).execute();
    return selectingSegment(rows, segmentId);
  }

  async adAudiencesUsing(segmentId: number): Promise<number[]> {
    // Ad audiences are few, as unfinished campaigns are.
    return selectingSegment(await this.db.selectFrom('ad_audiences').select(['id', 'filter']).execute(), segmentId);
  }

  async segmentsOf(customerId: string): Promise<{ id: number; name: string; computedAt: Instant }[]> {
    const rows = await this.db
      .selectFrom('segment_members as m')
      .innerJoin('segments as s', 's.id', 'm.segment_id')
      .select(['s.id', 's.name', 's.computed_at'])
      .where('m.customer_id', '=', customerId)
      .orderBy('s.name')
      .execute();
    return rows.map((r) => ({ id: Number(r.id), name: r.name, computedAt: r.computed_at as Instant }));
  }

  /** Moves every visible change into the batch and deletes it, in one statement on PostgreSQL. */
  private async takeChanges(trx: Transaction<Schema>): Promise<void> {
    await trx.deleteFrom('segment_refresh_batch').execute();
    if (this.dialect === 'postgres') {
      await sql`WITH taken AS (DELETE FROM segment_changes RETURNING customer_id)
        INSERT INTO segment_refresh_batch (customer_id) SELECT DISTINCT customer_id FROM taken`.execute(trx);
      // The batch's size decides the plan (index probes for a few changed customers, scans for
      // many): statistics of this moment, not of the last autovacuum's.
      await sql`ANALYZE segment_refresh_batch`.execute(trx);
    } else {
      // One writer: nothing can commit between these two statements.
      await sql`INSERT INTO segment_refresh_batch (customer_id) SELECT DISTINCT customer_id FROM segment_changes`.execute(trx);
      await trx.deleteFrom('segment_changes').execute();
    }
  }

  /**
   * The rule evaluated over every customer. A segment never computed (or whose rule changed, which
   * emptied it) gets its members inserted; otherwise the fresh members are staged in a temporary
   * table and only the difference is written: a recompute that changes few memberships writes few
   * rows, instead of deleting and re-inserting every member with its two index entries. A member
   * row's `computed_at` is thus the refresh that admitted the customer; the segment's own
   * `computed_at` is the instant all of them are as of.
   */
  /** Fills a temporary table of this connection with everyone's RFM quintiles as of `at`; returns its name. */
  private async rfmScoresOnce(trx: Transaction<Schema>, at: Instant): Promise<string> {
    await sql
      .raw(
        `CREATE TEMP TABLE IF NOT EXISTS rfm_scores (customer_id TEXT PRIMARY KEY, recency INTEGER NOT NULL, frequency INTEGER NOT NULL, monetary INTEGER NOT NULL)${this.dialect === 'postgres' ? ' ON COMMIT DROP' : ''}`,
      )
      .execute(trx);
    await sql`DELETE FROM rfm_scores`.execute(trx);
    const p = new SqlParams();
    await p.bind(`INSERT INTO rfm_scores (customer_id, recency, frequency, monetary) SELECT customer_id, recency, frequency, monetary FROM (${rfmScoresSql(p.param(at), this.dialect)}) s`).execute(trx);
    if (this.dialect === 'postgres') await sql`ANALYZE rfm_scores`.execute(trx);
    return 'rfm_scores';
  }

  /** `rfmScores`: a table of everyone's RFM quintiles as of `at` (rfmScoresOnce), when the run made one. */
  private async full(trx: Transaction<Schema>, segment: Segment, at: Instant, rfmScores?: string): Promise<SegmentRefresh> {
    const p = new SqlParams();
    const members = segmentMembersSql(segment.rule, p, at, this.dialect, undefined, rfmScores);
    if (segment.computedAt === null) {
      await trx.deleteFrom('segment_members').where('segment_id', '=', segment.id).execute();
      const text = `INSERT INTO segment_members (segment_id, customer_id, computed_at)
        SELECT ${p.param(segment.id)}, m.customer_id, ${p.param(at)} FROM (${members}) m`;
      const count = Number((await p.bind(text).execute(trx)).numAffectedRows ?? 0n);
      await this.finish(trx, segment.id, at, count);
      return { segmentId: segment.id, mode: 'full', recomputed: 0, members: count, computedAt: at };
    }
    // One staging table per connection, emptied before each use (several segments share a run's transaction).
    await sql.raw(`CREATE TEMP TABLE IF NOT EXISTS segment_fresh (customer_id TEXT PRIMARY KEY)${this.dialect === 'postgres' ? ' ON COMMIT DROP' : ''}`).execute(trx);
    await sql`DELETE FROM segment_fresh`.execute(trx);
    const count = Number((await p.bind(`INSERT INTO segment_fresh (customer_id) SELECT m.customer_id FROM (${members}) m`).execute(trx)).numAffectedRows ?? 0n);
    if (this.dialect === 'postgres') await sql`ANALYZE segment_fresh`.execute(trx);
    // NOT EXISTS: an anti-join on both planners (a NOT IN of a large list would not be hashed by PostgreSQL beyond work_mem).
    await sql`DELETE FROM segment_members WHERE segment_id = ${segment.id}
      AND NOT EXISTS (SELECT 1 FROM segment_fresh f WHERE f.customer_id = segment_members.customer_id)`.execute(trx);
    await sql`INSERT INTO segment_members (segment_id, customer_id, computed_at)
      SELECT ${segment.id}, f.customer_id, ${at} FROM segment_fresh f
      WHERE NOT EXISTS (SELECT 1 FROM segment_members m WHERE m.segment_id = ${segment.id} AND m.customer_id = f.customer_id)`.execute(trx);
    await sql`DELETE FROM segment_fresh`.execute(trx);
    await this.finish(trx, segment.id, at, count);
    return { segmentId: segment.id, mode: 'full', recomputed: 0, members: count, computedAt: at };
  }

  /**
   * Only the changed customers: those in the batch, and those whose order began since the last
   * refresh (dated ahead when written, so no trigger marked them when the start came).
   */
  private async incremental(trx: Transaction<Schema>, segment: Segment, at: Instant): Promise<SegmentRefresh> {
    const p = new SqlParams();
    const among = changedCustomersSql(p, segment.computedAt as Instant, at);
    const changed = Number(((await p.bind(`SELECT COUNT(*) AS n FROM (${among}) x`).execute(trx)).rows[0] as { n: number | string }).n);

    const gone = new SqlParams();
    const goneText = `DELETE FROM segment_members WHERE segment_id = ${gone.param(segment.id)} AND customer_id IN (${changedCustomersSql(gone, segment.computedAt as Instant, at)})`;
    const deleted = Number((await gone.bind(goneText).execute(trx)).numAffectedRows ?? 0n);

    const q = new SqlParams();
    const members = segmentMembersSql(segment.rule, q, at, this.dialect, changedCustomersSql(q, segment.computedAt as Instant, at));
    const insertText = `INSERT INTO segment_members (segment_id, customer_id, computed_at)
      SELECT ${q.param(segment.id)}, m.customer_id, ${q.param(at)} FROM (${members}) m`;
    const inserted = Number((await q.bind(insertText).execute(trx)).numAffectedRows ?? 0n);

    const count = segment.memberCount - deleted + inserted;
    await this.finish(trx, segment.id, at, count);
    return { segmentId: segment.id, mode: 'incremental', recomputed: changed, members: count, computedAt: at };
  }

  private async finish(trx: Transaction<Schema>, id: number, at: Instant, count: number): Promise<void> {
    await trx.updateTable('segments').set({ computed_at: at, member_count: count }).where('id', '=', id).execute();
  }

  private async serialised<T>(work: (trx: Transaction<Schema>) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(async (trx) => {
      if (this.dialect === 'postgres') await sql`SELECT pg_advisory_xact_lock(hashtext(${REFRESH_LOCK} || current_schema()))`.execute(trx);
      return work(trx);
    });
  }

  private async require(id: number, db: Db = this.db): Promise<Segment> {
    const row = await db.selectFrom('segments').selectAll().where('id', '=', id).executeTakeFirst();
    if (row === undefined) throw new DomainError('NOT_FOUND', `no segment ${id}`, { field: 'id' });
    return segmentFromRow(row as SegmentRow);
  }

  private async requireFreeName(name: string, except: number | null): Promise<void> {
    const row = await this.db.selectFrom('segments').select('id').where('name', '=', name).executeTakeFirst();
    if (row !== undefined && Number(row.id) !== except) throw new DomainError('SEGMENT_EXISTS', `a segment named "${name}" exists`, { field: 'name' });
  }

  private bool(value: boolean): number | boolean {
    return this.dialect === 'postgres' ? value : value ? 1 : 0;
  }
}

function segmentFromRow(row: SegmentRow): Segment {
  return {
    id: Number(row.id),
    name: row.name,
    description: row.description,
    // Stored rules were checked when written; parsing again keeps one spelling of instants.
    rule: parseSegmentRule(JSON.parse(row.rule)),
    timeDependent: row.time_dependent === true || row.time_dependent === 1,
    createdAt: row.created_at as Instant,
    createdBy: row.created_by,
    updatedAt: row.updated_at as Instant,
    computedAt: row.computed_at as Instant | null,
    memberCount: Number(row.member_count),
  };
}

/**
 * The customers an incremental refresh recomputes: those in the run's batch of changes, and those
 * whose order, dated ahead when written, began since the segment was last computed.
 */
function changedCustomersSql(p: SqlParams, since: Instant, at: Instant): string {
  return `SELECT customer_id FROM segment_refresh_batch
    UNION SELECT customer_id FROM orders WHERE started_at > ${p.param(since)} AND started_at <= ${p.param(at)}`;
}

/** The ids (ascending) of the rows whose audience filter (JSON text or object) selects the segment. */
function selectingSegment(rows: readonly { id: number | string; filter: unknown }[], segmentId: number): number[] {
  return rows
    .filter((r) => {
      const filter: unknown = typeof r.filter === 'string' ? JSON.parse(r.filter) : r.filter;
      return typeof filter === 'object' && filter !== null && (filter as { segment?: unknown }).segment === segmentId;
    })
    .map((r) => Number(r.id))
    .sort((a, b) => a - b);
}
