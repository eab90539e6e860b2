/**
 * Interests on SQLite and PostgreSQL (migration 0034): topics and the categories that imply them,
 * stated interests appended, and inferred interests recomputed set-based in one statement and
 * replaced in one transaction (docs/segments-and-predictions.md, "Interests").
 *
 * Inference: for each customer who may be profiled (`profilingAllowedSql`, compliance.md §2
 * rule 7) and each topic implied by the category of a trial (an order that ended within
 * TRIAL_MAX_DAYS of its start, started by the refresh's instant), the weight is
 * 0.5^(age in days / half-life) of the most recent such trial; weights below MIN_INFERRED_WEIGHT
 * are not kept, nor a topic whose latest stated record is `not_interested`. Both stores have
 * `power()`; the age is `julianday` difference on SQLite, epoch seconds on PostgreSQL.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import { DomainError } from '../../core/errors.ts';
import {
  MIN_INFERRED_WEIGHT,
  type CustomerInterests,
  type InterestRefresh,
  type InterestStore,
  type InterestTopic,
  type StatedInterest,
  type StoredStatedInterest,
} from '../../core/interests/interests.ts';
import type { Instant } from '../../core/records.ts';
import { TRIAL_MAX_DAYS } from '../../core/trials.ts';
import { profilingAllowedSql } from '../profiling-gate.ts';
import type { Schema } from '../schema.ts';
import { SqlParams } from '../sql-text.ts';
import { latestStatedSql } from './interest-sql.ts';

const REFRESH_LOCK = 'lupa.interests.refresh';
/** Stated records per insert statement (7 values each, well under both stores' limits on bound values). */
const RECORD_CHUNK = 500;

interface TopicRow {
  code: string;
  name_fi: string;
  name_sv: string;
  name_en: string;
  categories: string | null;
}

interface StatedRow {
  seq: number | string;
  customer_id: string;
  topic: string;
  value: StoredStatedInterest['value'];
  source: StoredStatedInterest['source'];
  actor: string;
  at: string;
  recorded_at: string;
}

export class SqlInterestStore implements InterestStore {
  constructor(
    private readonly db: Kysely<Schema>,
    private readonly dialect: 'sqlite' | 'postgres',
  ) {}

  async topics(): Promise<InterestTopic[]> {
    const { rows } = await sql<TopicRow>`SELECT t.code, t.name_fi, t.name_sv, t.name_en,
        (SELECT ${sql.raw(this.dialect === 'postgres' ? "string_agg(m.category, ',' ORDER BY m.category)" : "group_concat(m.category, ',')")}
           FROM interest_topic_categories m WHERE m.topic = t.code) AS categories
      FROM interest_topics t ORDER BY t.position, t.code`.execute(this.db);
    return rows.map((r) => ({
      code: r.code,
      names: { fi: r.name_fi, sv: r.name_sv, en: r.name_en },
      categories: r.categories === null || r.categories === '' ? [] : r.categories.split(',').sort(),
    }));
  }

