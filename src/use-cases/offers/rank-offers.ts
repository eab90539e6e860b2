/**
 * Use case: the next best offer for one customer on one channel (`GET /v1/customers/{id}/offers`,
 * `lupa offers rank`, the agent's customer view). Reads the customer's decision records once and
 * their offer rows in one statement (the catalogue and the similar-readers counts come from the
 * store's short-lived cache), then per offer: the eligibility rules (core/offers/eligibility.ts)
 * and `decide` for marketing on the channel with the offer's product — an offer the decision does
 * not allow is not made. Where `decide` allows profiling: predicted acceptance × value with a
 * personal reason; otherwise the catalogue's non-personal order and no personal reason.
 */
import { decide, type Decision } from '../../core/decide.ts';
import { DomainError } from '../../core/errors.ts';
import { ineligibility, type IneligibleReason } from '../../core/offers/eligibility.ts';
import { explanationText, isOfferLanguage, priceText, type OfferChannel, type OfferLanguage } from '../../core/offers/offer.ts';
import type { CatalogueOffer, CustomerOfferReads, OfferRankingReads } from '../../core/offers/ports.ts';
import { byDefaultOrder, liftedAcceptance, offerValue, rankPersonal, smoothedAcceptance } from '../../core/offers/ranking.ts';
import { reasonParts, reasonText, type ReasonPart } from '../../core/offers/reasons.ts';
import type { DecisionRecords, DecisionRecordsStore } from '../../core/ports.ts';
import type { CustomerId, Instant } from '../../core/records.ts';
import type { DecisionSettings } from '../../core/settings.ts';
import type { Basis, BlockingReason } from '../../core/vocabulary.ts';

export interface RankDeps {
  decisionRecords: DecisionRecordsStore;
  offers: OfferRankingReads;
  settings: DecisionSettings;
  /** Group counts below this are not named in a reason (LUPA_MIN_GROUP_SIZE). */
  minGroup: number;
}

export interface RankInput {
  customerId: CustomerId;
  channel: OfferChannel;
  at: Instant;
  /** The language of the texts; default: the customer's, else Finnish. */
  lang?: OfferLanguage;
  /** Also return the offers not made, with why. */
  explain?: boolean;
}

export interface RankedOffer {
  rank: number;
  offerId: number;
  code: string;
  name: string;
  product: { sku: string; name: string; category: string };
  priceCents: number;
  currency: string;
  price: string;
  periodMonths: number;
  /** The offer's written explanation in `lang`. */
  explanation: string;
  /** Why this customer, in `lang`; null without profiling allowed or without facts to tell. */
  reason: string | null;
  reasonParts: ReasonPart[];
  /** Predicted acceptance 0–1 and where it came from; null in the non-personal order. */
  acceptance: number | null;
  acceptanceFrom: 'propensity' | 'acceptance_rate' | null;
  value: number;
  /** The basis the marketing decision rests on. */
  basis: Basis;
}

export interface NotMadeOffer {
  offerId: number;
  code: string;
  reasons: (IneligibleReason | BlockingReason)[];
}

export interface OfferRanking {
  customerId: CustomerId;
  channel: OfferChannel;
  asOf: Instant;
  lang: OfferLanguage;
  /** Ranked personally (profiling allowed) or in the catalogue's default order. */
  personal: boolean;
  offers: RankedOffer[];
  /** Only with `explain`: offers of the catalogue not made, with every reason. */
  notMade?: NotMadeOffer[];
}

/** The customer's language for offer texts: fi, sv or en from the locale, else Finnish. */
export function offerLanguageOf(locale: string | null): OfferLanguage {
  const lang = (locale ?? '').slice(0, 2).toLowerCase();
  return isOfferLanguage(lang) ? lang : 'fi';
}

