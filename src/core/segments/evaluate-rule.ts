/**
 * A segment rule evaluated for one customer in memory, from the customer's records. The SQL of
 * src/storage/segments/segment-sql.ts must give the same answer for every customer (the property
 * test holds them equal on both stores); this is the reference reading of the rule language.
 */
import type { Instant } from '../records.ts';
import type { AttributeName, InterestCondition, SegmentRule, TimeWindow } from './rule.ts';
import { PROFILING_STOPPING_SCOPES } from './profiling-scopes.ts';
import { RFM_MEASURES, type RfmScores } from './rfm.ts';

const DAY_MS = 86_400_000;

export interface SegmentSubject {
  customer: Record<AttributeName, string | null>;
  orders: readonly { sku: string; category: string; soldVia: string; startedAt: Instant; endedAt: Instant | null }[];
  ledger: readonly { kind: 'consent' | 'objection'; purpose: string; channel: string | null; value: string; at: Instant; seq: number }[];
  /** Opens and clicks of the customer's messages (per-person tracking only). */
  engagement: readonly { event: 'open' | 'click'; campaignId: number; at: Instant; machine: boolean }[];
  /** Prediction scores by model id (0–1). */
  scores?: Readonly<Record<number, number>>;
  /** Stated interest records (appended; the latest per topic counts). */
  statedInterests?: readonly { topic: string; value: 'interested' | 'not_interested'; at: Instant; seq: number }[];
  /** Inferred interest weights by topic (0–1), as last inferred. */
  inferredInterests?: Readonly<Record<string, number>>;
  /** RFM quintiles as of the instant asked (rfm.ts `rfmScores` over everyone who may be profiled); none without orders. */
  rfm?: RfmScores | null;
  /** The customer's site events (kept per visitor only with site_ads consent). */
  siteEvents?: readonly { name: string; page: string; site: string; at: Instant }[];
}

/** Whether the customer is in the segment as of `at`: profiling allowed (rule 7) and the rule holds. */
export function inSegment(rule: SegmentRule, subject: SegmentSubject, at: Instant): boolean {
  return profilingAllowed(subject, at) && holds(rule, subject, at);
}

/** No standing objection to direct marketing or to profiling as of `at` (compliance.md §2 rules 2 and 7). */
export function profilingAllowed(subject: SegmentSubject, at: Instant): boolean {
  return PROFILING_STOPPING_SCOPES.every((scope) => latest(subject.ledger.filter((r) => r.kind === 'objection' && r.purpose === scope && r.at <= at))?.value !== 'objected');
}

export function holds(rule: SegmentRule, s: SegmentSubject, at: Instant): boolean {
  if ('all' in rule) return rule.all.every((r) => holds(r, s, at));
  if ('any' in rule) return rule.any.some((r) => holds(r, s, at));
  if ('not' in rule) return !holds(rule.not, s, at);
  if ('attribute' in rule) {
    const value = s.customer[rule.attribute];
    if (value === null) return false;
    if (rule.equals !== undefined) return value === rule.equals;
    if (rule.in !== undefined) return rule.in.includes(value);
    return rule.startsWith !== undefined && value.startsWith(rule.startsWith);
  }
  if ('orders' in rule) {
    const c = rule.orders;
    return s.orders.some(
      (o) =>
        o.startedAt <= at &&
        (c.sku === undefined || c.sku.includes(o.sku)) &&
        (c.category === undefined || c.category.includes(o.category)) &&
        (c.soldVia === undefined || (c.soldVia as readonly string[]).includes(o.soldVia)) &&
        (c.active === undefined || (o.endedAt === null || o.endedAt > at) === c.active) &&
        (c.started === undefined || inWindow(o.startedAt, c.started, at)) &&
        (c.ended === undefined || (o.endedAt !== null && o.endedAt <= at && inWindow(o.endedAt, c.ended, at))),
    );
  }
  if ('consent' in rule) {
    const { purpose, channel } = rule.consent;
    const record = latest(s.ledger.filter((r) => r.kind === 'consent' && r.purpose === purpose && (r.channel === null || r.channel === channel) && r.at <= at));
    return record?.value === 'granted';
  }
  if ('score' in rule) {
    const score = s.scores?.[rule.score.model];
    return score !== undefined && (rule.score.atLeast === undefined || score >= rule.score.atLeast) && (rule.score.below === undefined || score < rule.score.below);
  }
  if ('interest' in rule) return interested(rule.interest, s, at);
  if ('rfm' in rule) {
    const scores = s.rfm;
    return scores !== undefined && scores !== null && RFM_MEASURES.every((m) => rule.rfm[m] === undefined || rule.rfm[m].includes(scores[m]));
  }
  if ('siteEvent' in rule) {
    const c = rule.siteEvent;
    const from = windowStart(at, c.withinDays);
    return (s.siteEvents ?? []).some((e) => e.name === c.name && e.at >= from && e.at <= at && (c.pagePrefix === undefined || e.page.startsWith(c.pagePrefix)) && (c.site === undefined || e.site === c.site));
  }
  const e = rule.engagement;
  const since = windowStart(at, e.withinDays);
  return s.engagement.some((x) => !x.machine && x.event === e.event && x.at >= since && x.at <= at && (e.campaignId === undefined || x.campaignId === e.campaignId));
}

/** Stated: the latest record for the topic is `interested`; inferred: a weight of at least minWeight and no latest `not_interested`. */
function interested(c: InterestCondition, s: SegmentSubject, at: Instant): boolean {
  const stated = latest((s.statedInterests ?? []).filter((r) => r.topic === c.topic && r.at <= at))?.value;
  const weight = s.inferredInterests?.[c.topic];
  const inferred = weight !== undefined && weight >= (c.minWeight ?? 0) && stated !== 'not_interested';
  if (c.source === 'stated') return stated === 'interested';
  if (c.source === 'inferred') return inferred;
  return stated === 'interested' || inferred;
}

/** A time within a window: before is exclusive, after inclusive, withinDays counts back from `at`. */
export function inWindow(t: Instant, w: TimeWindow, at: Instant): boolean {
  return (w.before === undefined || t < w.before) && (w.after === undefined || t >= w.after) && (w.withinDays === undefined || t >= windowStart(at, w.withinDays));
}

/** The start of a window of the last `days` days before `at` (days of 24 hours). */
export function windowStart(at: Instant, days: number): Instant {
  return new Date(Date.parse(at) - days * DAY_MS).toISOString() as Instant;
}

function latest<T extends { at: Instant; seq: number }>(records: readonly T[]): T | undefined {
  let best: T | undefined;
  for (const r of records) if (best === undefined || r.at > best.at || (r.at === best.at && r.seq > best.seq)) best = r;
  return best;
}
