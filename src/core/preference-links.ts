/**
 * How long a link to the preference page works, and how often a person may have a fresh one sent
 * (docs/decisions/0014-link-lifetimes.md). A preference link shows what a person has chosen and lets
 * whoever holds it choose again, so it stops working `LUPA_PREFERENCE_LINK_DAYS` after it was made;
 * its page then offers to send a fresh link to the address on record. An unsubscribe link never
 * stops working: all it can do is stop marketing, and a person must always be able to.
 */
import type { CustomerId, Instant } from './records.ts';
import { toInstant } from './time.ts';

export interface PreferenceLinkSettings {
  /** Days a preference link works after it was made (LUPA_PREFERENCE_LINK_DAYS). */
  linkDays: number;
  /** Minutes after a fresh link was sent before another is sent to the same customer (LUPA_PREFERENCE_LINK_RESEND_MINUTES). */
  resendMinutes: number;
}

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

/**
 * When a link stops working. `issuedAtSeconds` is the time the token carries (seconds since 1970);
 * null for a link made before tokens carried one, which counts as made at `legacyIssuedAt` (when
 * this version first ran on the store), so that links already sent work for the full period from
 * the upgrade instead of expiring at once.
 */
export function preferenceLinkExpiresAt(issuedAtSeconds: number | null, legacyIssuedAt: Instant, settings: Pick<PreferenceLinkSettings, 'linkDays'>): Instant {
  const issuedMs = issuedAtSeconds === null ? Date.parse(legacyIssuedAt) : issuedAtSeconds * 1000;
  return toInstant(issuedMs + settings.linkDays * DAY_MS);
}

/** Whether a link that stops working at `expiresAt` no longer works at `now`. */
export function preferenceLinkExpired(expiresAt: Instant, now: Instant): boolean {
  return Date.parse(now) >= Date.parse(expiresAt);
}

/** A fresh link sent after this time keeps another from being sent at `now`. */
export function freshLinkWindowStart(now: Instant, settings: Pick<PreferenceLinkSettings, 'resendMinutes'>): Instant {
  return toInstant(Date.parse(now) - settings.resendMinutes * MINUTE_MS);
}

/** The issue time a token carries for a link made at `at` (whole seconds since 1970). */
export function tokenIssueTime(at: Instant): number {
  return Math.floor(Date.parse(at) / 1000);
}

/** Where the fresh links sent on request are counted, shared by every process on the store. */
export interface PreferenceLinkStore {
  /** When links whose token carries no issue time count as made: the time this version first ran on the store. */
  legacyLinksIssuedAt(): Promise<Instant>;
  /**
   * Takes the customer's turn for a fresh link at `at` unless one was taken after `windowStart`.
   * True when taken. Atomic across processes: of two requests at once, one gets the turn.
   */
  takeFreshLinkTurn(customerId: CustomerId, at: Instant, windowStart: Instant): Promise<boolean>;
  /**
   * Gives back the turn taken at `at` when its message could not be handed off, so that the person
   * can ask again at once. The turn before it was older than the window, so nothing else is lost.
   */
  giveBackFreshLinkTurn(customerId: CustomerId, at: Instant): Promise<void>;
}
