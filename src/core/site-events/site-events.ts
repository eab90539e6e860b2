/**
 * Events from the company's sites (docs/sites-and-ads.md): page views and named events a site's
 * pages send through the browser SDK (`/sdk/lupa.js`). What is kept depends on the visitor's
 * `site_ads` consent (compliance.md §2 rule 9, Finland 917/2014 §205):
 *
 * - with it: one row per event, under the visitor's first-party id (and, once the visitor signs in
 *   and the site vouches for it with a signed token, under the customer's id too);
 * - without it: no identifier at all, only a count per site, page, slot, event name and hour.
 *
 * Pure: the records and the store port; validation is in `site-event-batch.ts`.
 */
import type { Instant } from '../records.ts';

/** The kinds of event the SDK sends: a page view, a named event, and a sign-in (`identify`). */
export const SITE_EVENT_TYPES = ['page', 'track', 'identify'] as const;
export type SiteEventType = (typeof SITE_EVENT_TYPES)[number];

/** The name a page view is stored and counted under. */
export const PAGE_VIEW = 'page_view';

/** The visitor's choices as the site's consent banner gave them; null: not asked (counts as refused). */
export interface SiteConsent {
  siteAds: boolean;
  adAudience: boolean | null;
  analytics: boolean | null;
}

/** A per-visitor event: only ever made for a visitor with `site_ads` consent. */
export interface VisitorEvent {
  site: string;
  visitorId: string;
  type: 'page' | 'track';
  name: string;
  /** The page's path, without query or fragment (those may carry addresses). */
  page: string;
  slot: string | null;
  /** Small flat properties, as JSON text; null for none. */
  props: string | null;
  /** When the browser says it happened (its clock), or null. */
  clientAt: Instant | null;
  /** When Lupa received it: the time that partitions, retains and orders events. */
  at: Instant;
}

/** What is kept of events without `site_ads` consent: a count per site, page, slot ('' for none), name and hour. */
export interface EventCount {
  site: string;
  /** The start of the hour (UTC). */
  hour: Instant;
  page: string;
  slot: string;
  name: string;
  count: number;
}

/** A visitor who signed in as a customer (the site's back end signed the token). */
export interface Identification {
  site: string;
  visitorId: string;
  customerId: string;
  at: Instant;
  /**
   * false: the sign-in is recorded (so that the customer's refusal keeps applying to the visitor)
   * but the visitor's earlier events are not joined to the customer: their ledger refuses it.
   */
  stitch?: false;
}

/** One request's events, sorted into what is stored per visitor and what is counted. */
export interface SiteEventBatch {
  events: VisitorEvent[];
  counts: EventCount[];
  identifications: Identification[];
}

/** A stored event as later work reads it (own-product ads, remarketing lists, the customer timeline). */
export interface StoredVisitorEvent extends VisitorEvent {
  id: string;
  customerId: string | null;
}

/** What retention and partition upkeep did in one run. */
export interface SiteEventUpkeep {
  /** PostgreSQL: day partitions created ahead. */
  partitionsCreated: number;
  /** PostgreSQL: day partitions dropped whole. */
  partitionsDropped: number;
  /** SQLite (and counts on both): rows deleted, in chunks. */
  rowsDeleted: number;
}

/**
 * The event store. `append` resolves only once the batch is committed (group commit: batches of
 * concurrent requests share one transaction), so an acknowledged event is durable.
 */
export interface SiteEventStore {
  append(batch: SiteEventBatch): Promise<void>;
  /** Resolves when everything appended so far is written (a clean shutdown waits for it). */
  flush(): Promise<void>;
  /** A customer's events (signed-in visits and what the same visitor did before), newest first. */
  eventsOfCustomer(customerId: string, opts: { since?: Instant; limit: number }): Promise<StoredVisitorEvent[]>;
  /**
   * Visitors (with `site_ads` consent: nobody else has an id) who sent event `name` since `since`,
   * on `site` when given; a remarketing list's members. Set-based: one query.
   */
  visitorsWhoDid(q: { name: string; since: Instant; site?: string }): Promise<string[]>;
  /** The customer a visitor signed in as last, or null. */
  customerOfVisitor(visitorId: string): Promise<string | null>;
  /** Counts of events without consent per site, page, slot, name and hour in [from, to). */
  counts(q: { from: Instant; to: Instant; site?: string }): Promise<EventCount[]>;
  /** Consented events per site and name in [from, to): the same shape as `counts`, hour by hour. */
  consentedCounts(q: { from: Instant; to: Instant; site?: string }): Promise<EventCount[]>;
  /**
   * Keeps `retentionDays` of events before `now`: PostgreSQL creates day partitions ahead and drops
   * whole partitions past the window; SQLite deletes past the window in chunks.
   */
  upkeep(now: Instant, retentionDays: number): Promise<SiteEventUpkeep>;
}

/** The start of `at`'s hour, UTC. */
/**
 * The batch with its per-visitor events turned into counts per site, hour, page, slot and name, as
 * events without consent are kept: for a visitor whose customer's ledger refuses what the banner
 * allowed (compliance.md §5: a withdrawal is effective at once).
 */
export function countedOnly(batch: SiteEventBatch): SiteEventBatch {
  const counts = new Map<string, EventCount>();
  for (const c of batch.counts) counts.set(`${c.hour}\u0000${c.page}\u0000${c.slot}\u0000${c.name}\u0000${c.site}`, { ...c });
  for (const e of batch.events) {
    const hour = hourOf(e.at);
    const slot = e.slot ?? '';
    const key = `${hour}\u0000${e.page}\u0000${slot}\u0000${e.name}\u0000${e.site}`;
    const count = counts.get(key);
    if (count === undefined) counts.set(key, { site: e.site, hour, page: e.page, slot, name: e.name, count: 1 });
    else count.count += 1;
  }
  return { events: [], counts: [...counts.values()], identifications: batch.identifications.map((i) => ({ ...i, stitch: false as const })) };
}

export function hourOf(at: Instant): Instant {
  return `${at.slice(0, 13)}:00:00.000Z` as Instant;
}
