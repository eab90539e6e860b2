/**
 * When a soft-bounced delivery is sent again (compliance.md §3: a temporary failure is retried with
 * back-off and suppresses after a threshold). The wait doubles with every soft bounce of the
 * delivery, so a mailbox that is full or a server that is briefly down gets time to recover.
 */
import type { Instant } from './records.ts';
import { toInstant } from './time.ts';

export interface SoftBounceRetryPolicy {
  /** Soft bounces of one delivery at which its address is suppressed and the delivery ends. */
  limit: number;
  /** Wait before the first retry. */
  baseMinutes: number;
  /** No wait is longer than this. */
  maxMinutes: number;
}

/**
 * The time the retry after the `softBounces`-th soft bounce may go (base · 2^(n−1), capped), or
 * null when that bounce reached the limit: then there is no retry.
 */
export function softBounceRetryAt(policy: SoftBounceRetryPolicy, bouncedAt: Instant, softBounces: number): Instant | null {
  if (softBounces >= policy.limit) return null;
  const minutes = Math.min(policy.baseMinutes * 2 ** Math.max(0, softBounces - 1), policy.maxMinutes);
  return toInstant(Date.parse(bouncedAt) + minutes * 60_000);
}
