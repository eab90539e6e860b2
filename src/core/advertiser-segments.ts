/**
 * Audiences for advertisers [S28] (docs/sites-and-ads.md, "Audiences for advertisers"): segments
 * the company offers for ads on its own sites. The advertiser buys a placement for a segment and
 * never learns who is in it: it sees a name, a description and a size rounded to hundreds, hidden
 * below ADVERTISER_MIN_SIZE. The ad server learns, per visitor, which offered segments the visitor
 * is in, and only with the visitor's `site_ads` consent (compliance.md §2 rule 9); membership
 * itself is profiling (rule 7), so an objector is in none.
 */
import type { Instant } from './records.ts';

/** Below this many members a segment's size is not shown to advertisers (and it is not worth a campaign). */
export const ADVERTISER_MIN_SIZE = 100;

/**
 * The size an advertiser sees: null below ADVERTISER_MIN_SIZE, otherwise the member count rounded
 * to the nearest hundred (half up), so that two looks a day apart do not tell one person's move.
 */
export function advertiserSize(members: number): number | null {
  if (members < ADVERTISER_MIN_SIZE) return null;
  return Math.round(members / 100) * 100;
}

/** A segment as offered to advertisers. */
export interface AdvertiserSegment {
  segmentId: number;
  /** The name and description advertisers see (the segment's own are internal). */
  name: string;
  description: string;
  offeredAt: Instant;
  offeredBy: string;
  /** The members as last computed, exact: for the company's own people only. */
  members: number;
  /** When the members were computed; null: not yet. */
  computedAt: Instant | null;
}

/** What an advertiser sees of one offered segment. */
export interface AdvertiserView {
  id: number;
  name: string;
  description: string;
  /** Rounded to hundreds; null: fewer than ADVERTISER_MIN_SIZE. */
  size: number | null;
}

export function advertiserView(s: AdvertiserSegment): AdvertiserView {
  return { id: s.segmentId, name: s.name, description: s.description, size: advertiserSize(s.members) };
}

export interface AdvertiserSegmentStore {
  /** Offers the segment, or changes how it is offered. @throws NOT_FOUND when there is no such segment */
  offer(o: { segmentId: number; name: string; description: string; by: string; at: Instant }): Promise<AdvertiserSegment>;
  /** Withdraws the offer; false when it was not offered. */
  withdraw(segmentId: number): Promise<boolean>;
  list(): Promise<AdvertiserSegment[]>;
  /**
   * Who the visitor of the sites signed in as (null: never) and the offered segments that customer
   * is a member of (as last computed), ascending: one read, as the ad server asks it for every ad.
   */
  visitorSegments(visitorId: string): Promise<{ customerId: string | null; segments: number[] }>;
}
