/**
 * The pure parts of offers: an offer's check names the wrong field; eligibility names every rule
 * that excludes; the ranking is acceptance × value with the default order breaking ties; a reason
 * says what the facts say, names no group smaller than the minimum, and reads in each language.
 */
import { describe, expect, it } from 'vitest';
import type { CustomerId, Instant, OrderId, OrderWithCategory, Sku } from '../records.ts';
import { acceptedUntil, ineligibility, relationshipAt } from './eligibility.ts';
import { explanationText, offerProblems, parseOffer, type Offer } from './offer.ts';
import { acceptanceRate, offerRankingModels, offerValue, rankPersonal, smoothedAcceptance } from './ranking.ts';
import { reasonParts, reasonText } from './reasons.ts';

const AT = '2026-06-01T00:00:00.000Z' as Instant;
const explanation = { fi: '{product} {period} hintaan {price}', sv: '{product} {period} för {price}', en: '{product} for {period} at {price}' };

function offer(more: Partial<Offer> = {}): Offer {
  const fields = parseOffer({ code: 'X', name: 'X', sku: 'MAG', priceCents: 1000, periodMonths: 6, channels: ['web', 'phone'], validFrom: '2026-01-01T00:00:00Z', explanation }, AT);
  return { ...fields, id: 1, createdAt: AT, createdBy: 't', updatedAt: AT, ...more };
}

function order(sku: string, category: string, startedAt: string, endedAt: string | null): OrderWithCategory & { title: string } {
  return { id: `${sku}-${startedAt}` as OrderId, customerId: 'C' as CustomerId, sku: sku as Sku, category, startedAt: startedAt as Instant, endedAt: endedAt as Instant | null, soldVia: 'web', optOutOffered: true, title: `Title ${sku}` };
}

