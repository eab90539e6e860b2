/**
 * A segment rule (src/core/segments/rule.ts) compiled to one SQL condition on the customers row
 * `c`, the same text on SQLite and PostgreSQL. Conditions on other tables are uncorrelated
 * `c.id IN (SELECT customer_id ...)` semi-joins, which both planners answer with one pass over the
 * table (a hash or an ephemeral index), never a query per customer. Every value is bound.
 *
 * `evaluate-rule.ts` is the reference reading; the property test holds the two equal.
 */
import type { Instant } from '../../core/records.ts';
import { windowStart } from '../../core/segments/evaluate-rule.ts';
import type { AttributeName, InterestCondition, SegmentRule, TimeWindow } from '../../core/segments/rule.ts';
import { latestStatedSql } from '../interests/interest-sql.ts';
import { profilingAllowedSql } from '../profiling-gate.ts';
import type { SqlParams } from '../sql-text.ts';
import { rfmConditionSql, type Dialect } from './rfm-sql.ts';

const ATTRIBUTE_COLUMNS: Record<AttributeName, string> = {
  kind: 'c.kind',
  locale: 'c.locale',
  country: 'c.country',
  city: 'c.city',
  postalCode: 'c.postal_code',
};

/**
 * The select of the segment's members as of `at`: customer ids where profiling is allowed and the
 * rule holds, optionally only among `among` (an SQL select of customer ids: the changed ones).
 * `now`, when `at` lies before it (a count as of an earlier time): profiling must be allowed then
 * and now too, since the count is computed now and an objector's data is not profiled (compliance.md
 * §2 rule 7), whenever the records it reads are from.
 */
export function segmentMembersSql(rule: SegmentRule, p: SqlParams, at: Instant, dialect: Dialect, among?: string, rfmScores?: string, now?: Instant): string {
  const atMarker = p.param(at);
  const nowGate = now === undefined || now === at ? '' : ` AND ${profilingAllowedSql('c.id', p.param(now))}`;
  return `SELECT c.id AS customer_id FROM customers c
    WHERE ${among === undefined ? '' : `c.id IN (${among}) AND `}${profilingAllowedSql('c.id', atMarker)}${nowGate}
      AND ${ruleSql(rule, p, { at, atMarker, dialect, among, rfmScores })}`;
}

/** Whether the rule has an `rfm` condition anywhere in it. */
export function usesRfm(rule: SegmentRule): boolean {
  if ('all' in rule) return rule.all.some(usesRfm);
  if ('any' in rule) return rule.any.some(usesRfm);
  if ('not' in rule) return usesRfm(rule.not);
  return 'rfm' in rule;
}

/** What a rule's SQL is about: the instant (and its bound marker), the dialect, and for an incremental refresh the changed customers. */
export interface RuleContext {
  at: Instant;
  atMarker: string;
  dialect: Dialect;
  among?: string | undefined;
  /**
   * A table holding everyone's RFM quintiles as of `at` (rfmScoresSql's columns), computed once for
   * a refresh of several RFM segments; without it each `rfm` condition computes them itself.
   */
  rfmScores?: string | undefined;
}

/**
 * The rule as a condition on `c`; `atMarker` is the bound instant. With `among` (the changed
 * customers of an incremental refresh) every semi-join reads only their rows, by the tables'
 * customer indexes, instead of the whole table: a refresh costs what changed, not the store's size.
 */
