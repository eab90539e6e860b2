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

  it('scales the rate by the lift and never passes 1', () => {
    const rate = predictedAcceptance(new Map())(offer('daily', 20, 70)).acceptance;
    expect(predictedAcceptance(new Map([['daily', 2]]))(offer('daily', 20, 70)).acceptance).toBeCloseTo(2 * rate, 10);
    expect(predictedAcceptance(new Map([['daily', 50]]))(offer('daily', 20, 70)).acceptance).toBe(1);
  });
});
