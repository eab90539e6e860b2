/**
 * Each recipient's best e-mail offer for a campaign's batch (the template's `offer.*`,
 * docs/templates.md), set-based: the batch's offer rows and orders in two statements, and per
 * offer of the catalogue one audience query for the marketing decision on e-mail with its product,
 * plus one for profiling. Per recipient the eligibility rules, then the ranking: predicted
 * acceptance × value with a reason where the recipient may be profiled, else the catalogue's
 * default order and no reason (compliance rule 12: a block personalised from derived data only
 * where profiling is allowed; the others get the non-personal default offer).
 */
import { ineligibility } from '../../core/offers/eligibility.ts';
import { explanationText, periodText, priceText } from '../../core/offers/offer.ts';
import type { CatalogueOffer, OfferRankingReads } from '../../core/offers/ports.ts';
import { byDefaultOrder, rankPersonal } from '../../core/offers/ranking.ts';
import { reasonParts, reasonText } from '../../core/offers/reasons.ts';
import type { Customer, CustomerId, Instant, Sku } from '../../core/records.ts';
import type { Verdict } from '../../core/evaluate.ts';
import type { OfferFill } from '../../templates/index.ts';
import { offerLanguageOf, predictedAcceptance } from './rank-offers.ts';

export interface BestOfferDeps {
  offers: OfferRankingReads;
  minGroup: number;
}

/** The decision for every customer of the batch for a purpose on e-mail (with a product for marketing): one set-based query. */
export type BatchVerdicts = (purpose: 'marketing' | 'profiling', sku: Sku | null) => Promise<Map<string, Verdict>>;

export interface BestOffer {
  offerId: number;
  fill: OfferFill;
}

/** By customer id: the recipient's best e-mail offer; a recipient with none is left out. */
export async function bestEmailOffers(deps: BestOfferDeps, verdicts: BatchVerdicts, customers: readonly Customer[], at: Instant): Promise<Map<string, BestOffer>> {
  // Only offers that may be made by e-mail now: the others need no decision.
  const offers = (await deps.offers.recentCatalogue(at)).filter((o) => o.channels.includes('email') && o.validFrom <= at && (o.validUntil === null || o.validUntil > at));
  const best = new Map<string, BestOffer>();
  if (offers.length === 0 || customers.length === 0) return best;
  const ids = customers.map((c) => c.id as CustomerId);
  const [reads, profiling, similar, marketing] = await Promise.all([
    deps.offers.batchReads(ids, at),
    verdicts('profiling', null),
    deps.offers.recentSimilarReaders(at),
    Promise.all(offers.map(async (o) => [o.id, await verdicts('marketing', o.sku)] as const)).then((pairs) => new Map(pairs)),
  ]);
  for (const customer of customers) {
    const facts = reads.get(customer.id);
    if (facts === undefined) continue;
    const allowed = offers.filter((o) => marketing.get(o.id)?.get(customer.id)?.allowed === true && ineligibility(o, 'email', facts, at).length === 0);
    if (allowed.length === 0) continue;
    const personal = profiling.get(customer.id)?.allowed === true;
    const chosen: CatalogueOffer | undefined = personal ? rankPersonal(allowed, predictedAcceptance(facts.propensity))[0]?.offer : [...allowed].sort(byDefaultOrder)[0];
    if (chosen === undefined) continue;
    const lang = offerLanguageOf(customer.locale);
    const reason = personal
      ? reasonText(
          reasonParts({
            orders: facts.orders.map((o) => ({ ...o, title: facts.titles.get(o.sku) ?? o.sku })),
            category: chosen.product.category,
            similar: similar.get(chosen.product.category),
            lift: facts.propensity.get(chosen.product.category) ?? null,
            measured: chosen.stats,
            minGroup: deps.minGroup,
            at,
          }),
          lang,
        )
      : null;
    best.set(customer.id, {
      offerId: chosen.id,
      fill: {
        code: chosen.code,
        name: chosen.name,
        price: priceText(chosen.priceCents, chosen.currency, lang),
        period: periodText(chosen.periodMonths, lang),
        explanation: explanationText(chosen, chosen.product.name, lang),
        reason,
      },
    });
  }
  return best;
}
