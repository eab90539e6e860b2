/**
 * SQL conditions on stated interests, the same text on SQLite and PostgreSQL, shared by the
 * interests' store (inference leaves out what a person declined) and the segment rule compiler.
 */
import type { InterestValue } from '../../core/interests/interests.ts';
import type { SqlParams } from '../sql-text.ts';

/**
 * The select of `customer_id, topic` whose latest stated record as of `atMarker` (a bound
 * instant) has `value`; optionally one topic only and only among `among` (a select of customer ids).
 * Latest: the greatest `at`, then the greatest `seq` (as the ledger orders records).
 */
export function latestStatedSql(p: SqlParams, atMarker: string, value: InterestValue, opts: { topic?: string; among?: string } = {}): string {
  const where = [
    ...(opts.among === undefined ? [] : [`s.customer_id IN (${opts.among})`]),
    ...(opts.topic === undefined ? [] : [`s.topic = ${p.param(opts.topic)}`]),
    `s.at <= ${atMarker}`,
    `s.value = ${p.param(value)}`,
  ];
  return `SELECT s.customer_id, s.topic FROM stated_interests s
    WHERE ${where.join(' AND ')}
      AND NOT EXISTS (SELECT 1 FROM stated_interests s2
        WHERE s2.customer_id = s.customer_id AND s2.topic = s.topic AND s2.at <= ${atMarker}
          AND (s2.at > s.at OR (s2.at = s.at AND s2.seq > s.seq)))`;
}
