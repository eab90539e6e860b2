/**
 * The offer catalogue as people manage it (`/v1/offers`, `lupa offers`, the console's catalogue):
 * create and change offers (checked by `parseOffer`), read them with their outcome counts and
 * acceptance rates, and record what became of an offer made to a customer.
 */
import type { CampaignStore } from '../../core/campaign.ts';
import { DomainError } from '../../core/errors.ts';
import { recordedLedgerTime } from '../../core/ledger-time.ts';
import { changedOffer, IGNORED_AFTER_DAYS, parseOffer, type Offer, type OfferChannel, type OfferInput, type RecordedOutcome } from '../../core/offers/offer.ts';
import type { CatalogueOffer, OfferStore } from '../../core/offers/ports.ts';
import type { CustomerStore } from '../../core/ports.ts';
import type { CustomerId, Instant } from '../../core/records.ts';

export interface OfferDeps {
  offers: OfferStore;
  now: () => Instant;
}

/** @throws VALIDATION_FAILED / INVALID_DATE (field), OFFER_EXISTS, UNKNOWN_PRODUCT */
export async function createOffer(deps: OfferDeps, input: OfferInput, by: string): Promise<Offer> {
  const at = deps.now();
  return deps.offers.create(parseOffer(input, at), by, at);
}

/** Changes the fields given; the offer is checked whole again. @throws NOT_FOUND and as createOffer */
export async function updateOffer(deps: OfferDeps, id: number, change: OfferInput): Promise<Offer> {
  const before = await deps.offers.get(id);
  if (before === null) throw new DomainError('NOT_FOUND', `no offer ${id}`, { field: 'id' });
  const at = deps.now();
  return deps.offers.update(id, changedOffer(before, change, at), at);
}

/** Every offer with its product and outcome counts, in the default order. */
export function listOffers(deps: OfferDeps): Promise<CatalogueOffer[]> {
  return deps.offers.catalogue(deps.now());
}

/** One offer with its product and outcome counts. @throws NOT_FOUND */
export async function requireOffer(deps: OfferDeps, id: number): Promise<CatalogueOffer> {
  const offer = (await deps.offers.catalogue(deps.now())).find((o) => o.id === id);
  if (offer === undefined) throw new DomainError('NOT_FOUND', `no offer ${id}`, { field: 'id' });
  return offer;
}

export interface OutcomeInput {
  offerId: number;
  customerId: CustomerId;
  channel: OfferChannel;
  outcome: RecordedOutcome;
  /** Who recorded it (an actor id, "site", "campaign"). */
  source: string;
  campaignId?: number | null;
  at?: Instant;
}

/**
 * Appends one outcome. An answer (accepted, declined) to an offer with no showing it can answer
 * (none, or none within IGNORED_AFTER_DAYS) is recorded with its showing, at the same instant: an
 * agent reads the offer out and records the answer, and the acceptance rate (answers over showings)
 * must count that showing. @throws NOT_FOUND (field `offerId`), UNKNOWN_CUSTOMER (field `id`),
 * VALIDATION_FAILED (field `channel`) when the offer is not made on that channel, (field `at`) when
 * `at` is more than MAX_CLOCK_SKEW_MS ahead of now (within it, it is taken as now: ledger-time.ts);
 * INVALID_DATE (field `at`) before the offer was valid (it was neither shown nor answered then: a
 * 2020 showing once counted in a 2026 offer's acceptance rate); NOT_FOUND (field `campaignId`) for a
 * campaign that does not exist; OFFER_ALREADY_ANSWERED (field `outcome`) for an answer to a showing
 * that has one already.
 */
export async function recordOutcome(deps: OfferDeps & { customers: CustomerStore; campaigns: Pick<CampaignStore, 'get'> }, input: OutcomeInput): Promise<{ at: Instant }> {
  const offer = await deps.offers.get(input.offerId);
  if (offer === null) throw new DomainError('NOT_FOUND', `no offer ${input.offerId}`, { field: 'offerId' });
  if (!offer.channels.includes(input.channel)) throw new DomainError('VALIDATION_FAILED', `offer ${offer.code} is not made on ${input.channel}`, { field: 'channel' });
  if ((await deps.customers.getCustomer(input.customerId)) === null) throw new DomainError('UNKNOWN_CUSTOMER', `no customer with id ${input.customerId}`, { field: 'id' });
  if (input.campaignId !== undefined && input.campaignId !== null && (await deps.campaigns.get(input.campaignId)) === null) {
    throw new DomainError('NOT_FOUND', `no campaign ${input.campaignId}`, { field: 'campaignId' });
  }
  // What happened, as the ledger takes it: not ahead of now beyond a sender's clock skew.
  const at = input.at === undefined ? deps.now() : recordedLedgerTime(input.at, deps.now());
  if (Date.parse(at) < Date.parse(offer.validFrom)) {
    throw new DomainError('INVALID_DATE', `offer ${offer.code} is valid from ${offer.validFrom}: nothing of it happened at ${at}`, { field: 'at' });
  }
  const outcome = { offerId: offer.id, customerId: input.customerId, channel: input.channel, at, source: input.source, campaignId: input.campaignId ?? null };
  const answer = input.outcome === 'accepted' || input.outcome === 'declined';
  const reads = answer ? await deps.offers.customerReads(input.customerId, at) : null;
  const lastShown = reads?.lastShown.get(offer.id);
  const unshown = answer && (lastShown === undefined || Date.parse(lastShown) < Date.parse(at) - IGNORED_AFTER_DAYS * 86_400_000);
  // A showing is answered once: a second answer to it (a retried request, a second click) would
  // count an acceptance twice, and a changed mind is a new conversation, recorded as a new showing.
  const earlier = reads?.lastAnswered.get(offer.id);
  if (!unshown && lastShown !== undefined && earlier !== undefined && earlier.at >= lastShown) {
    throw new DomainError(
      'OFFER_ALREADY_ANSWERED',
      `offer ${offer.code}'s showing to ${input.customerId} at ${lastShown} was answered already (${earlier.outcome} at ${earlier.at}); if it was offered again, record that showing (outcome shown) first`,
      { field: 'outcome', details: { shownAt: lastShown, answered: earlier.outcome, answeredAt: earlier.at } },
    );
  }
  await deps.offers.recordOutcomes([...(unshown ? [{ ...outcome, outcome: 'shown' as const }] : []), { ...outcome, outcome: input.outcome }], deps.now());
  return { at };
}