export function ruleSql(rule: SegmentRule, p: SqlParams, ctx: RuleContext): string {
  const { at, atMarker, among } = ctx;
  const only = (column: string): string[] => (among === undefined ? [] : [`${column} IN (${among})`]);
  if ('all' in rule) return `(${rule.all.map((r) => ruleSql(r, p, ctx)).join(' AND ')})`;
  if ('any' in rule) return `(${rule.any.map((r) => ruleSql(r, p, ctx)).join(' OR ')})`;
  if ('not' in rule) return `(NOT ${ruleSql(rule.not, p, ctx)})`;
  if ('rfm' in rule) return rfmConditionSql(rule.rfm, p, atMarker, ctx.dialect, ctx.rfmScores);
  if ('attribute' in rule) {
    const column = ATTRIBUTE_COLUMNS[rule.attribute];
    // COALESCE: a missing attribute is "does not hold", so NOT of it holds, as in memory (no NULL logic).
    if (rule.equals !== undefined) return `COALESCE(${column} = ${p.param(rule.equals)}, FALSE)`;
    if (rule.in !== undefined) return `COALESCE(${column} IN (${rule.in.map((v) => p.param(v)).join(', ')}), FALSE)`;
    // substr, not LIKE: no wildcard to escape, and case-sensitive on both stores.
    const prefix = rule.startsWith ?? '';
    return `COALESCE(substr(${column}, 1, ${[...prefix].length}) = ${p.param(prefix)}, FALSE)`;
  }
  if ('orders' in rule) {
    const c = rule.orders;
    const where = [...only('o.customer_id'), `o.started_at <= ${atMarker}`];
    if (c.sku !== undefined) where.push(`o.sku IN (${c.sku.map((v) => p.param(v)).join(', ')})`);
    if (c.category !== undefined) where.push(`o.sku IN (SELECT sku FROM products WHERE category IN (${c.category.map((v) => p.param(v)).join(', ')}))`);
    if (c.soldVia !== undefined) where.push(`o.sold_via IN (${c.soldVia.map((v) => p.param(v)).join(', ')})`);
    if (c.active === true) where.push(`(o.ended_at IS NULL OR o.ended_at > ${atMarker})`);
    if (c.active === false) where.push(`(o.ended_at IS NOT NULL AND o.ended_at <= ${atMarker})`);
    if (c.started !== undefined) where.push(...windowSql('o.started_at', c.started, p, at));
    if (c.ended !== undefined) where.push('o.ended_at IS NOT NULL', `o.ended_at <= ${atMarker}`, ...windowSql('o.ended_at', c.ended, p, at));
    return `c.id IN (SELECT o.customer_id FROM orders o WHERE ${where.join(' AND ')})`;
  }
  if ('consent' in rule) {
    const purpose = p.param(rule.consent.purpose);
    const channel = p.param(rule.consent.channel);
    // The latest consent record on the channel or on every channel is a grant (as decide reads it).
    return `c.id IN (SELECT l.customer_id FROM ledger l
      WHERE ${only('l.customer_id').map((c) => `${c} AND `).join('')}l.kind = 'consent' AND l.purpose = ${purpose} AND (l.channel = ${channel} OR l.channel IS NULL)
        AND l.at <= ${atMarker} AND l.value = 'granted'
        AND NOT EXISTS (SELECT 1 FROM ledger l2
          WHERE l2.customer_id = l.customer_id AND l2.kind = 'consent' AND l2.purpose = l.purpose
            AND (l2.channel = ${channel} OR l2.channel IS NULL) AND l2.at <= ${atMarker}
            AND (l2.at > l.at OR (l2.at = l.at AND l2.seq > l.seq))))`;
  }
  if ('score' in rule) {
    const s = rule.score;
    const where = [
      ...only('ps.customer_id'),
      `ps.model_id = ${p.param(s.model)}`,
      ...(s.atLeast === undefined ? [] : [`ps.score >= ${p.param(s.atLeast)}`]),
      ...(s.below === undefined ? [] : [`ps.score < ${p.param(s.below)}`]),
    ];
    return `c.id IN (SELECT ps.customer_id FROM prediction_scores ps WHERE ${where.join(' AND ')})`;
  }
  if ('interest' in rule) return interestSql(rule.interest, p, atMarker, among);
  if ('siteEvent' in rule) {
    const c = rule.siteEvent;
    const where = [
      ...only('se.customer_id'),
      'se.customer_id IS NOT NULL',
      `se.name = ${p.param(c.name)}`,
      `se.at >= ${p.param(windowStart(at, c.withinDays))}`,
      `se.at <= ${atMarker}`,
      // substr, not LIKE: no wildcard to escape in a path.
      ...(c.pagePrefix === undefined ? [] : [`substr(se.page, 1, ${[...c.pagePrefix].length}) = ${p.param(c.pagePrefix)}`]),
      ...(c.site === undefined ? [] : [`se.site = ${p.param(c.site)}`]),
    ];
    return `c.id IN (SELECT se.customer_id FROM site_events se WHERE ${where.join(' AND ')})`;
  }
  const e = rule.engagement;
  const where = [
    ...only('d.customer_id'),
    `t.kind = ${p.param(e.event)}`,
    't.machine = FALSE',
    `t.at >= ${p.param(windowStart(at, e.withinDays))}`,
    `t.at <= ${atMarker}`,
    ...(e.campaignId === undefined ? [] : [`t.campaign_id = ${p.param(e.campaignId)}`]),
  ];
  return `c.id IN (SELECT d.customer_id FROM tracking_events t JOIN deliveries d ON d.id = t.delivery_id WHERE ${where.join(' AND ')})`;
}

/** As evaluate-rule.ts reads it: uncorrelated semi-joins on the stated records and the inferred weights. */
function interestSql(c: InterestCondition, p: SqlParams, atMarker: string, among: string | undefined): string {
  const stated = `c.id IN (SELECT customer_id FROM (${latestStatedSql(p, atMarker, 'interested', { topic: c.topic, ...(among === undefined ? {} : { among }) })}) si)`;
  const where = [
    ...(among === undefined ? [] : [`ii.customer_id IN (${among})`]),
    `ii.topic = ${p.param(c.topic)}`,
    ...(c.minWeight === undefined ? [] : [`ii.weight >= ${p.param(c.minWeight)}`]),
  ];
  const declined = latestStatedSql(p, atMarker, 'not_interested', { topic: c.topic, ...(among === undefined ? {} : { among }) });
  const inferred = `(c.id IN (SELECT ii.customer_id FROM inferred_interests ii WHERE ${where.join(' AND ')})
      AND c.id NOT IN (SELECT customer_id FROM (${declined}) sd))`;
  if (c.source === 'stated') return stated;
  if (c.source === 'inferred') return inferred;
  return `(${stated} OR ${inferred})`;
}

function windowSql(column: string, w: TimeWindow, p: SqlParams, at: Instant): string[] {
  return [
    ...(w.before === undefined ? [] : [`${column} < ${p.param(w.before)}`]),
    ...(w.after === undefined ? [] : [`${column} >= ${p.param(w.after)}`]),
    ...(w.withinDays === undefined ? [] : [`${column} >= ${p.param(windowStart(at, w.withinDays))}`]),
  ];
}
