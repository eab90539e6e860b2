/**
 * Why this offer for this customer, in words (fi/sv/en): built only from facts (the customer's own
 * trial or earlier subscription of the category, how readers who tried a title of the category
 * went on, the customer's propensity score) and only where the customer may be profiled: a
 * personal reason is derived data (compliance.md §2 rules 7 and 12). Group counts are named only
 * for groups of at least the minimum group size (src/core/small-groups.ts's setting).
 */
import type { Instant, OrderWithCategory } from '../records.ts';
import { isTrial } from '../trials.ts';
import { isRunning } from './eligibility.ts';
import type { OfferLanguage } from './offer.ts';

export type ReasonPart =
  | { code: 'ON_TRIAL'; title: string }
  | { code: 'TRIED'; title: string }
  | { code: 'READS_CATEGORY'; title: string }
  | { code: 'SUBSCRIBED_BEFORE'; title: string }
  | { code: 'SIMILAR_READERS'; subscribed: number; tried: number }
  | { code: 'PROPENSITY'; times: number }
  | { code: 'OFTEN_ACCEPTED'; percent: number };

/**
 * The parts that tell the customer's own records, withheld from a role that may not read them: the
 * orders named (ON_TRIAL, TRIED, READS_CATEGORY, SUBSCRIBED_BEFORE); SIMILAR_READERS, which is
 * given only to a customer with a trial or no order in the category, so its presence tells which;
 * and PROPENSITY, the customer's own score from a model of their orders. OFTEN_ACCEPTED is the
 * offer's own rate.
 */
export const CUSTOMER_RECORD_PARTS: readonly ReasonPart['code'][] = ['ON_TRIAL', 'TRIED', 'READS_CATEGORY', 'SUBSCRIBED_BEFORE', 'SIMILAR_READERS', 'PROPENSITY'];

/** Readers who tried a title of a category and how many of them went on to subscribe to one. */
export interface SimilarReaders {
  tried: number;
  subscribed: number;
}

export interface ReasonFacts {
  /** The customer's orders with their product's name (`title`). */
  orders: readonly (OrderWithCategory & { title: string })[];
  category: string;
  similar: SimilarReaders | undefined;
  /** The customer's propensity lift for the category (1 = as likely as the average customer), or null without a model. */
  lift: number | null;
  /** The offer's measured acceptance when it was shown to at least `minGroup` people. */
  measured: { shown: number; accepted: number };
  minGroup: number;
  at: Instant;
}

/** The reason's parts, most telling first: the customer's own history, then readers like them, then the model. */
export function reasonParts(f: ReasonFacts): ReasonPart[] {
  const parts: ReasonPart[] = [];
  const inCategory = f.orders.filter((o) => o.category === f.category && o.startedAt <= f.at).sort((a, b) => (a.startedAt < b.startedAt ? 1 : -1));
  // A trial the customer went on from to a subscription of the same title is no longer what they
  // did: they subscribed (and read it now, or did before), so it is not told as "tried".
  const wentOn = (t: OrderWithCategory): boolean => inCategory.some((o) => o.sku === t.sku && !isTrial(o) && o.startedAt >= t.startedAt);
  const trial = inCategory.find((o) => isTrial(o) && !wentOn(o));
  const running = inCategory.find((o) => isRunning(o, f.at) && !isTrial(o));
  if (trial !== undefined) parts.push({ code: isRunning(trial, f.at) ? 'ON_TRIAL' : 'TRIED', title: trial.title });
  else if (running !== undefined) parts.push({ code: 'READS_CATEGORY', title: running.title });
  else if (inCategory[0] !== undefined) parts.push({ code: 'SUBSCRIBED_BEFORE', title: inCategory[0].title });
  if (f.similar !== undefined && f.similar.tried >= f.minGroup && (trial !== undefined || inCategory.length === 0)) {
    parts.push({ code: 'SIMILAR_READERS', subscribed: f.similar.subscribed, tried: f.similar.tried });
  }
  // A lift is a reason only where it says something: clearly above the average customer.
  if (f.lift !== null && f.lift >= MIN_LIFT_REASON) parts.push({ code: 'PROPENSITY', times: Math.round(f.lift * 10) / 10 });
  else if (parts.length === 0 && f.measured.shown >= f.minGroup && f.measured.accepted > 0) {
    parts.push({ code: 'OFTEN_ACCEPTED', percent: Math.round((100 * f.measured.accepted) / f.measured.shown) });
  }
  return parts;
}

/** A lift below this is not named as a reason. */
export const MIN_LIFT_REASON = 1.5;

/** A decimal with the comma Finnish and Swedish write. */
const decimal = (v: number): string => String(v).replace('.', ',');

const TEXTS: Record<OfferLanguage, { [C in ReasonPart['code']]: (p: Extract<ReasonPart, { code: C }>) => string }> = {
  en: {
    ON_TRIAL: (p) => `reads ${p.title} on trial`,
    TRIED: (p) => `tried ${p.title}`,
    READS_CATEGORY: (p) => `reads ${p.title}`,
    SUBSCRIBED_BEFORE: (p) => `subscribed to ${p.title} before`,
    SIMILAR_READERS: (p) => `${p.subscribed} of ${p.tried} readers who tried a title of this kind subscribed`,
    PROPENSITY: (p) => `${p.times} times as likely as the average customer to subscribe to a title of this kind`,
    OFTEN_ACCEPTED: (p) => `${p.percent} % of customers offered it accepted`,
  },
  fi: {
    ON_TRIAL: (p) => `lukee kokeilujaksolla: ${p.title}`,
    TRIED: (p) => `kokeili: ${p.title}`,
    READS_CATEGORY: (p) => `lukee: ${p.title}`,
    SUBSCRIBED_BEFORE: (p) => `tilasi aiemmin: ${p.title}`,
    // The numbers stand alone: a case ending on a numeral would need its spoken form ("3:sta", "1:stä").
    SIMILAR_READERS: (p) => `${p.tried} lukijaa kokeili samanlaista lehteä, ${p.subscribed} heistä tilasi`,
    PROPENSITY: (p) => `tilaa samanlaisen lehden ennusteen mukaan ${decimal(p.times)} kertaa keskimääräistä todennäköisemmin`,
    OFTEN_ACCEPTED: (p) => `${p.percent} % tarjouksen saaneista tarttui siihen`,
  },
  sv: {
    ON_TRIAL: (p) => `läser ${p.title} på prov`,
    TRIED: (p) => `provläste ${p.title}`,
    READS_CATEGORY: (p) => `läser ${p.title}`,
    SUBSCRIBED_BEFORE: (p) => `prenumererade tidigare på ${p.title}`,
    SIMILAR_READERS: (p) => `${p.subscribed} av ${p.tried} som provläste en titel av samma slag prenumererade`,
    PROPENSITY: (p) => `enligt prognosen ${decimal(p.times)} gånger så benägen som en genomsnittlig kund att prenumerera på en titel av samma slag`,
    OFTEN_ACCEPTED: (p) => `${p.percent} % av kunderna som fick erbjudandet tackade ja`,
  },
};

/** The parts as one sentence in `lang` ("reads Kotipiha on trial; 3 of 5 readers …"), or null when there are none. */
export function reasonText(parts: readonly ReasonPart[], lang: OfferLanguage): string | null {
  if (parts.length === 0) return null;
  const texts = TEXTS[lang] as Record<string, (p: ReasonPart) => string>;
  return parts.map((p) => (texts[p.code] as (p: ReasonPart) => string)(p)).join('; ');
}
