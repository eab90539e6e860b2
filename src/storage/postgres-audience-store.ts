/**
 * Audience facts on PostgreSQL: the latest ledger records, order flags and suppression flags are
 * each computed once over their table and hash-joined to the customers, then grouped by the packed facts.
 */
import type pg from 'pg';
import type { EligibilityFacts } from '../core/eligibility-facts.ts';
import type { LaunchNarrowing, LaunchTarget } from '../core/campaign.ts';
import type { AudienceQuery, AudienceStore, FactGroup } from '../core/ports.ts';
import type { CustomerId } from '../core/records.ts';
import { addressColumn, factCodeSql, filterConditions, needsSimilarOrderFacts, unpackFactCode, unpackFacts, type PackedFacts } from './audience-facts.ts';
import {
  categoryBitsSql,
  groupsByCodeSql,
  needsRecordsSql,
  recordPathIdsSql,
  refreshStatements,
  summaryCodeSql,
  suppressedOnChannelSql,
  suppressionBitsAggregateSql,
  type SummaryDialect,
} from './audience-summaries.ts';
import { duplicateAddressSql, NARROWING_TABLE, narrowingUpdateSql } from './launch-narrowing.ts';

const POSTGRES_SUMMARIES: SummaryDialect = {
  bit: (n) => `(1::bigint << ${n})`,
  orAll: (expr) => `bit_or(${expr})`,
  farFuture: `'infinity'::timestamptz`,
  notDirty: (id) => `NOT EXISTS (SELECT 1 FROM audience_dirty d WHERE d.customer_id = ${id})`,
};

/**
 * The planner cannot estimate how few distinct fact codes there are (a hundred or so): with the
 * default work_mem it sorts the million rows on disk to group them (measured 0.95 s against 0.83 s).
 */
const AGGREGATE_MEMORY = "SET LOCAL work_mem = '64MB'";

/** Customers per refresh transaction. */
const REFRESH_CHUNK = 100_000;
/** Refreshes of at least this many customers tidy up after themselves. */
const VACUUM_AFTER = 50_000;
/** Serialises refreshes of one schema across processes (the schema's name is appended). */
const REFRESH_LOCK = 'lupa-audience-summaries:';

export class PostgresAudienceStore implements AudienceStore {
  constructor(private readonly pool: pg.Pool) {}

  async factGroups(query: AudienceQuery): Promise<FactGroup[]> {
    const { parts, values } = codesSelect(query);
    return this.withClient((client) =>
      transaction(client, 'BEGIN READ ONLY', async () => {
        await client.query(AGGREGATE_MEMORY);
        return (await countsByCode(client, parts, values)).map((g) => ({ facts: unpackFactCode(g.code, query), customers: g.customers }));
      }),
    );
  }

  async materialise(query: AudienceQuery, target: LaunchTarget): Promise<number> {
    const { parts, values } = codesSelect(query);
    const text = parts.join(' UNION ALL ');
    // Both passes see one snapshot, so every customer grouped is also inserted.
    return this.withClient((client) =>
      transaction(client, 'BEGIN ISOLATION LEVEL REPEATABLE READ', async () => {
        await client.query(AGGREGATE_MEMORY);
        const groups = await countsByCode(client, parts, values);
        await client.query('CREATE TEMP TABLE launch_verdicts (code INTEGER PRIMARY KEY, state TEXT NOT NULL, basis TEXT, reasons TEXT NOT NULL) ON COMMIT DROP');
        const verdicts = groups.map((g) => ({ code: g.code, ...target.verdictOf(unpackFactCode(g.code, query)) }));
        await client.query('INSERT INTO launch_verdicts SELECT * FROM unnest($1::int[], $2::text[], $3::text[], $4::text[])', [
          verdicts.map((v) => v.code),
          verdicts.map((v) => v.state),
          verdicts.map((v) => v.basis),
          verdicts.map((v) => v.reasons.join(',')),
        ]);
        const n = values.length;
        const written = await client.query(
          `INSERT INTO deliveries (campaign_id, customer_id, state, basis, reasons, created_at)
           SELECT $${n + 1}, f.id, v.state, v.basis, v.reasons, $${n + 2}
           FROM (${text}) f JOIN launch_verdicts v ON v.code = f.code`,
          [...values, target.campaignId, target.createdAt],
        );
        const expected = groups.reduce((sum, g) => sum + g.customers, 0);
        if (written.rowCount !== expected) throw new Error(`launch wrote ${written.rowCount} deliveries for ${expected} customers`);
        for (const narrowing of target.further ?? []) await narrow(client, narrowing, target.campaignId);
        const duplicates = target.onePerAddress === true ? duplicateAddressSql(query.channel, '$1') : null;
        if (duplicates !== null) await client.query(duplicates, [target.campaignId]);
        return expected;
      }),
    );
  }

