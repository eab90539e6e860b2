/**
 * The rules of a phone sale (compliance.md §3b): which calls carry a sale and which exception
 * applies, the terms the written offer must state truthfully, when a pending sale lapses, the
 * order it becomes, and the written offer's text in fi/sv/en.
 */
import { describe, expect, it } from 'vitest';
import type { CustomerId, Instant, Sku } from '../records.ts';
import { acceptDeadline, orderOfSale, requireSaleCall, requireSaleTerms, saleStateAt, type SaleTerms } from './phone-sale.ts';
import { termLines, writtenOffer } from './written-offer.ts';

const at = (s: string) => s as Instant;
const TERMS: SaleTerms = { sku: 'HS-DIGI' as Sku, productName: 'Päivälehti digi', offerId: null, offerCode: null, kind: 'continuous', periodMonths: 3, priceCents: 990, currency: 'EUR', regularMonthlyCents: 2990 };
const SALE_CALL = { id: 5, purpose: 'telesales', outcome: 'sale', direction: 'outbound', customerId: 'C1' as CustomerId } as const;

describe('a phone sale', () => {
  it('is made only on a telesales call that ended in a sale', () => {
    expect(() => requireSaleCall({ ...SALE_CALL, outcome: 'reached' }, { basis: 'written_acceptance', requestEvidence: null })).toThrow(expect.objectContaining({ code: 'PHONE_SALE_STATE' }));
    expect(() => requireSaleCall({ ...SALE_CALL, purpose: 'service' }, { basis: 'written_acceptance', requestEvidence: null })).toThrow(expect.objectContaining({ code: 'PHONE_SALE_STATE' }));
    expect(() => requireSaleCall(SALE_CALL, { basis: 'written_acceptance', requestEvidence: null })).not.toThrow();
  });

  it('takes the inbound-call exception only on an inbound call, and the requested-call one only with its evidence', () => {
    expect(() => requireSaleCall(SALE_CALL, { basis: 'inbound_call', requestEvidence: null })).toThrow(expect.objectContaining({ code: 'PHONE_SALE_STATE', field: 'basis' }));
    expect(() => requireSaleCall({ ...SALE_CALL, direction: 'inbound' }, { basis: 'inbound_call', requestEvidence: null })).not.toThrow();
    expect(() => requireSaleCall(SALE_CALL, { basis: 'requested_call', requestEvidence: '  ' })).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED', field: 'requestEvidence' }));
    expect(() => requireSaleCall(SALE_CALL, { basis: 'requested_call', requestEvidence: 'web form 9.3.2026' })).not.toThrow();
  });

  it('states the price after the introductory period of a continuous subscription, and none for a fixed term', () => {
    expect(() => requireSaleTerms({ ...TERMS, regularMonthlyCents: null })).toThrow(expect.objectContaining({ field: 'regularMonthlyCents' }));
    expect(() => requireSaleTerms({ ...TERMS, kind: 'fixed_term' })).toThrow(expect.objectContaining({ field: 'regularMonthlyCents' }));
    expect(() => requireSaleTerms({ ...TERMS, kind: 'fixed_term', regularMonthlyCents: null })).not.toThrow();
  });

  it('lapses at the end of its acceptance time, whether or not the lapse has been stored', () => {
    const acceptBy = acceptDeadline(at('2026-03-10T08:00:00.000Z'), 14);
    expect(acceptBy).toBe('2026-03-24T08:00:00.000Z');
    expect(saleStateAt({ state: 'pending', acceptBy }, at('2026-03-24T07:59:59.999Z'))).toBe('pending');
    expect(saleStateAt({ state: 'pending', acceptBy }, acceptBy)).toBe('lapsed');
    expect(saleStateAt({ state: 'accepted', acceptBy }, at('2027-01-01T00:00:00.000Z'))).toBe('accepted');
  });

  it('becomes an order that starts on acceptance: a fixed term ends after its period, a continuous one runs on', () => {
    const sale = { id: 7, customerId: 'C1' as CustomerId, terms: TERMS };
    expect(orderOfSale(sale, at('2026-01-31T10:00:00.000Z'))).toEqual({ id: 'phone-sale-7', customerId: 'C1', sku: 'HS-DIGI', startedAt: '2026-01-31T10:00:00.000Z', endedAt: null, soldVia: 'telesales', optOutOffered: false });
    expect(orderOfSale({ ...sale, terms: { ...TERMS, kind: 'fixed_term', periodMonths: 1, regularMonthlyCents: null } }, at('2026-01-31T10:00:00.000Z')).endedAt).toBe('2026-02-28T10:00:00.000Z');
  });
});

describe('the written offer', () => {
  const sale = { terms: TERMS, acceptBy: at('2026-03-24T08:00:00.000Z') };

  it('states every term the law asks for, in the customer’s language, with the acceptance link and its deadline', () => {
    const fi = writtenOffer(sale, { locale: 'fi', seller: 'Lupa Media', acceptUrl: 'https://lupa.test/s/abc' });
    for (const term of ['Päivälehti digi', '9,90', '3 kk', 'Kestotilaus', '29,90', 'Irtisanominen', 'peruuttamisoikeus', '24.3.2026', 'Lupa Media', 'https://lupa.test/s/abc', 'ei synny']) expect(fi.text).toContain(term);
    expect(writtenOffer(sale, { locale: 'sv', seller: 'Lupa', acceptUrl: 'https://x/s/a' }).text).toContain('Fortlöpande');
    expect(writtenOffer(sale, { locale: 'en', seller: 'Lupa', acceptUrl: 'https://x/s/a' }).text).toContain('€29.90 a month');
  });

  it('confirms a sale bound under an exception without a link to accept', () => {
    const bound = writtenOffer(sale, { locale: 'en', seller: 'Lupa', acceptUrl: null });
    expect(bound.subject).toContain('order confirmation');
    expect(bound.text).not.toContain('Accept the offer');
    expect(termLines({ ...TERMS, kind: 'fixed_term', regularMonthlyCents: null }, 'en')).toContain('A fixed-term subscription needs no cancelling.');
  });
});
