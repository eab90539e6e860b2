/**
 * What counts as a trial: an order that ended within TRIAL_MAX_DAYS of its start. One definition
 * for every reading of "tried a title": the prediction features, inferred interests, offer
 * eligibility and the reasons an offer gives (docs/segments-and-predictions.md).
 */

/** An order that ended within this many days of its start was a trial. */
export const TRIAL_MAX_DAYS = 92;
const DAY_MS = 86_400_000;

/** Whether the order was a trial (ended, and within TRIAL_MAX_DAYS of its start). */
export function isTrial(o: { startedAt: string; endedAt: string | null }): boolean {
  return o.endedAt !== null && Date.parse(o.endedAt) - Date.parse(o.startedAt) <= TRIAL_MAX_DAYS * DAY_MS;
}
