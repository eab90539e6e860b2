/**
 * The facts a decision depends on, reduced to a few flags. The per-customer `decide` derives them
 * from records (below); the audience query derives the same flags in SQL and groups customers by
 * them, so both paths apply one `evaluate` and cannot disagree on the rules.
 */
import type { ConsentValue, CustomerKind } from './vocabulary.ts';

export interface SimilarOrderFacts {
  /** Ordered or used anything in the marketed product's category (as of the decision time). */
  any: boolean;
  /** ...and for at least one of those the marketing opt-out was offered. */
  anyOptOut: boolean;
  /** ...and at least one of those is active or ended within the soft opt-in window. */
  live: boolean;
  /** ...and at least one is both live and had the opt-out offered: soft opt-in applies. */
  liveOptOut: boolean;
}

export interface EligibilityFacts {
  kind: CustomerKind;
  hasAddress: boolean;
  /** The channel address has a hard bounce: undeliverable, blocks every purpose. */
  hardBounced: boolean;
  /** The channel address has a complaint or an unsubscribe: blocks marketing messages. */
  marketingSuppressed: boolean;
  /** The channel address is on a Robinson register valid at the decision time. */
  robinson: boolean;
  objectedDirectMarketing: boolean;
  objectedProfiling: boolean;
  /** Latest consent record for the purpose on this channel (or on all channels), or null when none. */
  consent: ConsentValue | null;
  hasAnyOrder: boolean;
  /** Null when no marketed product was named. */
  similar: SimilarOrderFacts | null;
}
