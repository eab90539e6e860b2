/** The offer store in the core's words: the catalogue, outcomes, and what a ranking reads. */
import type { CustomerId, Instant, OrderWithCategory, Product } from '../records.ts';
import type { Offer, OfferFields, OfferOutcome, OfferStats } from './offer.ts';
import type { SimilarReaders } from './reasons.ts';

/** An offer with its product and its outcomes so far. */
export interface CatalogueOffer extends Offer {
  product: Product;
  stats: OfferStats;
}

/** What one customer's ranking reads besides the decision records: one statement. */
export interface CustomerOfferReads {
  lastShown: Map<number, Instant>;
  /** The customer's latest acceptance of each offer (by id). */
  lastAccepted: Map<number, Instant>;
  /** The customer's latest answer to each offer (by id), accepted or declined: a showing is answered once. */
  lastAnswered: Map<number, { at: Instant; outcome: 'accepted' | 'declined' }>;
  segmentIds: Set<number>;
  /**
   * The customer's propensity lift per product category, from the latest propensity model of the
   * category that scored them: how many times the average customer's rate customers with such a
   * score were observed to subscribe on the model's held-out period (core/predictions/model.ts
   * `observedLift`; absent for a model with too few outcomes to judge; 1 = as likely as the average). A lift, not the score itself, so that it can adjust
   * an offer's acceptance rate, which is on another scale (a subscription within N days is rarer
   * than accepting an offer that is made).
   */
  propensity: Map<string, number>;
  /** The names of the products the customer ordered, by sku (the titles a reason names). */
  titles: Map<string, string>;
}

export interface OfferStore {
  /** @throws OFFER_EXISTS (field `code`), UNKNOWN_PRODUCT (field `sku`) */
  create(offer: OfferFields, by: string, at: Instant): Promise<Offer>;
  /** @throws NOT_FOUND, OFFER_EXISTS, UNKNOWN_PRODUCT */
  update(id: number, offer: OfferFields, at: Instant): Promise<Offer>;
  get(id: number): Promise<Offer | null>;
  /** Every offer with its product and its outcome counts as of `at` (ignored: derived). */
  catalogue(at: Instant): Promise<CatalogueOffer[]>;
  /** Appends outcomes (one statement). */
  recordOutcomes(outcomes: readonly OfferOutcome[], recordedAt: Instant): Promise<void>;
  /** The customer's last showing, acceptance and answer of each offer, segment memberships, propensity scores and ordered products' names. */
  customerReads(customerId: CustomerId, at: Instant): Promise<CustomerOfferReads>;
  /** `customerReads` of many customers with their orders, for a campaign's batch: two statements. */
  batchReads(customerIds: readonly CustomerId[], at: Instant): Promise<Map<string, CustomerOfferReads & { orders: OrderWithCategory[] }>>;
  /**
   * Per product category: customers (who may be profiled at `at`) who had a trial of a title of it,
   * and how many of them started a subscription of the category after the trial began. One grouped statement.
   */
  similarReaders(at: Instant): Promise<Map<string, SimilarReaders>>;
}

/** The store as a ranking reads it: the catalogue and the similar readers as recently read (cached). */
export interface OfferRankingReads extends OfferStore {
  /** The catalogue as read at most a few seconds ago (a write through this store drops it). */
  recentCatalogue(at: Instant): Promise<CatalogueOffer[]>;
  /** `similarReaders` as last computed (on first use, then by `refreshSimilarReaders`). */
  recentSimilarReaders(at: Instant): Promise<Map<string, SimilarReaders>>;
  /** Computes `similarReaders` again for the rankings that follow (a periodic job, not a request). */
  refreshSimilarReaders(at: Instant): Promise<Map<string, SimilarReaders>>;
  /** Holds counts computed elsewhere (the upkeep thread's `refreshSimilarReaders`) for the rankings that follow. */
  holdSimilarReaders(fresh: Map<string, SimilarReaders>): void;
}
