/**
 * The same offer twice: a marketing campaign that sends the same template, or markets the same
 * product, as another campaign launched within the last `LUPA_RECENT_CAMPAIGN_DAYS` days, to people
 * who already got that one. Lupa says so when the campaign is created (a warning) and refuses its
 * launch by hand (`RECENT_DUPLICATE`) until the marketer names the earlier campaigns
 * (`--despite-recent ID`, API `despiteRecent`) or leaves their recipients out
 * (`--exclude-recipients-of ID`, filter `excludeRecipientsOf`). Service messages are never held
 * back: a delivery notice may go twice.
 */
import type { AudienceFilter } from './ports.ts';
import type { Instant, Sku } from './records.ts';
import type { Purpose } from './vocabulary.ts';

/** An earlier campaign that sent the same thing to some of the same people. */
export interface RecentSend {
  campaignId: number;
  name: string;
  launchedAt: Instant;
  /** What the two share: the template, the marketed product, or both. */
  same: 'template' | 'product' | 'both';
  /** Customers this campaign selects who got the earlier one (a delivery sent, or queued or being sent while it is not cancelled). */
  overlap: number;
}

/** What the store is asked: campaigns other than `exceptId`, launched at or after `since`, sharing the template or product. */
export interface RecentSendQuery {
  exceptId: number | null;
  templateId: string | null;
  sku: Sku | null;
  since: Instant;
  /** This campaign's selection, and the time its order conditions are read at. */
  filter: AudienceFilter;
  at: Instant;
}

export interface RecentCampaignStore {
  /**
   * Earlier non-service campaigns launched since `since` that share the template or product, each
   * with how many customers of `filter` have a delivery of it queued, claimed or sent; those with
   * none are left out. Newest launch first. One set-based statement over deliveries.
   */
  recentSends(query: RecentSendQuery): Promise<RecentSend[]>;
}

const DAY_MS = 86_400_000;

/** The start of the window: `days` days before `at`. */
export function recentSince(at: Instant, days: number): Instant {
  return new Date(Date.parse(at) - days * DAY_MS).toISOString() as Instant;
}

/** Whether a campaign is checked at all: anything but a service message, with a template or product to compare. */
export function checksRecentSends(campaign: { purpose: Purpose; templateId: string | null; sku: Sku | null }): boolean {
  return campaign.purpose !== 'service' && (campaign.templateId !== null || campaign.sku !== null);
}

/** The earlier campaigns not acknowledged by the marketer (by id). */
export function unacknowledged(recent: readonly RecentSend[], acknowledged: readonly number[]): RecentSend[] {
  return recent.filter((r) => !acknowledged.includes(r.campaignId));
}

/** One line per earlier campaign: `campaign 1 "Syystarjous" (same template), launched at …: 1,234 of this selection already got it`. */
export function describeRecentSend(r: RecentSend): string {
  const what = r.same === 'both' ? 'same template and product' : `same ${r.same}`;
  return `campaign ${r.campaignId} "${r.name}" (${what}), launched at ${r.launchedAt}: ${r.overlap.toLocaleString('en-US')} of this selection already got it`;
}