  async refreshSummaries(): Promise<number> {
    return this.withClient(async (client) => {
      // Taken before any transaction starts, so the snapshot a refresh reads is never older than
      // the previous refresh's commit.
      await client.query(`SELECT pg_advisory_lock(hashtext($1 || current_schema()))`, [REFRESH_LOCK]);
      try {
        const categories = (await client.query<{ category: string }>('SELECT DISTINCT category FROM products')).rows.map((r) => r.category);
        const statements = refreshStatements(POSTGRES_SUMMARIES, categories);
        let refreshed = 0;
        // Repeatable read: the dirty rows removed at the end are exactly those this snapshot saw;
        // a change committed meanwhile keeps its row and is refreshed next time.
        const refreshChunk = (): Promise<number> =>
          transaction(client, 'BEGIN ISOLATION LEVEL REPEATABLE READ', async () => {
            await client.query('CREATE TEMP TABLE summary_refresh (customer_id TEXT PRIMARY KEY) ON COMMIT DROP');
            const chosen = (await client.query('INSERT INTO summary_refresh SELECT DISTINCT customer_id FROM audience_dirty ORDER BY customer_id LIMIT $1', [REFRESH_CHUNK])).rowCount ?? 0;
            if (chosen === 0) return 0;
            // A fresh temp table has no statistics; without them the planner nests loops over 100,000 ids.
            await client.query('ANALYZE summary_refresh');
            for (const statement of statements) await client.query(statement);
            await client.query('DELETE FROM audience_dirty WHERE customer_id IN (SELECT customer_id FROM summary_refresh)');
            return chosen;
          });
        for (let chosen = await refreshChunk(); chosen > 0; chosen = await refreshChunk()) refreshed += chosen;
        // A large refresh rewrites most summary rows: without fresh statistics and with the dead rows
        // still in place, the next audience plans badly (measured 2.3 s instead of 1.0 s).
        if (refreshed >= VACUUM_AFTER) await client.query('VACUUM (ANALYZE) audience_summaries, audience_category_orders, audience_dirty');
        return refreshed;
      } finally {
        await client.query(`SELECT pg_advisory_unlock(hashtext($1 || current_schema()))`, [REFRESH_LOCK]).catch(() => undefined);
      }
    });
  }

  private async withClient<T>(body: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      return await body(client);
    } finally {
      client.release();
    }
  }

  async *streamFacts(query: AudienceQuery, pageSize = 5000, startAfter = ''): AsyncIterable<{ customerId: CustomerId; facts: EligibilityFacts }> {
    let after = startAfter;
    for (;;) {
      const { text, values } = factsSelect(query, { after, limit: pageSize });
      const rows = (await this.pool.query<PackedFacts & { id: string }>(text, values)).rows;
      for (const row of rows) yield { customerId: row.id as CustomerId, facts: unpackFacts(row, query) };
      const last = rows.at(-1);
      if (last === undefined || rows.length < pageSize) return;
      after = last.id;
    }
  }
}

/** Runs `body` in one transaction opened by `begin`: committed when it returns, rolled back when it throws. */
async function transaction<T>(client: pg.PoolClient, begin: string, body: () => Promise<T>): Promise<T> {
  await client.query(begin);
  try {
    const result = await body();
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK');
    throw err;
  }
}

