/** When a scheduled campaign may start, and which start times a schedule accepts. */
import type { Campaign } from './campaign.ts';
import { DomainError } from './errors.ts';
import type { Instant } from './records.ts';

/** The start time of a draft that is scheduled for later than `now`; null when nothing holds it back. */
export function scheduledLater(campaign: Pick<Campaign, 'status' | 'sendAt'>, now: Instant): Instant | null {
  if (campaign.status !== 'draft' || campaign.sendAt === null) return null;
  return Date.parse(campaign.sendAt) > Date.parse(now) ? campaign.sendAt : null;
}

/**
 * A start time must lie ahead: one in the past is more likely a typo (a wrong year or zone) than a
 * wish to send at once, and sending at once is what `launch` is for. Throws VALIDATION_FAILED naming `field`.
 */
export function requireFutureStart(sendAt: Instant, now: Instant, field: string): void {
  if (Date.parse(sendAt) <= Date.parse(now)) {
    throw new DomainError('VALIDATION_FAILED', `${field} must be in the future (got ${sendAt}, now is ${now}); to send now, launch the campaign`, { field });
  }
}
