/**
 * RFM scores (recency, frequency, monetary value) and the ready-made segments built on them
 * (docs/segments-and-predictions.md, "RFM"). Each score is a quintile 1–5 among the customers who
 * may be profiled (compliance.md §2 rule 7) and had an order by the instant; 5 is the best fifth.
 *
 * The measures, for a subscription business whose orders carry no amounts:
 * - recency: the last time the customer had a running order: the instant itself while an order runs,
 *   otherwise the latest end;
 * - frequency: the number of orders started;
 * - monetary value: the seconds of subscription the orders covered up to the instant (what a
 *   publisher's subscriptions earn is proportional to their length).
 *
 * A quintile is `ceil(5 · k / n)` among the population of n. Ties share a quintile, so the scores
 * never depend on row order; which one depends on what a tie means:
 * - recency: k counts the customers whose measure is at most this one's, so a tie takes the top of
 *   its run. Everyone with an order running now ties at the instant itself, the best recency there
 *   is, and scores R 5.
 * - frequency and monetary value: k is one more than the customers whose measure is below this
 *   one's, so a tie takes the bottom of its run. Most of a publisher's customers have one order;
 *   they score F 1, not the middle quintile their share of the population would give them, and a
 *   first order is told from a history (the "new" segment).
 * This function is the reference reading; src/storage/segments/rfm-sql.ts computes the same in SQL.
 */
import type { Instant } from '../records.ts';
import type { SegmentRule } from './rule.ts';

export interface RfmScores {
  recency: number;
  frequency: number;
  monetary: number;
}

export const RFM_MEASURES = ['recency', 'frequency', 'monetary'] as const;
export type RfmMeasure = (typeof RFM_MEASURES)[number];

interface RfmOrder {
  startedAt: Instant;
  endedAt: Instant | null;
}

interface Measures {
  recency: string;
  frequency: number;
  monetary: number;
}

/**
 * The RFM scores as of `at` of every customer in `population` (id → orders) who had an order
 * started by then; the caller leaves out who may not be profiled.
 */
export function rfmScores(population: ReadonlyMap<string, readonly RfmOrder[]>, at: Instant): Map<string, RfmScores> {
  const measured = new Map<string, Measures>();
  for (const [id, orders] of population) {
    const started = orders.filter((o) => o.startedAt <= at);
    if (started.length === 0) continue;
    const running = started.some((o) => o.endedAt === null || o.endedAt > at);
    const recency = running ? at : started.reduce((latest, o) => ((o.endedAt as string) > latest ? (o.endedAt as string) : latest), '');
    const monetary = started.reduce((sum, o) => sum + seconds(o.endedAt === null || o.endedAt > at ? at : o.endedAt) - seconds(o.startedAt), 0);
    measured.set(id, { recency, frequency: started.length, monetary });
  }
  const n = measured.size;
  const quintileOf = (measure: keyof Measures): Map<string, number> => {
    const values = [...measured.values()].map((m) => m[measure]).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const result = new Map<string, number>();
    for (const [id, m] of measured) {
      const k = measure === 'recency' ? countBelow(values, m[measure], true) : countBelow(values, m[measure], false) + 1;
      result.set(id, Math.ceil((5 * k) / n));
    }
    return result;
  };
  const r = quintileOf('recency');
  const f = quintileOf('frequency');
  const m = quintileOf('monetary');
  return new Map([...measured.keys()].map((id) => [id, { recency: r.get(id) as number, frequency: f.get(id) as number, monetary: m.get(id) as number }]));
}

/** Whole seconds since the epoch, as both stores compute them from the stored text. */
function seconds(t: Instant): number {
  return Math.floor(Date.parse(t) / 1000);
}