/** A further purpose's verdicts joined into the campaign's deliveries (launch-narrowing.ts); inside the launch's transaction. */
async function narrow(client: pg.PoolClient, narrowing: LaunchNarrowing, campaignId: number): Promise<void> {
  const { parts, values } = codesSelect(narrowing.query);
  const groups = await countsByCode(client, parts, values);
  await client.query(`CREATE TEMP TABLE IF NOT EXISTS ${NARROWING_TABLE} (code INTEGER PRIMARY KEY, state TEXT NOT NULL, reasons TEXT NOT NULL) ON COMMIT DROP`);
  await client.query(`DELETE FROM ${NARROWING_TABLE}`);
  const verdicts = groups.map((g) => ({ code: g.code, ...narrowing.verdictOf(unpackFactCode(g.code, narrowing.query)) }));
  await client.query(`INSERT INTO ${NARROWING_TABLE} SELECT * FROM unnest($1::int[], $2::text[], $3::text[])`, [
    verdicts.map((v) => v.code),
    verdicts.map((v) => v.state),
    verdicts.map((v) => v.reasons.join(',')),
  ]);
  await client.query(narrowingUpdateSql(parts.join(' UNION ALL '), `$${values.length + 1}`), [...values, campaignId]);
}

/** Customers per fact code (PostgreSQL returns the sums as text). */
async function countsByCode(client: pg.PoolClient, parts: string[], values: unknown[]): Promise<{ code: number; customers: number }[]> {
  const rows = (await client.query<{ code: number; customers: string }>(groupsByCodeSql(parts), values)).rows;
  return rows.map((r) => ({ code: r.code, customers: Number(r.customers) }));
}

/**
 * Every audience customer with its fact code: from the summaries where they can answer, from the
 * records for the rest (docs/decisions/0003). A re-check of named customers reads records only.
 */
function codesSelect(query: AudienceQuery): { parts: string[]; values: unknown[] } {
  if (query.filter.customerIds !== undefined) {
    const { text, values } = factsSelect(query);
    return { parts: [`SELECT f.id, ${factCodeSql()} AS code FROM (${text}) f`], values };
  }
  const { text, values, param, at, channel, phoneRobinsonSince, windowStart, category } = factsSelect(query, undefined, (at) => [`c.id IN (${recordPathIdsSql(query, at)})`]);
  const filter = filterConditions(query, param);
  const categoryJoin = needsSimilarOrderFacts(query) ? `LEFT JOIN audience_category_orders a ON a.customer_id = s.customer_id AND a.category = ${category}` : '';
  const categoryFacts = needsSimilarOrderFacts(query) ? `(CASE WHEN a.customer_id IS NOT NULL THEN ${categoryBitsSql(windowStart)} END)` : 'NULL';
  const fromSummaries = (suppression: string, join: string, condition: string): string => `
    SELECT s.customer_id AS id, (${summaryCodeSql(query, at, { category: categoryFacts, suppression })})::int AS code
    FROM audience_summaries s ${categoryJoin} ${join} ${filter.length > 0 ? 'JOIN customers c ON c.id = s.customer_id' : ''}
    WHERE NOT ${needsRecordsSql(query, at)} AND ${POSTGRES_SUMMARIES.notDirty('s.customer_id')} AND ${condition}
    ${filter.map((f) => `AND ${f}`).join(' ')}`;
  const suppressed = suppressedOnChannelSql(query);
  const address = addressColumn(query.channel);
  // The few customers with a suppressed address are read apart, with index lookups of their
  // entries, so that the rest is a plain parallel scan (a correlated lookup there doubled the time).
  const summaryParts =
    suppressed === null || address === null
      ? [fromSummaries('0', '', 'TRUE')]
      : [
          fromSummaries('0', '', `NOT ${suppressed}`),
          fromSummaries(
            'sp.bits',
            // From the few summaries to their customers' addresses to those addresses' entries: index lookups.
            `JOIN customers sc ON sc.id = s.customer_id
            LEFT JOIN LATERAL (SELECT ${suppressionBitsAggregateSql({ at, channel, phoneRobinsonSince })} AS bits
              FROM suppressions x WHERE x.channel = ${channel} AND x.at <= ${at} AND x.address = sc.${address.slice(2)}) sp ON TRUE`,
            suppressed,
          ),
        ];
  return { parts: [`SELECT f.id, ${factCodeSql()} AS code FROM (${text}) f`, ...summaryParts], values };
}

