/**
 * Whether an offer may be made to one customer, from the customer's own records (orders, the
 * offer's last showing, segment memberships) as of a time. Every rule that excludes is named, so
 * `?explain=1` and the tests can say why an offer is not shown. The decision engine's verdict
 * (marketing on the channel for the offer's product) is applied beside this, by the use case.
 */
import { isTrial } from '../trials.ts';
import type { Instant, OrderWithCategory } from '../records.ts';
import type { Offer, OfferChannel, Relationship } from './offer.ts';

/** Why an offer is not made, besides the decision's own reason codes. */
export const INELIGIBLE_REASONS = ['OFFER_NOT_VALID', 'OFFER_NOT_ON_CHANNEL', 'ALREADY_SUBSCRIBED', 'ACCEPTED_RECENTLY', 'OFFERED_RECENTLY', 'NOT_IN_SEGMENT', 'RELATIONSHIP'] as const;
export type IneligibleReason = (typeof INELIGIBLE_REASONS)[number];

/**
 * The reasons that tell what the customer's own records hold: a running subscription, an acceptance
 * (a purchase), a segment membership, whether they have a customer relationship at all. A role that
 * may not read a customer's data gets NOT_ELIGIBLE in their place (src/use-cases/offers/ranking-view.ts).
 * OFFER_NOT_VALID and OFFER_NOT_ON_CHANNEL are about the offer; OFFERED_RECENTLY about its showings.
 */
export const CUSTOMER_RECORD_REASONS: readonly IneligibleReason[] = ['ALREADY_SUBSCRIBED', 'ACCEPTED_RECENTLY', 'NOT_IN_SEGMENT', 'RELATIONSHIP'];

/** What a role without the customer's data is told in place of CUSTOMER_RECORD_REASONS: the offer's rules exclude this customer. */
export const NOT_ELIGIBLE = 'NOT_ELIGIBLE';

const DAY_MS = 86_400_000;

/** What the eligibility rules read about one customer. */
export interface CustomerOfferFacts {
  orders: readonly OrderWithCategory[];
  /** When each offer (by id) was last shown to the customer. */
  lastShown: ReadonlyMap<number, Instant>;
  /** When the customer last accepted each offer (by id). */
  lastAccepted: ReadonlyMap<number, Instant>;
  /** The segments the customer is a member of, as last computed. */
  segmentIds: ReadonlySet<number>;
}


export function isRunning(o: Pick<OrderWithCategory, 'startedAt' | 'endedAt'>, at: Instant): boolean {
  return o.startedAt <= at && (o.endedAt === null || o.endedAt > at);
}

/** active: an order running at `at`; former: orders, none running; none: no order started by `at`. */
export function relationshipAt(orders: readonly OrderWithCategory[], at: Instant): Exclude<Relationship, 'any'> {
  const started = orders.filter((o) => o.startedAt <= at);
  if (started.length === 0) return 'none';
  return started.some((o) => isRunning(o, at)) ? 'active' : 'former';
}

/** Until when an offer accepted at `at` is not made again: its period later, on the same day of the month (or the month's last). */
export function acceptedUntil(at: Instant, periodMonths: number): Instant {
  const d = new Date(at);
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + periodMonths);
  const lastDay = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, lastDay));
  return d.toISOString() as Instant;
}

/**
 * The rules that exclude this offer for this customer on this channel at `at`, in a fixed order;
 * empty when it may be made. A running trial of the product is not a subscription: the offer is
 * what turns it into one. An offer the customer accepted is not made to them again for its period
 * after the acceptance (ACCEPTED_RECENTLY).
 */
export function ineligibility(offer: Offer, channel: OfferChannel, facts: CustomerOfferFacts, at: Instant): IneligibleReason[] {
  const out: IneligibleReason[] = [];
  if (offer.validFrom > at || (offer.validUntil !== null && offer.validUntil <= at)) out.push('OFFER_NOT_VALID');
  if (!offer.channels.includes(channel)) out.push('OFFER_NOT_ON_CHANNEL');
  const e = offer.eligibility;
  if (e.excludeSubscribed && facts.orders.some((o) => o.sku === offer.sku && isRunning(o, at) && !isTrial(o))) out.push('ALREADY_SUBSCRIBED');
  // What an acceptance bought runs for the offer's period: offering it again inside that period
  // offers the customer what they have (no order need be linked to the acceptance for this to hold).
  const accepted = facts.lastAccepted.get(offer.id);
  if (accepted !== undefined && at < acceptedUntil(accepted, offer.periodMonths)) out.push('ACCEPTED_RECENTLY');
  const last = facts.lastShown.get(offer.id);
  if (e.minDaysSinceLastOffer > 0 && last !== undefined && Date.parse(at) - Date.parse(last) < e.minDaysSinceLastOffer * DAY_MS) out.push('OFFERED_RECENTLY');
  if (e.segmentId !== null && !facts.segmentIds.has(e.segmentId)) out.push('NOT_IN_SEGMENT');
  if (e.relationship !== 'any' && relationshipAt(facts.orders, at) !== e.relationship) out.push('RELATIONSHIP');
  return out;
}
