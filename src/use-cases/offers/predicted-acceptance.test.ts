/**
 * Predicted acceptance puts every offer on one scale: the offer's acceptance rate, adjusted by the
 * customer's propensity lift where a model scored them. A raw subscription probability (a few per
 * cent within N days) against other offers' acceptance rates (tens of per cent) would sink every
 * offer whose category has a model.
 */
import { describe, expect, it } from 'vitest';
import type { CatalogueOffer } from '../../core/offers/ports.ts';
import { predictedAcceptance } from './rank-offers.ts';

const offer = (category: string, accepted: number, declined: number): CatalogueOffer =>
  ({ product: { sku: category, name: category, category }, stats: { shown: accepted + declined, accepted, declined, ignored: 0 } }) as unknown as CatalogueOffer;

describe('predicted acceptance', () => {
  it('an average customer (lift 1) of a modelled category is predicted the offer’s own rate', () => {
    const predict = predictedAcceptance(new Map([['daily', 1]]));
    const modelled = predict(offer('daily', 20, 70));
    const unmodelled = predict(offer('magazine', 20, 70));
    expect(modelled.acceptance).toBeCloseTo(unmodelled.acceptance, 10);
    expect(modelled.acceptanceFrom).toBe('propensity');
    expect(unmodelled.acceptanceFrom).toBe('acceptance_rate');
  });

  it('multiplies the odds of the rate by the lift', () => {
    const rate = predictedAcceptance(new Map())(offer('daily', 20, 70)).acceptance;
    const odds = (p: number) => p / (1 - p);
    expect(odds(predictedAcceptance(new Map([['daily', 2]]))(offer('daily', 20, 70)).acceptance)).toBeCloseTo(2 * odds(rate), 10);
    expect(odds(predictedAcceptance(new Map([['daily', 0.5]]))(offer('daily', 20, 70)).acceptance)).toBeCloseTo(0.5 * odds(rate), 10);
    expect(predictedAcceptance(new Map([['daily', 0]]))(offer('daily', 20, 70)).acceptance).toBe(0);
  });

  it('never predicts an offer certain however large the lift, and keeps the offer accepted more often ahead', () => {
    const predict = predictedAcceptance(new Map([['daily', 40]]));
    const often = predict(offer('daily', 30, 60)).acceptance;
    const seldom = predict(offer('daily', 5, 85)).acceptance;
    // The rate times 40 is over 1 for both: capped at 1, both would read 100 % and tie.
    expect(often).toBeLessThan(1);
    expect(often).toBeGreaterThan(0.9);
    expect(seldom).toBeLessThan(often);
  });
});