interface FactsSelect {
  text: string;
  values: unknown[];
  param: (value: unknown) => string;
  at: string;
  channel: string;
  phoneRobinsonSince: string;
  windowStart: string;
  category: string;
}

function factsSelect(query: AudienceQuery, page?: { after: string; limit: number }, extraConditions?: (at: string) => string[]): FactsSelect {
  const values: unknown[] = [];
  const param = (value: unknown): string => {
    values.push(value);
    return `$${values.length}`;
  };
  const at = param(query.at);
  const purpose = param(query.purpose);
  const channel = param(query.channel);
  const windowStart = param(query.softOptInWindowStart);
  const category = param(query.productCategory ?? '');
  const phoneRobinsonSince = param(query.phoneRobinsonSince);
  const where = [...filterConditions(query, param), ...(extraConditions?.(at) ?? [])];
  // Page-wise streaming and the record path narrow the customers first, so the joined sets shrink with them.
  const narrowed = page !== undefined || extraConditions !== undefined;
  if (page !== undefined) where.push(`c.id > ${param(page.after)}`);
  const customerWhere = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
  const address = addressColumn(query.channel);
  const similar = `o.sku IN (SELECT sku FROM products WHERE category = ${category})`;
  const live = `(o.ended_at IS NULL OR o.ended_at >= ${windowStart})`;
  const flag = (cond: string): string => `MAX(CASE WHEN ${cond} THEN 1 ELSE 0 END)`;
  const text = `
    WITH aud AS (
      SELECT c.id, c.kind, ${address ?? 'NULL::text'} AS address FROM customers c ${customerWhere}
      ${page === undefined ? '' : `ORDER BY c.id LIMIT ${param(page.limit)}`}
    ),
    consent AS (
      SELECT DISTINCT ON (l.customer_id) l.customer_id, l.value FROM ledger l
      WHERE l.kind = 'consent' AND l.purpose = ${purpose} AND (l.channel = ${channel} OR l.channel IS NULL) AND l.at <= ${at}
      ${narrowed ? 'AND l.customer_id IN (SELECT id FROM aud)' : ''}
      ORDER BY l.customer_id, l.at DESC, l.seq DESC
    ),
    objection AS (
      SELECT DISTINCT ON (l.customer_id, l.purpose) l.customer_id, l.purpose, l.value FROM ledger l
      WHERE l.kind = 'objection' AND l.at <= ${at}
      ORDER BY l.customer_id, l.purpose, l.at DESC, l.seq DESC
    ),
    ord AS (
      SELECT o.customer_id,
        1 + 2 * ${flag(similar)} + 4 * ${flag(`${similar} AND o.opt_out_offered`)}
          + 8 * ${flag(`${similar} AND ${live}`)} + 16 * ${flag(`${similar} AND ${live} AND o.opt_out_offered`)} AS bits
      FROM orders o WHERE o.started_at <= ${at}
      ${narrowed ? 'AND o.customer_id IN (SELECT id FROM aud)' : ''}
      GROUP BY o.customer_id
    ),
    supp AS (
      SELECT s.address, ${suppressionBitsAggregateSql({ at, channel, phoneRobinsonSince }, 's')} AS bits
      FROM suppressions s WHERE s.channel = ${channel} AND s.at <= ${at} GROUP BY s.address
    )
    SELECT a.id, a.kind, a.address IS NOT NULL AS has_address, supp.bits AS supp,
      dm.value AS objection, pr.value AS profiling_objection, consent.value AS consent, ord.bits AS orders
    FROM aud a
    LEFT JOIN supp ON supp.address = a.address
    LEFT JOIN objection dm ON dm.customer_id = a.id AND dm.purpose = 'direct_marketing'
    LEFT JOIN objection pr ON pr.customer_id = a.id AND pr.purpose = 'profiling'
    LEFT JOIN consent ON consent.customer_id = a.id
    LEFT JOIN ord ON ord.customer_id = a.id
    ${page === undefined ? '' : 'ORDER BY a.id'}`;
  return { text, values, param, at, channel, phoneRobinsonSince, windowStart, category };
}