describe('an offer as given', () => {
  it('names the first wrong field and fills the defaults', () => {
    expect(() => parseOffer({ code: 'bad code', name: 'x', sku: 'MAG', priceCents: 1, periodMonths: 1, channels: ['web'], explanation }, AT)).toThrow(expect.objectContaining({ field: 'code' }));
    expect(() => parseOffer({ code: 'A', name: 'x', sku: 'MAG', priceCents: 1.5, periodMonths: 1, channels: ['web'], explanation }, AT)).toThrow(expect.objectContaining({ field: 'priceCents' }));
    expect(() => parseOffer({ code: 'A', name: 'x', sku: 'MAG', priceCents: 1, periodMonths: 1, channels: ['web'], explanation, validUntil: '2025-01-01' }, AT)).toThrow(expect.objectContaining({ field: 'validUntil' }));
    const ok = parseOffer({ code: 'A', name: 'x', sku: 'MAG', priceCents: 1290, periodMonths: 1, channels: ['web', 'web'], explanation }, AT);
    expect(ok).toMatchObject({ currency: 'EUR', validFrom: AT, validUntil: null, channels: ['web'], priority: 100, eligibility: { excludeSubscribed: true, relationship: 'any', minDaysSinceLastOffer: 0, segmentId: null } });
    expect(explanationText(ok, 'Kotilehti', 'fi')).toBe('Kotilehti 1 kuukausi hintaan 12,90 €');
    expect(explanationText({ ...ok, periodMonths: 3 }, 'Hemmavid', 'sv')).toBe('Hemmavid 3 månader för 12,90 €');
  });

  it('finds every wrong field at once, by the same rules, and none in an offer parseOffer accepts', () => {
    const problems = offerProblems({ code: 'bad code', name: ' ', sku: 'MAG', priceCents: null, periodMonths: 0, channels: [], explanation: { fi: 'Hinta {prize}', sv: '', en: 'ok' }, validUntil: '2025-01-01' }, AT);
    expect(problems.map((p) => p.field)).toEqual(['channels', 'validUntil', 'code', 'name', 'priceCents', 'periodMonths', 'explanation.fi', 'explanation.sv']);
    expect(problems[6]?.message).toContain('{prize}');
    // The first of them is the one parseOffer names.
    expect(() => parseOffer({ code: 'bad code', name: ' ', sku: 'MAG', priceCents: null, periodMonths: 0, channels: [], explanation }, AT)).toThrow(expect.objectContaining({ field: 'channels' }));
    expect(offerProblems({ code: 'A', name: 'x', sku: 'MAG', priceCents: 1290, periodMonths: 1, channels: ['web'], explanation }, AT)).toEqual([]);
    expect(offerProblems({ code: 'A', name: 'x', sku: 'MAG', priceCents: 1290, periodMonths: 1, channels: ['web'] }, AT).map((p) => p.field)).toEqual(['explanation']);
  });

  it('reads a day without a time as a Finnish day: valid from its start, until its end', () => {
    const winter = parseOffer({ code: 'A', name: 'x', sku: 'MAG', priceCents: 1, periodMonths: 1, channels: ['web'], explanation, validFrom: '2027-02-01', validUntil: '2027-02-28' }, AT);
    expect(winter).toMatchObject({ validFrom: '2027-01-31T22:00:00.000Z', validUntil: '2027-02-28T22:00:00.000Z' });
    // Summer time: Helsinki is three hours ahead.
    expect(parseOffer({ code: 'A', name: 'x', sku: 'MAG', priceCents: 1, periodMonths: 1, channels: ['web'], explanation, validFrom: '2027-06-01', validUntil: '2027-06-30' }, AT)).toMatchObject({ validFrom: '2027-05-31T21:00:00.000Z', validUntil: '2027-06-30T21:00:00.000Z' });
    // An instant stays the instant given.
    expect(parseOffer({ code: 'A', name: 'x', sku: 'MAG', priceCents: 1, periodMonths: 1, channels: ['web'], explanation, validFrom: '2027-02-01T10:00:00Z' }, AT).validFrom).toBe('2027-02-01T10:00:00.000Z');
    expect(() => parseOffer({ code: 'A', name: 'x', sku: 'MAG', priceCents: 1, periodMonths: 1, channels: ['web'], explanation, validUntil: '2027-02-30' }, AT)).toThrow(expect.objectContaining({ field: 'validUntil' }));
  });

  it('refuses a placeholder it would not fill, naming the language', () => {
    const misspelt = { ...explanation, sv: '{product} för {prize}' };
    expect(() => parseOffer({ code: 'A', name: 'x', sku: 'MAG', priceCents: 1, periodMonths: 1, channels: ['web'], explanation: misspelt }, AT)).toThrow(
      expect.objectContaining({ field: 'explanation.sv', message: expect.stringContaining('{prize}') }),
    );
    // Braces that are not a placeholder's shape ("{ }" with no name) are refused alike; plain text is fine.
    expect(() => parseOffer({ code: 'A', name: 'x', sku: 'MAG', priceCents: 1, periodMonths: 1, channels: ['web'], explanation: { ...explanation, en: 'at {}' } }, AT)).toThrow(expect.objectContaining({ field: 'explanation.en' }));
    expect(parseOffer({ code: 'A', name: 'x', sku: 'MAG', priceCents: 1, periodMonths: 1, channels: ['web'], explanation: { ...explanation, en: 'Just {price}!' } }, AT).explanation.en).toBe('Just {price}!');
  });
});