  async addTopic(topic: InterestTopic): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const { rows } = await sql<{ n: number | string }>`SELECT COUNT(*) AS n FROM interest_topics WHERE code = ${topic.code}`.execute(trx);
      if (Number(rows[0]?.n ?? 0) > 0) throw new DomainError('TOPIC_EXISTS', `an interest topic "${topic.code}" exists`, { field: 'code' });
      await sql`INSERT INTO interest_topics (code, name_fi, name_sv, name_en, position)
        SELECT ${topic.code}, ${topic.names.fi}, ${topic.names.sv}, ${topic.names.en}, COALESCE(MAX(position), 0) + 1 FROM interest_topics`.execute(trx);
      await this.writeCategories(trx, topic);
    });
  }

  async changeTopic(topic: InterestTopic): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const done = await sql`UPDATE interest_topics SET name_fi = ${topic.names.fi}, name_sv = ${topic.names.sv}, name_en = ${topic.names.en} WHERE code = ${topic.code}`.execute(trx);
      if (Number(done.numAffectedRows ?? 0n) === 0) throw new DomainError('UNKNOWN_TOPIC', `no interest topic "${topic.code}"`, { field: 'code' });
      await sql`DELETE FROM interest_topic_categories WHERE topic = ${topic.code}`.execute(trx);
      await this.writeCategories(trx, topic);
    });
  }

  async record(records: readonly StatedInterest[], recordedAt: Instant): Promise<void> {
    if (records.length === 0) return;
    const known = new Set((await this.topics()).map((t) => t.code));
    const unknown = records.find((r) => !known.has(r.topic));
    if (unknown !== undefined) throw new DomainError('UNKNOWN_TOPIC', `no interest topic "${unknown.topic}" (lupa interests topics)`, { field: 'topic' });
    // Multi-row inserts, in order (the store's seq orders records of the same instant).
    await this.db.transaction().execute(async (trx) => {
      for (let from = 0; from < records.length; from += RECORD_CHUNK) {
        const p = new SqlParams();
        const rows = records.slice(from, from + RECORD_CHUNK).map((r) => `(${[r.customerId, r.topic, r.value, r.source, r.actor, r.at, recordedAt].map((v) => p.param(v)).join(', ')})`);
        await p.bind(`INSERT INTO stated_interests (customer_id, topic, value, source, actor, at, recorded_at) VALUES ${rows.join(', ')}`).execute(trx);
      }
    });
  }

  async interestsOf(customerId: string, at: Instant): Promise<CustomerInterests> {
    const p = new SqlParams();
    const atMarker = p.param(at);
    const id = p.param(customerId);
    const latest = `SELECT s.seq, s.customer_id, s.topic, s.value, s.source, s.actor, s.at, s.recorded_at FROM stated_interests s
      WHERE s.customer_id = ${id} AND s.at <= ${atMarker}
        AND NOT EXISTS (SELECT 1 FROM stated_interests s2 WHERE s2.customer_id = s.customer_id AND s2.topic = s.topic AND s2.at <= ${atMarker}
          AND (s2.at > s.at OR (s2.at = s.at AND s2.seq > s.seq)))
      ORDER BY s.topic`;
    const stated = (await p.bind(latest).execute(this.db)).rows as StatedRow[];
    const inferred = await sql<{ topic: string; weight: number; computed_at: string }>`SELECT topic, weight, computed_at FROM inferred_interests
      WHERE customer_id = ${customerId} ORDER BY weight DESC, topic`.execute(this.db);
    return {
      customerId,
      stated: stated.map((r) => ({
        seq: Number(r.seq),
        customerId: r.customer_id,
        topic: r.topic,
        value: r.value,
        source: r.source,
        actor: r.actor,
        at: r.at as Instant,
        recordedAt: r.recorded_at as Instant,
      })),
      inferred: inferred.rows.map((r) => ({ topic: r.topic, weight: Number(r.weight), computedAt: r.computed_at as Instant })),
    };
  }

  async refreshInferred(at: Instant, halfLifeDays: number): Promise<InterestRefresh> {
    const pg = this.dialect === 'postgres';
    return this.db.transaction().execute(async (trx) => {
      // Exclusive: an objection's trigger (migration 0034) waits for this run to commit before it
      // deletes, and a run that starts after the objection reads it; runs wait for each other.
      if (pg) await sql`SELECT pg_advisory_xact_lock(hashtext(${REFRESH_LOCK} || current_schema()))`.execute(trx);
      await sql`DELETE FROM inferred_interests`.execute(trx);
      const p = new SqlParams();
      const atMarker = pg ? `CAST(${p.param(at)} AS timestamptz)` : p.param(at);
      const ageDays = pg ? `EXTRACT(EPOCH FROM (${atMarker} - o.started_at)) / 86400.0` : `(julianday(${atMarker}) - julianday(o.started_at))`;
      const short = pg ? `o.ended_at - o.started_at <= interval '${TRIAL_MAX_DAYS} days'` : `julianday(o.ended_at) - julianday(o.started_at) <= ${TRIAL_MAX_DAYS}`;
      const halfLife = p.param(halfLifeDays);
      const text = `INSERT INTO inferred_interests (customer_id, topic, weight, computed_at)
        SELECT x.customer_id, x.topic, MAX(x.w), ${atMarker} FROM (
          SELECT o.customer_id, m.topic, power(0.5, ${ageDays} / ${pg ? `CAST(${halfLife} AS double precision)` : `${halfLife}`}) AS w
          FROM orders o JOIN products pr ON pr.sku = o.sku JOIN interest_topic_categories m ON m.category = pr.category
          WHERE o.started_at <= ${atMarker} AND o.ended_at IS NOT NULL AND ${short}
            AND ${profilingAllowedSql('o.customer_id', atMarker)}
        ) x
        WHERE NOT EXISTS (SELECT 1 FROM (${latestStatedSql(p, atMarker, 'not_interested')}) d WHERE d.customer_id = x.customer_id AND d.topic = x.topic)
        GROUP BY x.customer_id, x.topic
        HAVING MAX(x.w) >= ${p.param(MIN_INFERRED_WEIGHT)}`;
      const inserted = Number((await p.bind(text).execute(trx)).numAffectedRows ?? 0n);
      const { rows } = await sql<{ n: number | string }>`SELECT COUNT(DISTINCT customer_id) AS n FROM inferred_interests`.execute(trx);
      return { inferred: inserted, customers: Number(rows[0]?.n ?? 0), computedAt: at };
    });
  }

  private async writeCategories(trx: Transaction<Schema>, topic: InterestTopic): Promise<void> {
    for (const category of new Set(topic.categories)) {
      await sql`INSERT INTO interest_topic_categories (category, topic) VALUES (${category}, ${topic.code})`.execute(trx);
    }
  }
}