/** @throws UNKNOWN_CUSTOMER (field `id`) */
export async function rankOffers(deps: RankDeps, input: RankInput): Promise<OfferRanking> {
  const { at, channel } = input;
  const [records, reads, catalogue] = await Promise.all([
    deps.decisionRecords.recordsFor(input.customerId, channel),
    deps.offers.customerReads(input.customerId, at),
    deps.offers.recentCatalogue(at),
  ]);
  if (records === null) throw new DomainError('UNKNOWN_CUSTOMER', `no customer with id ${input.customerId}`, { field: 'id' });
  const lang = input.lang ?? offerLanguageOf(records.customer.locale);
  const verdict = (purpose: 'marketing' | 'profiling', offer: CatalogueOffer | null): Decision =>
    decide({ ...records, product: offer?.product ?? null, purpose, channel, at, settings: deps.settings });
  const personal = verdict('profiling', null).allowed;

  const made: { offer: CatalogueOffer; basis: Basis }[] = [];
  const notMade: NotMadeOffer[] = [];
  const facts = { orders: records.orders, lastShown: reads.lastShown, lastAccepted: reads.lastAccepted, segmentIds: reads.segmentIds };
  for (const offer of catalogue) {
    const excluded = ineligibility(offer, channel, facts, at);
    // An offer not on this channel or not valid is no question for the decision.
    const decision = excluded.includes('OFFER_NOT_ON_CHANNEL') || excluded.includes('OFFER_NOT_VALID') ? null : verdict('marketing', offer);
    if (excluded.length === 0 && decision !== null && decision.allowed) made.push({ offer, basis: decision.basis });
    else notMade.push({ offerId: offer.id, code: offer.code, reasons: [...excluded, ...(decision === null || decision.allowed ? [] : decision.reasons)] });
  }

  const offers = personal ? await personalOrder(deps, records, reads, made, at, lang) : defaultOrder(made, lang);
  return { customerId: input.customerId, channel, asOf: at, lang, personal, offers, ...(input.explain === true ? { notMade } : {}) };
}

function baseView(offer: CatalogueOffer, basis: Basis, lang: OfferLanguage): Omit<RankedOffer, 'rank' | 'reason' | 'reasonParts' | 'acceptance' | 'acceptanceFrom' | 'value'> {
  return {
    offerId: offer.id,
    code: offer.code,
    name: offer.name,
    product: { sku: offer.product.sku, name: offer.product.name, category: offer.product.category },
    priceCents: offer.priceCents,
    currency: offer.currency,
    price: priceText(offer.priceCents, offer.currency, lang),
    periodMonths: offer.periodMonths,
    explanation: explanationText(offer, offer.product.name, lang),
    basis,
  };
}

function defaultOrder(made: { offer: CatalogueOffer; basis: Basis }[], lang: OfferLanguage): RankedOffer[] {
  return [...made]
    .sort((a, b) => byDefaultOrder(a.offer, b.offer))
    .map(({ offer, basis }, i) => ({ ...baseView(offer, basis, lang), rank: i + 1, reason: null, reasonParts: [], acceptance: null, acceptanceFrom: null, value: offerValue(offer) }));
}

/**
 * The offer's smoothed acceptance rate, raised or lowered by the customer's propensity lift for the
 * offer's category where a model scored them (liftedAcceptance: its odds times the lift, always
 * below 1): every offer's prediction is on the one scale of accepting an offer that is made, so an
 * offer whose category has a model is not ranked on a subscription probability against the
 * others' acceptance rates.
 */
export function predictedAcceptance(lift: ReadonlyMap<string, number>) {
  return (o: CatalogueOffer): { acceptance: number; acceptanceFrom: 'propensity' | 'acceptance_rate' } => {
    const rate = smoothedAcceptance(o.stats);
    const l = lift.get(o.product.category);
    return l === undefined ? { acceptance: rate, acceptanceFrom: 'acceptance_rate' } : { acceptance: liftedAcceptance(rate, l), acceptanceFrom: 'propensity' };
  };
}

async function personalOrder(
  deps: RankDeps,
  records: DecisionRecords,
  { propensity, titles }: Pick<CustomerOfferReads, 'propensity' | 'titles'>,
  made: { offer: CatalogueOffer; basis: Basis }[],
  at: Instant,
  lang: OfferLanguage,
): Promise<RankedOffer[]> {
  const similar = await deps.offers.recentSimilarReaders(at);
  const basisOf = new Map(made.map((m) => [m.offer.id, m.basis]));
  const orders = records.orders.map((o) => ({ ...o, title: titles.get(o.sku) ?? o.sku }));
  const scored = rankPersonal(
    made.map((m) => m.offer),
    predictedAcceptance(propensity),
  );
  return scored.map((s, i) => {
    const offer = s.offer;
    const parts = reasonParts({
      orders,
      category: offer.product.category,
      similar: similar.get(offer.product.category),
      lift: propensity.get(offer.product.category) ?? null,
      measured: offer.stats,
      minGroup: deps.minGroup,
      at,
    });
    return {
      ...baseView(offer, basisOf.get(offer.id) as Basis, lang),
      rank: i + 1,
      reason: reasonText(parts, lang),
      reasonParts: parts,
      acceptance: s.acceptance,
      acceptanceFrom: s.acceptanceFrom,
      value: s.value,
    };
  });
}
