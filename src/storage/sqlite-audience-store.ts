/**
 * Audience facts on SQLite: one statement over all customers. SQLite has no hash join, so each
 * customer's ledger, orders and suppressions are reached through covering indexes by correlated
 * subqueries, and the rows are grouped by their packed facts.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { AudienceQuery, AudienceStore, FactGroup } from '../core/ports.ts';
import type { CustomerId } from '../core/records.ts';
import { addressColumn, filterConditions, unpackFacts, type PackedFacts } from './audience-facts.ts';

/** Same rule as `robinsonValid` in the core: an end date, or a phone entry's default lifetime. */
const ROBINSON_VALID = `(CASE WHEN s.valid_until IS NOT NULL THEN s.valid_until > @at
  ELSE s.channel <> 'phone' OR s.at > @phone_robinson_since END)`;

const FACT_COLUMNS = ['kind', 'has_address', 'supp', 'objection', 'profiling_objection', 'consent', 'orders'] as const;

export class SqliteAudienceStore implements AudienceStore {
  constructor(private readonly sqlite: BetterSqlite3.Database) {}

  async factGroups(query: AudienceQuery): Promise<FactGroup[]> {
    const { sql, params } = factsSelect(query);
    const cols = FACT_COLUMNS.join(', ');
    const rows = this.sqlite
      .prepare(`SELECT ${cols}, COUNT(*) AS customers FROM (${sql}) GROUP BY ${cols}`)
      .all(params) as (PackedFacts & { customers: number })[];
    return rows.map((r) => ({ facts: unpackFacts(r, query), customers: r.customers }));
  }

  async *streamFacts(query: AudienceQuery, pageSize = 5000): AsyncIterable<{ customerId: CustomerId; facts: ReturnType<typeof unpackFacts> }> {
    let after = '';
    for (;;) {
      const { sql, params } = factsSelect(query, { after, limit: pageSize });
      const rows = this.sqlite.prepare(sql).all(params) as (PackedFacts & { id: string })[];
      for (const row of rows) yield { customerId: row.id as CustomerId, facts: unpackFacts(row, query) };
      const last = rows.at(-1);
      if (last === undefined || rows.length < pageSize) return;
      after = last.id;
    }
  }
}

function factsSelect(query: AudienceQuery, page?: { after: string; limit: number }): { sql: string; params: Record<string, string | number> } {
  const params: Record<string, string | number> = {
    at: query.at,
    purpose: query.purpose,
    channel: query.channel,
    window_start: query.softOptInWindowStart,
    category: query.productCategory ?? '',
    phone_robinson_since: query.phoneRobinsonSince,
  };
  let n = 0;
  const param = (value: string): string => {
    const name = `f${n++}`;
    params[name] = value;
    return `@${name}`;
  };
  const where = filterConditions(query, param);
  if (page !== undefined) {
    where.push('c.id > @after');
    params.after = page.after;
  }
  const address = addressColumn(query.channel);
  const similar = `o.sku IN (SELECT sku FROM products WHERE category = @category)`;
  const live = `(o.ended_at IS NULL OR o.ended_at >= @window_start)`;
  const latestLedger = (kind: string, topic: string, channelCond: string): string =>
    `(SELECT l.value FROM ledger l WHERE l.customer_id = c.id AND l.kind = '${kind}' AND l.purpose = ${topic}${channelCond}
       AND l.at <= @at ORDER BY l.at DESC, l.seq DESC LIMIT 1)`;
  const sql = `
    SELECT c.id AS id, c.kind AS kind,
      ${address === null ? 0 : `${address} IS NOT NULL`} AS has_address,
      ${
        address === null
          ? 'NULL'
          : `(SELECT MAX(s.reason = 'hard_bounce') + 2 * MAX(s.reason IN ('complaint', 'unsubscribe'))
                   + 4 * MAX(s.reason = 'robinson' AND ${ROBINSON_VALID})
              FROM suppressions s WHERE s.channel = @channel AND s.address = ${address} AND s.at <= @at)`
      } AS supp,
      ${latestLedger('objection', `'direct_marketing'`, '')} AS objection,
      ${latestLedger('objection', `'profiling'`, '')} AS profiling_objection,
      ${latestLedger('consent', '@purpose', ' AND (l.channel = @channel OR l.channel IS NULL)')} AS consent,
      (SELECT 1 + 2 * MAX(${similar}) + 4 * MAX(${similar} AND o.opt_out_offered)
              + 8 * MAX(${similar} AND ${live}) + 16 * MAX(${similar} AND ${live} AND o.opt_out_offered)
         FROM orders o WHERE o.customer_id = c.id AND o.started_at <= @at) AS orders
    FROM customers c
    ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
    ${page === undefined ? '' : 'ORDER BY c.id LIMIT @limit'}`;
  if (page !== undefined) params.limit = page.limit;
  return { sql, params };
}