describe('eligibility', () => {
  const facts = (orders: OrderWithCategory[], more: { lastShown?: Map<number, Instant>; lastAccepted?: Map<number, Instant>; segmentIds?: Set<number> } = {}) => ({
    orders,
    lastShown: more.lastShown ?? new Map(),
    lastAccepted: more.lastAccepted ?? new Map(),
    segmentIds: more.segmentIds ?? new Set<number>(),
  });

  it('excludes a subscriber but not a reader on trial, and names every rule', () => {
    expect(ineligibility(offer(), 'web', facts([order('MAG', 'm', '2026-01-01T00:00:00.000Z', null)]), AT)).toEqual(['ALREADY_SUBSCRIBED']);
    expect(ineligibility(offer(), 'web', facts([order('MAG', 'm', '2026-05-20T00:00:00.000Z', '2026-06-19T00:00:00.000Z')]), AT)).toEqual([]);
    const all = offer({ channels: ['email'], validUntil: '2026-05-01T00:00:00.000Z' as Instant, eligibility: { segmentId: 3, excludeSubscribed: true, minDaysSinceLastOffer: 10, relationship: 'none' } });
    const f = facts([order('MAG', 'm', '2026-01-01T00:00:00.000Z', null)], { lastShown: new Map([[1, '2026-05-25T00:00:00.000Z' as Instant]]) });
    expect(ineligibility(all, 'web', f, AT)).toEqual(['OFFER_NOT_VALID', 'OFFER_NOT_ON_CHANNEL', 'ALREADY_SUBSCRIBED', 'OFFERED_RECENTLY', 'NOT_IN_SEGMENT', 'RELATIONSHIP']);
    // Eleven days after the last showing, a ten-day minimum has passed.
    const later = '2026-06-05T00:00:00.000Z' as Instant;
    expect(ineligibility(offer({ eligibility: { segmentId: 3, excludeSubscribed: false, minDaysSinceLastOffer: 10, relationship: 'any' } }), 'web', { ...f, segmentIds: new Set([3]) }, later)).toEqual([]);
  });

  it('does not make an offer the customer accepted again for its period after the acceptance (ACCEPTED_RECENTLY)', () => {
    // A 12-month offer accepted on 2026-01-31: not again until 2027-01-31, whatever order the acceptance led to.
    const yearly = offer({ periodMonths: 12 });
    const f = facts([], { lastAccepted: new Map([[1, '2026-01-31T10:00:00.000Z' as Instant]]) });
    expect(ineligibility(yearly, 'web', f, AT)).toEqual(['ACCEPTED_RECENTLY']);
    expect(ineligibility(yearly, 'web', f, '2027-01-31T09:59:59.000Z' as Instant)).toEqual(['ACCEPTED_RECENTLY']);
    expect(ineligibility(yearly, 'web', f, '2027-01-31T10:00:00.000Z' as Instant)).toEqual([]);
    // A one-month period from 31 January ends on the last day of February.
    expect(acceptedUntil('2026-01-31T10:00:00.000Z' as Instant, 1)).toBe('2026-02-28T10:00:00.000Z');
    // Another offer's acceptance does not keep this one out.
    expect(ineligibility(offer({ id: 2 }), 'web', f, AT)).toEqual([]);
  });

  it('tells the relationship from the orders as of the time', () => {
    expect(relationshipAt([], AT)).toBe('none');
    expect(relationshipAt([order('A', 'm', '2026-07-01T00:00:00.000Z', null)], AT)).toBe('none');
    expect(relationshipAt([order('A', 'm', '2025-01-01T00:00:00.000Z', '2025-06-01T00:00:00.000Z')], AT)).toBe('former');
    expect(relationshipAt([order('A', 'm', '2025-01-01T00:00:00.000Z', null)], AT)).toBe('active');
  });
});

