/**
 * Audience facts on SQLite. Most customers come from their summaries (audience-summaries.ts); the
 * rest (dirty, or with records newer than the question) and the paged stream are read from the
 * records by correlated subqueries over covering indexes (SQLite has no hash join); suppressions
 * are looked up only for addresses that have any, and orders only when soft opt-in can apply.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { EligibilityFacts } from '../core/eligibility-facts.ts';
import type { LaunchNarrowing, LaunchTarget } from '../core/campaign.ts';
import type { AudienceQuery, AudienceStore, FactGroup } from '../core/ports.ts';
import type { CustomerId } from '../core/records.ts';
import { addressColumn, factCodeSql, filterConditions, needsOrderFacts, needsSimilarOrderFacts, unpackFactCode, unpackFacts, type PackedFacts } from './audience-facts.ts';
import {
  categoryBitsSql,
  groupsByCodeSql,
  needsRecordsSql,
  recordPathIdsSql,
  refreshStatements,
  summaryCodeSql,
  suppressionBitsAggregateSql,
  suppressionBitsSubquery,
  type SummaryDialect,
} from './audience-summaries.ts';
import { duplicateAddressSql, NARROWING_TABLE, narrowingUpdateSql } from './launch-narrowing.ts';

type Params = Record<string, string | number>;

const SQLITE_SUMMARIES: SummaryDialect = {
  bit: (n) => `(1 << ${n})`,
  // The values of a group are distinct single bits (or 0): their sum is their OR.
  orAll: (expr) => `SUM(${expr})`,
  farFuture: `'9999-12-31T23:59:59.999Z'`,
  notDirty: (id) => `${id} NOT IN (SELECT customer_id FROM audience_dirty)`,
};

/** The named parameters every audience select of this store binds. */
const SQLITE_PARAMS = { at: '@at', channel: '@channel', phoneRobinsonSince: '@phone_robinson_since' };

/** Customers per refresh transaction: bounds how long a refresh holds the write lock. */
const REFRESH_CHUNK = 50_000;

export class SqliteAudienceStore implements AudienceStore {
  constructor(private readonly sqlite: BetterSqlite3.Database) {}

  async factGroups(query: AudienceQuery): Promise<FactGroup[]> {
    const { parts, params } = codesSelect(query, this.similarSkus(query));
    const rows = this.sqlite.prepare(groupsByCodeSql(parts)).all(params) as { code: number; customers: number }[];
    return rows.map((r) => ({ facts: unpackFactCode(r.code, query), customers: r.customers }));
  }

  async materialise(query: AudienceQuery, target: LaunchTarget): Promise<number> {
    const { parts, params } = codesSelect(query, this.similarSkus(query));
    const sql = parts.map((part) => `SELECT id, code FROM (${part})`).join(' UNION ALL ');
    // One write transaction: no ledger change can slip in between the two passes over the audience.
    const launch = this.sqlite.transaction((): number => {
      const groups = this.sqlite.prepare(groupsByCodeSql(parts)).all(params) as { code: number; customers: number }[];
      this.sqlite.exec('CREATE TEMP TABLE IF NOT EXISTS launch_verdicts (code INTEGER PRIMARY KEY, state TEXT NOT NULL, basis TEXT, reasons TEXT NOT NULL)');
      this.sqlite.exec('DELETE FROM launch_verdicts');
      const insertVerdict = this.sqlite.prepare('INSERT INTO launch_verdicts (code, state, basis, reasons) VALUES (?, ?, ?, ?)');
      for (const group of groups) {
        const verdict = target.verdictOf(unpackFactCode(group.code, query));
        insertVerdict.run(group.code, verdict.state, verdict.basis, verdict.reasons.join(','));
      }
      const written = this.sqlite
        .prepare(
          `INSERT INTO deliveries (campaign_id, customer_id, state, basis, reasons, created_at)
           SELECT @campaign_id, f.id, v.state, v.basis, v.reasons, @created_at
           FROM (${sql}) f JOIN launch_verdicts v ON v.code = f.code`,
        )
        .run({ ...params, campaign_id: target.campaignId, created_at: target.createdAt }).changes;
      const expected = groups.reduce((n, g) => n + g.customers, 0);
      if (written !== expected) throw new Error(`launch wrote ${written} deliveries for ${expected} customers`);
      for (const narrowing of target.further ?? []) this.narrow(narrowing, target.campaignId);
      const duplicates = target.onePerAddress === true ? duplicateAddressSql(query.channel, '@campaign_id') : null;
      if (duplicates !== null) this.sqlite.prepare(duplicates).run({ campaign_id: target.campaignId });
      return written;
    });
    return launch.immediate();
  }

