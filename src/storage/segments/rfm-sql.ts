/**
 * The RFM condition of a segment rule in SQL (the reference reading is src/core/segments/rfm.ts):
 * one grouped pass over the orders of everyone who may be profiled, quintiles by window functions
 * (`RANK`, so ties share a quintile as in memory: the top of their run for recency, the bottom for
 * frequency and monetary value), filtered to the quintiles the rule lists. The
 * population is global, so an RFM segment is always recomputed whole.
 */
import { RFM_MEASURES, type RfmMeasure } from '../../core/segments/rfm.ts';
import type { RfmCondition } from '../../core/segments/rule.ts';
import { profilingAllowedSql } from '../profiling-gate.ts';
import type { SqlParams } from '../sql-text.ts';

export type Dialect = 'sqlite' | 'postgres';

/** Whole seconds since the epoch of a stored instant (text on SQLite, timestamptz on PostgreSQL). */
function epochSeconds(expr: string, dialect: Dialect): string {
  return dialect === 'postgres' ? `FLOOR(EXTRACT(EPOCH FROM ${expr}))::bigint` : `CAST(strftime('%s', ${expr}) AS INTEGER)`;
}

/**
 * The select of customer ids with their RFM quintiles (columns `customer_id`, `recency`,
 * `frequency`, `monetary`, each 1–5) as of the instant `atMarker` (a bound ISO-8601 value).
 */
export function rfmScoresSql(atMarker: string, dialect: Dialect): string {
  const at = dialect === 'postgres' ? `CAST(${atMarker} AS timestamptz)` : atMarker;
  // The end of what an order covered by the instant: the instant itself while it runs.
  const coveredUntil = `CASE WHEN o.ended_at IS NULL OR o.ended_at > ${at} THEN ${at} ELSE o.ended_at END`;
  // ceil(5k/n) in integers. Recency: k = how many have a measure at most this one = n - (rank
  // descending) + 1. Frequency and monetary: k = 1 + how many are below = rank ascending.
  const k = (m: RfmMeasure): string => (m === 'recency' ? `b.n - RANK() OVER (ORDER BY b.${m} DESC) + 1` : `RANK() OVER (ORDER BY b.${m} ASC)`);
  const quintile = (m: RfmMeasure): string => `(5 * (${k(m)}) + b.n - 1) / b.n AS ${m}`;
  return `SELECT b.customer_id, ${RFM_MEASURES.map(quintile).join(', ')}
    FROM (
      SELECT o.customer_id,
        MAX(${coveredUntil}) AS recency,
        COUNT(*) AS frequency,
        SUM(${epochSeconds(coveredUntil, dialect)} - ${epochSeconds('o.started_at', dialect)}) AS monetary,
        COUNT(*) OVER () AS n
      FROM orders o
      WHERE o.started_at <= ${at} AND ${profilingAllowedSql('o.customer_id', atMarker)}
      GROUP BY o.customer_id) b`;
}

/**
 * The condition on the customers row `c`: its quintiles are among those the rule lists. `scores`:
 * a table already holding `rfmScoresSql` as of the same instant (a refresh computes them once for
 * all its RFM segments); without it the scores are computed here.
 */
export function rfmConditionSql(condition: RfmCondition, p: SqlParams, atMarker: string, dialect: Dialect, scores?: string): string {
  const where = RFM_MEASURES.flatMap((m) => {
    const listed = condition[m];
    return listed === undefined ? [] : [`q.${m} IN (${listed.map((v) => p.param(v)).join(', ')})`];
  });
  return `c.id IN (SELECT q.customer_id FROM ${scores ?? `(${rfmScoresSql(atMarker, dialect)})`} q WHERE ${where.join(' AND ')})`;
}