describe('ranking and reasons', () => {
  it('orders by acceptance × value, ties by priority then code; smooths a new offer towards 10 %', () => {
    expect(smoothedAcceptance({ accepted: 0, declined: 0, ignored: 0 })).toBeCloseTo(0.1);
    expect(smoothedAcceptance({ accepted: 45, declined: 30, ignored: 15 })).toBeCloseTo(0.46);
    // The price is for the whole period: 59 € for 12 months is worth 59, not 708.
    expect(offerValue({ valueWeight: null, priceCents: 5900 })).toBe(59);
    // Showings still waiting for an answer count on neither side.
    expect(acceptanceRate({ accepted: 1, declined: 1, ignored: 0 })).toBe(0.5);
    const a = offer({ id: 1, code: 'A', valueWeight: 100, priority: 5 });
    const b = offer({ id: 2, code: 'B', valueWeight: 300, priority: 1 });
    const c = offer({ id: 3, code: 'C', valueWeight: 100, priority: 1 });
    const ranked = rankPersonal([a, b, c], (o) => ({ acceptance: o.code === 'B' ? 0.1 : 0.2, acceptanceFrom: 'acceptance_rate' }));
    expect(ranked.map((r) => r.offer.code)).toEqual(['B', 'C', 'A']);
    expect(ranked.map((r) => r.score)).toEqual([expect.closeTo(30), expect.closeTo(20), expect.closeTo(20)]);
  });

  it('ranks by the latest propensity model of each category whose scores were computed', () => {
    const model = (id: number, kind: 'propensity' | 'churn', category: string | null, scoredAt: string | null) => ({ id, kind, category, scoredAt });
    const models = [
      model(6, 'propensity', 'daily', null),
      model(5, 'churn', 'daily', AT),
      model(4, 'propensity', 'daily', AT),
      model(3, 'propensity', 'daily', AT),
      model(2, 'propensity', 'magazine_home', AT),
      model(1, 'churn', null, AT),
    ];
    // 6 has no scores yet and churn predicts no acceptance: 4 for daily papers, 2 for home magazines.
    expect([...offerRankingModels(models)].sort()).toEqual([2, 4]);
    expect(offerRankingModels([])).toEqual(new Set());
  });

  it('says a trial and how similar readers went on, naming no small group', () => {
    const orders = [order('MAG', 'm', '2026-05-20T00:00:00.000Z', '2026-06-19T00:00:00.000Z')];
    const base = { orders, category: 'm', lift: null, measured: { shown: 0, accepted: 0 }, minGroup: 5, at: AT };
    const parts = reasonParts({ ...base, similar: { tried: 4, subscribed: 3 } });
    expect(reasonText(parts, 'en')).toBe('reads Title MAG on trial');
    const more = reasonParts({ ...base, similar: { tried: 20, subscribed: 6 }, lift: 2.34 });
    expect(reasonText(more, 'en')).toBe('reads Title MAG on trial; 6 of 20 readers who tried a title of this kind subscribed; 2.3 times as likely as the average customer to subscribe to a title of this kind');
    expect(reasonText(more, 'sv')).toContain('läser Title MAG på prov');
    expect(reasonText(more, 'fi')).toContain('2,3 kertaa');
    // An average or lower lift is no reason to give.
    expect(reasonParts({ ...base, similar: undefined, lift: 0.4 }).map((p) => p.code)).toEqual(['ON_TRIAL']);
    expect(reasonText(more, 'fi')).toContain('lukee kokeilujaksolla: Title MAG');
    expect(reasonText(reasonParts({ ...base, orders: [], similar: undefined }), 'en')).toBeNull();
  });

  it('tells a trial the customer went on from as the subscription it became, never as "tried"', () => {
    const base = { category: 'm', similar: { tried: 20, subscribed: 6 }, lift: null, measured: { shown: 0, accepted: 0 }, minGroup: 5, at: AT };
    const trial = order('MAG', 'm', '2025-01-01T00:00:00.000Z', '2025-02-01T00:00:00.000Z');
    // The trial, then a paid subscription of the same title from its end, running now.
    const paying = reasonParts({ ...base, orders: [trial, order('MAG', 'm', '2025-02-01T00:00:00.000Z', null)] });
    expect(paying).toEqual([{ code: 'READS_CATEGORY', title: 'Title MAG' }]);
    expect(reasonText(paying, 'en')).toBe('reads Title MAG');
    expect(reasonText(paying, 'fi')).toBe('lukee: Title MAG');
    expect(reasonText(paying, 'sv')).toBe('läser Title MAG');
    // The subscription it became has ended since.
    const former = reasonParts({ ...base, orders: [trial, order('MAG', 'm', '2025-02-10T00:00:00.000Z', '2026-03-01T00:00:00.000Z')] });
    expect(former).toEqual([{ code: 'SUBSCRIBED_BEFORE', title: 'Title MAG' }]);
    // A trial of another title is still a trial, beside the subscription of this one.
    const other = reasonParts({ ...base, orders: [order('OTHER', 'm', '2026-01-01T00:00:00.000Z', '2026-02-01T00:00:00.000Z'), trial, order('MAG', 'm', '2025-02-01T00:00:00.000Z', null)] });
    expect(other.map((p) => [p.code, 'title' in p ? p.title : null])).toEqual([['TRIED', 'Title OTHER'], ['SIMILAR_READERS', null]]);
    // A trial not followed by a subscription is what it was.
    expect(reasonParts({ ...base, orders: [trial] }).map((p) => p.code)).toEqual(['TRIED', 'SIMILAR_READERS']);
  });
});