  /** A further purpose's verdicts joined into the campaign's deliveries (launch-narrowing.ts); inside the launch's transaction. */
  private narrow(narrowing: LaunchNarrowing, campaignId: number): void {
    const { parts, params } = codesSelect(narrowing.query, this.similarSkus(narrowing.query));
    const groups = this.sqlite.prepare(groupsByCodeSql(parts)).all(params) as { code: number }[];
    this.sqlite.exec(`CREATE TEMP TABLE IF NOT EXISTS ${NARROWING_TABLE} (code INTEGER PRIMARY KEY, state TEXT NOT NULL, reasons TEXT NOT NULL)`);
    this.sqlite.exec(`DELETE FROM ${NARROWING_TABLE}`);
    const insert = this.sqlite.prepare(`INSERT INTO ${NARROWING_TABLE} (code, state, reasons) VALUES (?, ?, ?)`);
    for (const group of groups) {
      const verdict = narrowing.verdictOf(unpackFactCode(group.code, narrowing.query));
      insert.run(group.code, verdict.state, verdict.reasons.join(','));
    }
    const codes = parts.map((part) => `SELECT id, code FROM (${part})`).join(' UNION ALL ');
    this.sqlite.prepare(narrowingUpdateSql(codes, '@campaign_id')).run({ ...params, campaign_id: campaignId });
  }

  /** One refresh at a time on this connection: they share its temporary tables. */
  private refreshing: Promise<number> = Promise.resolve(0);

  refreshSummaries(): Promise<number> {
    this.refreshing = this.refreshing.catch(() => 0).then(() => this.refreshOnce());
    return this.refreshing;
  }

  private async refreshOnce(): Promise<number> {
    // The marks up to now are what this refresh covers; marks made while it runs stay for the next.
    const upTo = this.sqlite.prepare('SELECT MAX(seq) FROM audience_dirty').pluck().get() as number | null;
    if (upTo === null) return 0;
    this.sqlite.exec('CREATE TEMP TABLE IF NOT EXISTS summary_pending (n INTEGER PRIMARY KEY, customer_id TEXT NOT NULL)');
    this.sqlite.exec('CREATE TEMP TABLE IF NOT EXISTS summary_refresh (customer_id TEXT PRIMARY KEY)');
    this.sqlite.exec('DELETE FROM summary_pending');
    const pending = this.sqlite.prepare('INSERT INTO summary_pending (customer_id) SELECT DISTINCT customer_id FROM audience_dirty WHERE seq <= ?').run(upTo).changes;
    const categories = this.sqlite.prepare('SELECT DISTINCT category FROM products').pluck().all() as string[];
    const statements = refreshStatements(SQLITE_SUMMARIES, categories).map((text) => this.sqlite.prepare(text));
    const choose = this.sqlite.prepare('INSERT INTO summary_refresh SELECT customer_id FROM summary_pending WHERE n > ? AND n <= ?');
    const refreshChunk = this.sqlite.transaction((after: number): void => {
      this.sqlite.exec('DELETE FROM summary_refresh');
      choose.run(after, after + REFRESH_CHUNK);
      for (const statement of statements) statement.run();
    });
    for (let after = 0; after < pending; after += REFRESH_CHUNK) {
      refreshChunk.immediate(after);
      // Let other work (requests, timers) run between chunks.
      await new Promise((resolve) => setImmediate(resolve));
    }
    // Should the process stop before this, the marks stay and the next refresh redoes the work.
    this.sqlite.prepare('DELETE FROM audience_dirty WHERE seq <= ?').run(upTo);
    return pending;
  }

  async *streamFacts(query: AudienceQuery, pageSize = 5000, startAfter = ''): AsyncIterable<{ customerId: CustomerId; facts: EligibilityFacts }> {
    const skus = this.similarSkus(query);
    let after = startAfter;
    for (;;) {
      const { sql, params } = factsSelect(query, skus, { after, limit: pageSize });
      const rows = this.sqlite.prepare(sql).all(params) as (PackedFacts & { id: string })[];
      for (const row of rows) yield { customerId: row.id as CustomerId, facts: unpackFacts(row, query) };
      const last = rows.at(-1);
      if (last === undefined || rows.length < pageSize) return;
      after = last.id;
    }
  }

  /** The marketed product's category as a list of skus: an IN list the orders index can seek on. */
  private similarSkus(query: AudienceQuery): string[] {
    if (query.productCategory === null) return [];
    return this.sqlite.prepare('SELECT sku FROM products WHERE category = ?').pluck().all(query.productCategory) as string[];
  }
}

/**
 * Every audience customer with its fact code: from the summaries where they can answer, from the
 * records for the rest (docs/decisions/0003). A re-check of named customers reads records only.
 */
