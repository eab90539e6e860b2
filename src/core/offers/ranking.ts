/**
 * The next best offer's order (docs/segments-and-predictions.md, "Offers"). Where the customer may
 * be profiled: predicted acceptance × value, highest first; the prediction is the offer's measured
 * acceptance rate, smoothed towards a prior so a new offer is not ranked on two showings, and
 * raised or lowered by the customer's propensity lift for the product's category where a trained
 * model scored them. Where profiling is not allowed: the catalogue's non-personal order (priority,
 * then code).
 */
import type { PredictionModel } from '../predictions/model.ts';
import type { Offer, OfferStats } from './offer.ts';

/** The prior acceptance rate a new offer starts from, and how many showings it weighs. */
export const PRIOR_RATE = 0.1;
export const PRIOR_WEIGHT = 10;

/**
 * The showings that have an outcome: answered (accepted, declined) or ignored (no answer within
 * IGNORED_AFTER_DAYS). A showing still inside that window counts for neither side yet, so a
 * campaign that has just shown an offer to many does not lower its rate at once.
 */
function decided(stats: Pick<OfferStats, 'accepted' | 'declined' | 'ignored'>): number {
  return stats.accepted + stats.declined + stats.ignored;
}

/** accepted / decided showings, smoothed: (accepted + PRIOR_RATE × PRIOR_WEIGHT) / (decided + PRIOR_WEIGHT). */
export function smoothedAcceptance(stats: Pick<OfferStats, 'accepted' | 'declined' | 'ignored'>): number {
  return (stats.accepted + PRIOR_RATE * PRIOR_WEIGHT) / (decided(stats) + PRIOR_WEIGHT);
}

/**
 * An acceptance rate for a customer `lift` times as likely as the average one: the rate's odds
 * times the lift, r·L / (1 − r + r·L). The same rate at lift 1; below 1 however large the lift, so
 * no offer is ever predicted certain, and of two offers with the same lift the one accepted more
 * often stays ahead. (The rate times the lift, capped at 1, read 100 % for every lift above 1/r
 * and then ranked those offers on their value alone.)
 */
export function liftedAcceptance(rate: number, lift: number): number {
  const lifted = rate * lift;
  return lifted === 0 ? 0 : lifted / (1 - rate + lifted);
}

/** accepted / decided showings as measured; null before any showing was decided. */
export function acceptanceRate(stats: Pick<OfferStats, 'accepted' | 'declined' | 'ignored'>): number | null {
  const n = decided(stats);
  return n === 0 ? null : stats.accepted / n;
}

/** The offer's value in the currency's units: its value weight, or its price (which is for the whole period). */
export function offerValue(offer: Pick<Offer, 'valueWeight' | 'priceCents'>): number {
  return offer.valueWeight ?? offer.priceCents / 100;
}

export interface Scored<T extends Offer = Offer> {
  offer: T;
  /** Predicted acceptance, 0–1. */
  acceptance: number;
  /** Where `acceptance` came from. */
  acceptanceFrom: 'propensity' | 'acceptance_rate';
  value: number;
  score: number;
}

/** Personal order: score = acceptance × value, highest first; ties by priority, then code. */
export function rankPersonal<T extends Offer>(offers: readonly T[], acceptanceOf: (o: T) => Pick<Scored, 'acceptance' | 'acceptanceFrom'>): Scored<T>[] {
  return offers
    .map((offer) => {
      const a = acceptanceOf(offer);
      const value = offerValue(offer);
      return { offer, ...a, value, score: a.acceptance * value };
    })
    .sort((x, y) => y.score - x.score || byDefaultOrder(x.offer, y.offer));
}

/** The non-personal default order: priority (lower first), then code. */
export function byDefaultOrder(a: Pick<Offer, 'priority' | 'code'>, b: Pick<Offer, 'priority' | 'code'>): number {
  return a.priority - b.priority || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);
}

/**
 * The models whose scores rank offers: per product category, the latest propensity model of it
 * whose scores were computed. A customer's lift for a category is read from the latest such model
 * that scored them (sql-offer-store.ts), which is this one for everyone it scored.
 */
export function offerRankingModels(models: readonly Pick<PredictionModel, 'id' | 'kind' | 'category' | 'scoredAt'>[]): Set<number> {
  const latest = new Map<string, number>();
  for (const m of models) {
    if (m.kind !== 'propensity' || m.category === null || m.scoredAt === null) continue;
    latest.set(m.category, Math.max(m.id, latest.get(m.category) ?? 0));
  }
  return new Set(latest.values());
}
