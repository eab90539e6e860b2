/**
 * A ranking as the caller's role may see it, as src/http/decision-view.ts does for a decision: a
 * role that may not read a customer's data (`customers.read` and `customers.orders`: the marketer)
 * gets no reason that tells what the customer's records hold (docs/segments-and-predictions.md#over-the-api):
 *
 * - offers not made: ALREADY_SUBSCRIBED, ACCEPTED_RECENTLY, NOT_IN_SEGMENT and RELATIONSHIP become
 *   one NOT_ELIGIBLE (core/offers/eligibility.ts `CUSTOMER_RECORD_REASONS`); the decision's own
 *   reason codes stay, as `GET /v1/decide` gives them to the same role;
 * - offers made: the reason keeps only the parts about the offer (core/offers/reasons.ts
 *   `CUSTOMER_RECORD_PARTS`), and an acceptance raised or lowered by the customer's propensity lift
 *   is not given (it would tell the lift).
 *
 * What was left out is named in `withheld`, so that an absent reason is not read as "there is none".
 * Used by every answer that carries a ranking; the CLI is the operator's, with the database, and
 * shows it whole.
 */
import { can, type Role } from '../../core/access.ts';
import { CUSTOMER_RECORD_REASONS, NOT_ELIGIBLE } from '../../core/offers/eligibility.ts';
import { CUSTOMER_RECORD_PARTS, reasonText } from '../../core/offers/reasons.ts';
import type { NotMadeOffer, OfferRanking, RankedOffer } from './rank-offers.ts';

/** What a role is not told of a ranking: `customerRecords`, the reasons and parts above. */
export type RankingWithheld = 'customerRecords';

export type ShownNotMade = Omit<NotMadeOffer, 'reasons'> & { reasons: (NotMadeOffer['reasons'][number] | typeof NOT_ELIGIBLE)[] };
export type ShownRanking = Omit<OfferRanking, 'notMade'> & { notMade?: ShownNotMade[]; withheld: RankingWithheld[] };

export function mayReadCustomerRecords(role: Role): boolean {
  return can(role, 'customers.read') && can(role, 'customers.orders');
}

export function rankingFor(role: Role, ranking: OfferRanking): ShownRanking {
  if (mayReadCustomerRecords(role)) return { ...ranking, withheld: [] };
  const offers = ranking.offers.map((o): RankedOffer => {
    const parts = o.reasonParts.filter((p) => !CUSTOMER_RECORD_PARTS.includes(p.code));
    const fromLift = o.acceptanceFrom === 'propensity';
    return { ...o, reasonParts: parts, reason: reasonText(parts, ranking.lang), acceptance: fromLift ? null : o.acceptance, acceptanceFrom: fromLift ? null : o.acceptanceFrom };
  });
  const shown: ShownRanking = { ...ranking, offers, withheld: ['customerRecords'] };
  if (ranking.notMade !== undefined) {
    // Each such reason said as NOT_ELIGIBLE, once, where the first of them stood.
    shown.notMade = ranking.notMade.map((n) => ({ ...n, reasons: [...new Set(n.reasons.map((r) => ((CUSTOMER_RECORD_REASONS as readonly string[]).includes(r) ? NOT_ELIGIBLE : r)))] }));
  }
  return shown;
}
