/**
 * The offer store with the two reads every ranking makes kept in memory: the catalogue with its
 * outcome counts for CATALOGUE_SECONDS (a write through this store drops it at once; another
 * process's change is seen within them), and how readers of each category went on after a trial —
 * a grouped scan of all orders that moves slowly, like segments: computed on first use, then only
 * by `refreshSimilarReaders` (the server runs it with the segment refresh), never again inside a
 * request. So a ranking request reads only the customer's own rows.
 */
import type { CatalogueOffer, CustomerOfferReads, OfferRankingReads, OfferStore } from '../../core/offers/ports.ts';
import type { Offer, OfferFields, OfferOutcome } from '../../core/offers/offer.ts';
import type { SimilarReaders } from '../../core/offers/reasons.ts';
import type { CustomerId, Instant } from '../../core/records.ts';

export const CATALOGUE_SECONDS = 30;

interface Held<T> {
  value: Promise<T>;
  until: number;
}

export class CachedOfferStore implements OfferRankingReads {
  private catalogueHeld: Held<CatalogueOffer[]> | null = null;
  private similarHeld: Promise<Map<string, SimilarReaders>> | null = null;

  constructor(
    private readonly inner: OfferStore,
    private readonly clockMs: () => number = Date.now,
  ) {}

  async create(offer: OfferFields, by: string, at: Instant): Promise<Offer> {
    this.catalogueHeld = null;
    return this.inner.create(offer, by, at);
  }

  async update(id: number, offer: OfferFields, at: Instant): Promise<Offer> {
    this.catalogueHeld = null;
    return this.inner.update(id, offer, at);
  }

  get(id: number): Promise<Offer | null> {
    return this.inner.get(id);
  }

  catalogue(at: Instant): Promise<CatalogueOffer[]> {
    return this.inner.catalogue(at);
  }

  recordOutcomes(outcomes: readonly OfferOutcome[], recordedAt: Instant): Promise<void> {
    return this.inner.recordOutcomes(outcomes, recordedAt);
  }

  customerReads(customerId: CustomerId, at: Instant): Promise<CustomerOfferReads> {
    return this.inner.customerReads(customerId, at);
  }

  similarReaders(at: Instant): Promise<Map<string, SimilarReaders>> {
    return this.inner.similarReaders(at);
  }

  batchReads(customerIds: readonly CustomerId[], at: Instant): ReturnType<OfferStore['batchReads']> {
    return this.inner.batchReads(customerIds, at);
  }

  recentCatalogue(at: Instant): Promise<CatalogueOffer[]> {
    this.catalogueHeld = this.held(this.catalogueHeld, CATALOGUE_SECONDS, () => this.inner.catalogue(at));
    return this.catalogueHeld.value;
  }

  recentSimilarReaders(at: Instant): Promise<Map<string, SimilarReaders>> {
    if (this.similarHeld === null) {
      const first = this.refreshSimilarReaders(at);
      this.similarHeld = first;
      // A failed first read is not kept: the next ranking tries again.
      first.catch(() => {
        if (this.similarHeld === first) this.similarHeld = null;
      });
    }
    return this.similarHeld;
  }

  /** Computes the similar-readers counts again; the counts held are served until the new ones are ready. */
  async refreshSimilarReaders(at: Instant): Promise<Map<string, SimilarReaders>> {
    const fresh = await this.inner.similarReaders(at);
    this.holdSimilarReaders(fresh);
    return fresh;
  }

  holdSimilarReaders(fresh: Map<string, SimilarReaders>): void {
    this.similarHeld = Promise.resolve(fresh);
  }

  /** The held value while it is fresh, else a new read (a failed read is not kept). */
  private held<T>(current: Held<T> | null, seconds: number, read: () => Promise<T>): Held<T> {
    const now = this.clockMs();
    if (current !== null && current.until > now) return current;
    const next: Held<T> = { value: read(), until: now + seconds * 1000 };
    next.value.catch(() => {
      if (next.until > 0) next.until = 0;
    });
    return next;
  }
}
