/**
 * What a ranking reads from memory: the catalogue for at most CATALOGUE_SECONDS and dropped by a
 * write through the store; the similar-readers counts computed once, then only by a refresh (never
 * again inside a request), and a failed first read not kept.
 */
import { describe, expect, it } from 'vitest';
import type { OfferStore } from '../../core/offers/ports.ts';
import type { Instant } from '../../core/records.ts';
import { CachedOfferStore, CATALOGUE_SECONDS } from './cached-offer-store.ts';

const AT = '2026-06-01T00:00:00.000Z' as Instant;

function counting() {
  const calls = { catalogue: 0, similar: 0 };
  let failSimilar = false;
  const inner = {
    catalogue: async () => (calls.catalogue++, []),
    similarReaders: async () => {
      calls.similar++;
      if (failSimilar) throw new Error('store down');
      return new Map([['daily', { tried: calls.similar, subscribed: 0 }]]);
    },
    create: async () => ({}) as never,
  } as unknown as OfferStore;
  return { inner, calls, fail: (v: boolean) => (failSimilar = v) };
}

describe('the cached offer reads', () => {
  it('reads the catalogue again after CATALOGUE_SECONDS, or at once after a write', async () => {
    let now = 0;
    const { inner, calls } = counting();
    const store = new CachedOfferStore(inner, () => now);
    await store.recentCatalogue(AT);
    await store.recentCatalogue(AT);
    expect(calls.catalogue).toBe(1);
    now += CATALOGUE_SECONDS * 1000 + 1;
    await store.recentCatalogue(AT);
    expect(calls.catalogue).toBe(2);
    await store.create({} as never, 'x', AT);
    await store.recentCatalogue(AT);
    expect(calls.catalogue).toBe(3);
  });

  it('computes the similar readers once, then only when refreshed; a failed first read is tried again', async () => {
    const { inner, calls, fail } = counting();
    fail(true);
    const store = new CachedOfferStore(inner, () => 0);
    await expect(store.recentSimilarReaders(AT)).rejects.toThrow('store down');
    fail(false);
    expect((await store.recentSimilarReaders(AT)).get('daily')?.tried).toBe(2);
    await store.recentSimilarReaders(AT);
    expect(calls.similar).toBe(2);
    await store.refreshSimilarReaders(AT);
    expect((await store.recentSimilarReaders(AT)).get('daily')?.tried).toBe(3);
  });
});
