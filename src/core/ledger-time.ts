/**
 * When a ledger record says it happened, as it may be stored (compliance.md: the ledger states what
 * happened). A record from the future is refused: it would change decisions later without anyone
 * acting, and derived data (segment memberships, scores, inferred interests) computed before it
 * came into force would outlive an objection, since nothing is written when a time merely passes.
 * A sender's clock a little ahead (MAX_CLOCK_SKEW_MS) is taken as now, so no stored record is ever
 * in the future of the moment it was recorded.
 */
import { DomainError } from './errors.ts';
import type { Instant } from './records.ts';

/** How far ahead of the server's clock a record's time may be and still be taken as now: 5 minutes. */
export const MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;

/**
 * `at` as it is stored, given the time of recording `now` (both ISO-8601 UTC instants): `at` when
 * not after `now`, `now` when at most MAX_CLOCK_SKEW_MS after it.
 * @throws DomainError VALIDATION_FAILED (field `at`) when further ahead.
 */
export function recordedLedgerTime(at: Instant, now: Instant): Instant {
  const ahead = Date.parse(at) - Date.parse(now);
  if (ahead <= 0) return at;
  if (ahead > MAX_CLOCK_SKEW_MS) throw new DomainError('VALIDATION_FAILED', 'at must not be in the future', { field: 'at' });
  return now;
}