function codesSelect(query: AudienceQuery, similarSkus: string[]): { parts: string[]; params: Params } {
  if (query.filter.customerIds !== undefined) {
    const { sql, params } = factsSelect(query, similarSkus);
    return { parts: [`SELECT f.id AS id, ${factCodeSql()} AS code FROM (${sql} LIMIT -1) f`], params };
  }
  const { sql, params, param } = factsSelect(query, similarSkus, undefined, [`c.id IN (${recordPathIdsSql(query, '@at')})`]);
  const filter = filterConditions(query, param);
  const categoryFacts = `(SELECT ${categoryBitsSql('@window_start')} FROM audience_category_orders a
    WHERE a.customer_id = s.customer_id AND a.category = ${param(query.productCategory ?? '')})`;
  const suppression = suppressionBitsSubquery(query, SQLITE_PARAMS);
  const fromSummaries = `
    SELECT s.customer_id AS id, ${summaryCodeSql(query, '@at', { category: categoryFacts, suppression })} AS code
    FROM audience_summaries s ${filter.length > 0 ? 'JOIN customers c ON c.id = s.customer_id' : ''}
    WHERE NOT ${needsRecordsSql(query, '@at')} AND ${SQLITE_SUMMARIES.notDirty('s.customer_id')}
    ${filter.map((f) => `AND ${f}`).join(' ')}
    LIMIT -1`;
  return { parts: [`SELECT f.id AS id, ${factCodeSql()} AS code FROM (${sql} LIMIT -1) f`, fromSummaries], params };
}

function factsSelect(
  query: AudienceQuery,
  similarSkus: string[],
  page?: { after: string; limit: number },
  extraConditions: string[] = [],
): { sql: string; params: Params; param: (value: string) => string } {
  const params: Params = {
    at: query.at,
    purpose: query.purpose,
    channel: query.channel,
    window_start: query.softOptInWindowStart,
    phone_robinson_since: query.phoneRobinsonSince,
  };
  let n = 0;
  const param = (value: string): string => {
    const name = `p${n++}`;
    params[name] = value;
    return `@${name}`;
  };
  const where = [...filterConditions(query, param), ...extraConditions];
  if (page !== undefined) {
    where.push('c.id > @after');
    params.after = page.after;
    params.limit = page.limit;
  }
  const address = addressColumn(query.channel);
  // The inner query runs as a co-routine (LIMIT -1 stops flattening), so the outer one can look
  // at orders only for the customers whose answer depends on them: persons without a consent record.
  const inner = `
    SELECT c.id AS id, c.kind AS kind,
      ${address === null ? 0 : `${address} IS NOT NULL`} AS has_address,
      ${address === null ? 'NULL' : suppressionBits(address)} AS supp,
      ${latestLedger('objection', `'direct_marketing'`, '')} AS objection,
      ${latestLedger('objection', `'profiling'`, '')} AS profiling_objection,
      ${latestLedger('consent', '@purpose', ' AND (l.channel = @channel OR l.channel IS NULL)')} AS consent
    FROM customers c
    ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
    ${page === undefined ? 'LIMIT -1' : 'ORDER BY c.id LIMIT @limit'}`;
  const orders = needsOrderFacts(query)
    ? `CASE WHEN ${needsSimilarOrderFacts(query) ? "c.kind = 'person' AND " : ''}c.consent IS NULL THEN ${orderBits(similarSkus.map(param))} END`
    : 'NULL';
  const sql = `SELECT c.*, ${orders} AS orders FROM (${inner}) c`;
  return { sql, params, param };
}

function latestLedger(kind: string, topic: string, channelCondition: string): string {
  return `(SELECT l.value FROM ledger l WHERE l.customer_id = c.id AND l.kind = '${kind}' AND l.purpose = ${topic}${channelCondition}
    AND l.at <= @at ORDER BY l.at DESC, l.seq DESC LIMIT 1)`;
}

/** Packed suppression bits (see audience-facts.ts), looked up only for suppressed addresses. */
function suppressionBits(address: string): string {
  return `CASE WHEN ${address} IN (SELECT address FROM suppressions WHERE channel = @channel) THEN
    (SELECT ${suppressionBitsAggregateSql(SQLITE_PARAMS, 's')}
     FROM suppressions s WHERE s.channel = @channel AND s.address = ${address} AND s.at <= @at) END`;
}

/**
 * Packed order bits. The similar orders are found by an index seek on (customer, sku in the
 * category); only a customer without any similar order is checked for an order of any kind.
 */
function orderBits(skuParams: string[]): string {
  const live = '(o.ended_at IS NULL OR o.ended_at >= @window_start)';
  const skus = skuParams.length === 0 ? 'NULL' : skuParams.join(', ');
  return `COALESCE(
      (SELECT 3 + 4 * MAX(o.opt_out_offered) + 8 * MAX(${live}) + 16 * MAX(${live} AND o.opt_out_offered)
       FROM orders o WHERE o.customer_id = c.id AND o.sku IN (${skus}) AND o.started_at <= @at),
      (SELECT 1 FROM orders o WHERE o.customer_id = c.id AND o.started_at <= @at LIMIT 1))`;
}
