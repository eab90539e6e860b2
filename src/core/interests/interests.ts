/**
 * Interests (docs/segments-and-predictions.md, "Interests"): topics a person may care about, what
 * the person said (stated interests: records appended with their source and time, never edited)
 * and what we infer from the products the person tried (inferred interests: a weight 0–1 that
 * decays with the trial's age). Inference is profiling (compliance.md §2 rule 7): computed only
 * for customers who may be profiled, deleted at once on an objection, and never for a topic the
 * person said they are not interested in.
 */
import type { Instant } from '../records.ts';

export const INTEREST_VALUES = ['interested', 'not_interested'] as const;
export type InterestValue = (typeof INTEREST_VALUES)[number];

/** Where a stated interest came from: the person on the preference page, an agent, or an import. */
export const INTEREST_SOURCES = ['preference_page', 'agent', 'import'] as const;
export type InterestSource = (typeof INTEREST_SOURCES)[number];

/** A topic's code: lower-case letters, digits and `_`, starting with a letter (it is named in rules and URLs). */
export const TOPIC_CODE = /^[a-z][a-z0-9_]{0,39}$/;

/** Days after which a trial counts half as much toward its topics (LUPA_INTEREST_HALF_LIFE_DAYS). */
export const DEFAULT_HALF_LIFE_DAYS = 180;
/** Inferred weights below this are not kept: a trial over four half-lives old says little. */
export const MIN_INFERRED_WEIGHT = 0.05;

export interface InterestTopic {
  code: string;
  names: { fi: string; sv: string; en: string };
  /** Product categories whose trials count toward the topic. */
  categories: string[];
}

export interface StatedInterest {
  customerId: string;
  topic: string;
  value: InterestValue;
  source: InterestSource;
  /** Who recorded it: `customer` on the preference page, `ID (name)` of an agent or key, `import`. */
  actor: string;
  at: Instant;
}

export interface StoredStatedInterest extends StatedInterest {
  seq: number;
  recordedAt: Instant;
}

export interface InferredInterest {
  topic: string;
  /** 0–1: 0.5^(age in days of the latest trial in the topic's categories / half-life). */
  weight: number;
  computedAt: Instant;
}

/** One customer's interests: the latest stated record per topic, and the inferred weights. */
export interface CustomerInterests {
  customerId: string;
  stated: StoredStatedInterest[];
  inferred: InferredInterest[];
}

export interface InterestRefresh {
  /** Rows written (customer × topic). */
  inferred: number;
  customers: number;
  computedAt: Instant;
}

export interface InterestStore {
  topics(): Promise<InterestTopic[]>;
  /** @throws TOPIC_EXISTS */
  addTopic(topic: InterestTopic): Promise<void>;
  /** Names and categories replaced. @throws UNKNOWN_TOPIC */
  changeTopic(topic: InterestTopic): Promise<void>;
  /** Appends the records (never edits one). @throws UNKNOWN_TOPIC */
  record(records: readonly StatedInterest[], recordedAt: Instant): Promise<void>;
  /** The latest stated record per topic as of `at`, and the inferred rows. */
  interestsOf(customerId: string, at: Instant): Promise<CustomerInterests>;
  /**
   * Every inferred interest recomputed as of `at`, set-based, in one transaction that replaces
   * the rows: only customers who may be profiled, never a topic whose latest stated record is
   * `not_interested`.
   */
  refreshInferred(at: Instant, halfLifeDays: number): Promise<InterestRefresh>;
}

/**
 * The inference's weight of one trial (the reference the SQL is tested against): halved every
 * `halfLifeDays` since the trial started. A customer's weight for a topic is the largest over the
 * trials in its categories; below MIN_INFERRED_WEIGHT it is not kept.
 */
export function trialWeight(startedAt: Instant, at: Instant, halfLifeDays: number): number {
  const ageDays = Math.max(0, (Date.parse(at) - Date.parse(startedAt)) / 86_400_000);
  return 0.5 ** (ageDays / halfLifeDays);
}
