/**
 * The offers a new store starts with (`lupa demo`, and `lupa serve` on its first start), over the
 * demo catalogue's products, and a few weeks of outcomes for the first demo customers, so the
 * catalogue shows acceptance rates and a ranking has something to rank from the start.
 */
import type { OfferInput, OfferChannel, RecordedOutcome } from '../core/offers/offer.ts';
import type { OfferStore } from '../core/offers/ports.ts';
import { parseOffer } from '../core/offers/offer.ts';
import type { CustomerId, Instant } from '../core/records.ts';

const texts = (fi: string, sv: string, en: string) => ({ fi, sv, en });

export const DEMO_OFFERS: OfferInput[] = [
  {
    code: 'UV-DIGI-12', name: 'Uutisvirta Digi 12 kk', sku: 'UV-DIGI', priceCents: 9900, periodMonths: 12, channels: ['web', 'phone', 'email'], priority: 10,
    explanation: texts('{product} {period} hintaan {price}: uutiset aina mukana.', '{product} {period} för {price}: nyheterna alltid med.', '{product} for {period} at {price}: the news wherever you are.'),
  },
  {
    code: 'UV-PRINT-7-6', name: 'Uutisvirta 7 pv, 6 kk', sku: 'UV-PRINT-7', priceCents: 17400, periodMonths: 6, channels: ['phone', 'email'], priority: 20, minDaysSinceLastOffer: 30,
    explanation: texts('{product} {period} hintaan {price}, kotiin joka aamu.', '{product} {period} för {price}, hem varje morgon.', '{product} for {period} at {price}, at your door every morning.'),
  },
  {
    code: 'KP-DIGI-3', name: 'Kustposten Digital 3 mån', sku: 'KP-DIGI', priceCents: 2900, periodMonths: 3, channels: ['web', 'email'], priority: 30,
    explanation: texts('{product} {period} hintaan {price}.', '{product} {period} för {price}.', '{product} for {period} at {price}.'),
  },
  {
    code: 'KPH-MAG-12', name: 'Kotipiha 12 kk', sku: 'KPH-MAG', priceCents: 5900, periodMonths: 12, channels: ['web', 'phone', 'email'], priority: 40, minDaysSinceLastOffer: 14,
    explanation: texts('{product} {period} hintaan {price}: puutarha ja koti.', '{product} {period} för {price}: trädgård och hem.', '{product} for {period} at {price}: garden and home.'),
  },
  {
    code: 'ERA-WELCOME', name: 'Eräpolku tutustumistarjous', sku: 'ERA-MAG', priceCents: 1500, periodMonths: 3, channels: ['web', 'phone'], priority: 50, relationship: 'none',
    explanation: texts('Tutustu: {product} {period} hintaan {price}.', 'Bekanta dig: {product} {period} för {price}.', 'Get to know {product}: {period} at {price}.'),
  },
];

const DAY_MS = 86_400_000;

/**
 * Saves the demo offers that are not there yet (by code) and, for the first of them, outcomes of
 * the given customers over the last weeks before `at`: a pattern, not random, so every start shows
 * the same rates. Returns the codes saved.
 */
export async function saveDemoOffers(offers: OfferStore, customerIds: readonly CustomerId[], at: Instant): Promise<string[]> {
  const existing = new Set((await offers.catalogue(at)).map((o) => o.code));
  const validFrom = new Date(Date.parse(at) - 90 * DAY_MS).toISOString() as Instant;
  const saved: { id: number; code: string; channel: OfferChannel }[] = [];
  for (const input of DEMO_OFFERS) {
    if (existing.has(input.code as string)) continue;
    const created = await offers.create(parseOffer({ ...input, validFrom }, at), 'demo', at);
    saved.push({ id: created.id, code: created.code, channel: created.channels[0] as OfferChannel });
  }
  const outcomes = saved.flatMap((offer, k) =>
    customerIds.flatMap((customerId, i) => {
      if ((i + k) % 3 !== 0) return [];
      const shownAt = new Date(Date.parse(at) - (5 + ((i * 7 + k) % 40)) * DAY_MS).toISOString() as Instant;
      const answer: RecordedOutcome | null = (i + k) % 4 === 0 ? 'accepted' : (i + k) % 5 === 0 ? 'declined' : null;
      const base = { offerId: offer.id, customerId, channel: offer.channel, source: 'demo', campaignId: null };
      const shown = { ...base, outcome: 'shown' as const, at: shownAt };
      return answer === null ? [shown] : [shown, { ...base, outcome: answer, at: new Date(Date.parse(shownAt) + DAY_MS).toISOString() as Instant }];
    }),
  );
  await offers.recordOutcomes(outcomes, at);
  return saved.map((s) => s.code);
}
