/** What a bounce or complaint report leaves behind besides suppressions, in the core's words. */
import type { Instant } from './records.ts';

/** Why a report was held instead of acted on. */
export type HoldReason =
  /** No valid return-path token, and no Message-ID of a message Lupa handed off. */
  | 'unbound'
  /** Its tokens and Message-ID name different deliveries. */
  | 'ambiguous';

export interface HeldReport {
  receivedAt: Instant;
  /** Size of the whole raw message, in bytes. */
  sizeBytes: number;
  reason: HoldReason;
  /** The raw message, or its first bytes (see `truncated`). */
  message: Uint8Array;
  truncated: boolean;
}

export interface BounceReportStore {
  /** Keeps a report bound to no delivery for a person to look at; returns its id. */
  hold(report: HeldReport): Promise<number>;
  /** Records a sender-side refusal of a delivery (the first one stays); false when one was already recorded. */
  recordRefusal(deliveryId: number, campaignId: number, reason: string, at: Instant): Promise<boolean>;
  /** A campaign's sender-side refusals by reason (Sisimai's words: blocked, spamdetected, …). */
  refusals(campaignId: number): Promise<Record<string, number>>;
}
