/**
 * Feedback results from counted answers (docs/customer-service.md#feedback). Pure: the store counts
 * the answers per score in one GROUP BY; this reduces the counts to the figures per agent, queue or
 * month. Rule 11 of compliance.md §2: answers are reported in aggregate only, and never for a group
 * of fewer than `minGroup` answers (LUPA_MIN_GROUP_SIZE, default 5).
 */
import { secondarySuppression } from '../small-groups.ts';
import { SCALES, type FeedbackKind, type ScoreCount } from './feedback.ts';

/** How the results are grouped: by the ticket's agent or queue (CSAT), by month, or all in one. */
export const RESULT_GROUPINGS = ['all', 'agent', 'queue', 'month'] as const;
export type ResultGrouping = (typeof RESULT_GROUPINGS)[number];

export interface ResultGroup {
  /** The agent, queue or month (YYYY-MM); `all` for the whole; `(none)` for no agent or queue. */
  key: string;
  /** Questions sent. */
  sent: number;
  /** Answers received. */
  answered: number;
  /** answered / sent, 0–1; null when nothing was sent. */
  responseRate: number | null;
  /**
   * Answers per score (CSAT 1–5, NPS 0–10), every score present; null when withheld (fewer than
   * `minGroup` answers, but some).
   */
  distribution: Record<string, number> | null;
  /** CSAT: the mean score, 1–5, two decimals; null for NPS, without answers or withheld. */
  average: number | null;
  /**
   * NPS: % promoters (9–10) − % detractors (0–6) of the answers, −100…100, rounded to a whole
   * number (Reichheld 2003); null for CSAT, without answers or withheld.
   */
  npsScore: number | null;
  /** True when the answers were fewer than `minGroup`, or the group would tell such a one by subtraction from the whole: only `sent`, `answered` and the rate are shown. */
  withheld: boolean;
}

const NONE = '(none)';

function keyOf(c: ScoreCount, by: ResultGrouping): string {
  if (by === 'all') return 'all';
  if (by === 'month') return c.month;
  return (by === 'agent' ? c.agent : c.queue) ?? NONE;
}

/** NPS category of a 0–10 answer: promoters 9–10, passives 7–8, detractors 0–6. */
export function npsCategory(score: number): 'promoter' | 'passive' | 'detractor' {
  return score >= 9 ? 'promoter' : score >= 7 ? 'passive' : 'detractor';
}

/** NPS of a distribution (score → answers): % promoters − % detractors, rounded; null without answers. */
export function npsOf(distribution: Readonly<Record<string, number>>): number | null {
  let total = 0;
  let net = 0;
  for (const [score, n] of Object.entries(distribution)) {
    total += n;
    const category = npsCategory(Number(score));
    if (category === 'promoter') net += n;
    if (category === 'detractor') net -= n;
  }
  return total === 0 ? null : Math.round((100 * net) / total);
}

/** The mean score of a distribution, two decimals; null without answers. */
export function averageOf(distribution: Readonly<Record<string, number>>): number | null {
  let total = 0;
  let sum = 0;
  for (const [score, n] of Object.entries(distribution)) {
    total += n;
    sum += Number(score) * n;
  }
  return total === 0 ? null : Math.round((100 * sum) / total) / 100;
}

/**
 * The figures of one kind's counts grouped `by`, in key order. Counts of another kind are ignored.
 * A group with 1…minGroup−1 answers shows no distribution, average or score (withheld), and so
 * does any group that would let a withheld one be worked out from the whole.
 */
export function summarise(counts: readonly ScoreCount[], kind: FeedbackKind, by: ResultGrouping, minGroup: number): ResultGroup[] {
  const scale = SCALES[kind];
  const groups = new Map<string, { sent: number; dist: Record<string, number> }>();
  for (const c of counts) {
    if (c.kind !== kind) continue;
    const key = keyOf(c, by);
    let g = groups.get(key);
    if (g === undefined) {
      const dist: Record<string, number> = {};
      for (let s = scale.min; s <= scale.max; s++) dist[String(s)] = 0;
      g = { sent: 0, dist };
      groups.set(key, g);
    }
    g.sent += c.count;
    if (c.score !== null) g.dist[String(c.score)] = (g.dist[String(c.score)] ?? 0) + c.count;
  }
  const answeredOf = (g: { dist: Record<string, number> }): number => Object.values(g.dist).reduce((a, b) => a + b, 0);
  // The groups share out the whole (shown beside them): a lone withheld group would be the whole
  // less the others. So more groups are withheld, smallest first, until the withheld hold at least
  // minGroup answers between them (core/small-groups.ts).
  const hidden = secondarySuppression(new Map([...groups].map(([key, g]) => [key, answeredOf(g)])), minGroup);
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, g]) => {
      const answered = answeredOf(g);
      const withheld = hidden.has(key);
      return {
        key,
        sent: g.sent,
        answered,
        responseRate: g.sent === 0 ? null : Math.round((10_000 * answered) / g.sent) / 10_000,
        distribution: withheld ? null : g.dist,
        average: withheld || kind !== 'csat' ? null : averageOf(g.dist),
        npsScore: withheld || kind !== 'nps' ? null : npsOf(g.dist),
        withheld,
      };
    });
}