/** How many of the sorted values are below `v`, or at most `v` with `orEqual` (binary search). */
function countBelow<T extends string | number>(sorted: readonly T[], v: T, orEqual: boolean): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const x = sorted[mid] as T;
    if (x < v || (orEqual && x === v)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The languages the ready-made segments are named in (the console's and the pages'). */
export const RFM_LANGUAGES = ['fi', 'sv', 'en'] as const;
export type RfmLanguage = (typeof RFM_LANGUAGES)[number];

export interface RfmStockSegment {
  /** Stable across languages: the same segment whatever language it was created in. */
  key: 'champions' | 'loyal' | 'new' | 'at_risk' | 'hibernating';
  texts: Record<RfmLanguage, { name: string; description: string }>;
  rule: SegmentRule;
}

/**
 * The ready-made RFM segments, named in the field's usual terms in each language. Created on
 * demand (`lupa segments rfm --lang`, `POST /v1/segments/rfm?lang=`, the console in its user's
 * language) and at the demo's first start; afterwards they are ordinary segments that anyone who
 * may edit segments can rename or change.
 */
export const RFM_SEGMENTS: readonly RfmStockSegment[] = [
  {
    key: 'champions',
    texts: {
      en: { name: 'RFM: champions', description: 'Recent, frequent and long-paying customers (R 4–5, F 4–5, M 4–5).' },
      fi: { name: 'RFM: parhaat', description: 'Tuoreet, usein tilaavat ja pitkään maksaneet asiakkaat (R 4–5, F 4–5, M 4–5).' },
      sv: { name: 'RFM: bästa', description: 'Kunder som beställt nyligen, ofta och länge betalat (R 4–5, F 4–5, M 4–5).' },
    },
    rule: { rfm: { recency: [4, 5], frequency: [4, 5], monetary: [4, 5] } },
  },
  {
    key: 'loyal',
    texts: {
      en: { name: 'RFM: loyal', description: 'Frequent customers still with us (R 3–5, F 4–5).' },
      fi: { name: 'RFM: uskolliset', description: 'Usein tilaavat asiakkaat, jotka ovat yhä mukana (R 3–5, F 4–5).' },
      sv: { name: 'RFM: lojala', description: 'Kunder som beställer ofta och fortfarande är kvar (R 3–5, F 4–5).' },
    },
    rule: { rfm: { recency: [3, 4, 5], frequency: [4, 5] } },
  },
  {
    key: 'new',
    texts: {
      en: { name: 'RFM: new', description: 'A first order, running and still short (R 5, F 1, M 1–2).' },
      fi: { name: 'RFM: uudet', description: 'Ensimmäinen tilaus, voimassa ja vielä lyhyt (R 5, F 1, M 1–2).' },
      sv: { name: 'RFM: nya', description: 'En första beställning, pågående och ännu kort (R 5, F 1, M 1–2).' },
    },
    rule: { rfm: { recency: [5], frequency: [1], monetary: [1, 2] } },
  },
  {
    key: 'at_risk',
    texts: {
      en: { name: 'RFM: at risk', description: 'Good customers who have not had a running order for a while (R 1–2, F 3–5 or M 3–5).' },
      fi: { name: 'RFM: menettämisvaarassa', description: 'Hyvät asiakkaat, joilla ei ole ollut voimassa olevaa tilausta vähään aikaan (R 1–2, F 3–5 tai M 3–5).' },
      sv: { name: 'RFM: i riskzonen', description: 'Goda kunder som inte haft en pågående beställning på ett tag (R 1–2, F 3–5 eller M 3–5).' },
    },
    rule: { all: [{ rfm: { recency: [1, 2] } }, { any: [{ rfm: { frequency: [3, 4, 5] } }, { rfm: { monetary: [3, 4, 5] } }] }] },
  },
  {
    key: 'hibernating',
    texts: {
      en: { name: 'RFM: hibernating', description: 'Long gone after little (R 1–2, F 1–2, M 1–2).' },
      fi: { name: 'RFM: lepäävät', description: 'Lähteneet kauan sitten vähäisen tilaamisen jälkeen (R 1–2, F 1–2, M 1–2).' },
      sv: { name: 'RFM: vilande', description: 'Borta sedan länge efter lite (R 1–2, F 1–2, M 1–2).' },
    },
    rule: { rfm: { recency: [1, 2], frequency: [1, 2], monetary: [1, 2] } },
  },
];
