/**
 * The tally finds each row's customer whatever order the store gives ids in (its own collation,
 * not JS string order) and rows in, and leaves out who is not admitted or not known.
 */
import { describe, expect, it } from 'vitest';
import { FeatureTally, ORDER_BITS } from './feature-tally.ts';

const AT = Date.parse('2026-07-01T00:00:00.000Z');
const DAY = 86_400_000;
const products: [string, string][] = [
  ['S1', 'daily'],
  ['S2', 'weekly'],
];
const spec = { kind: 'propensity' as const, category: 'daily', horizonDays: 90 };

function tally(ids: string[], admitted: number[]): FeatureTally {
  return new FeatureTally(ids, Uint8Array.from(admitted), products, spec, ['daily', 'weekly'], ['sport']);
}

describe('FeatureTally', () => {
  it('puts each order on its customer when the ids are not in JS string order and the rows come in any order', () => {
    // A case-insensitive collation's order: 'a' < 'B' < 'c' (JS: 'B' < 'a' < 'c'), with customers
    // between them (not admitted here), so that a row's customer is not next to the last one's.
    const between = (prefix: string): string[] => Array.from({ length: 12 }, (_, k) => `${prefix}${String(k).padStart(2, '0')}`);
    const ids = ['a', ...between('a'), 'B', ...between('b'), 'c', ...between('c'), 'd'];
    const t = tally(ids, ids.map((id) => (['a', 'B', 'c'].includes(id) ? 1 : 0)));
    t.addOrder('c', 'S1', 'web', AT - 10 * DAY, ORDER_BITS.running);
    t.addOrder('a', 'S2', 'telesales', AT - 100 * DAY, 0);
    t.addOrder('d', 'S1', 'web', AT - 1 * DAY, ORDER_BITS.running);
    t.addOrder('c', 'S2', 'web', AT - 40 * DAY, 0);
    t.addOrder('B', 'S1', 'event', AT - 5 * DAY, ORDER_BITS.trial | ORDER_BITS.endedRecently);
    t.addLabel('B');
    t.addInterest('a', 'sport');
    t.addInterest('a', 'unknown-topic');
    const rows = t.rows(AT, { withLabels: true });
    const d = rows.names.length;
    const row = (id: string): Record<string, number> => {
      const i = rows.customerIds.indexOf(id);
      return Object.fromEntries(rows.names.map((n, j) => [n, rows.values[i * d + j] ?? NaN]));
    };
    // 'd' is not admitted: no row, and its order counts for no one.
    expect(rows.customerIds).toEqual(['a', 'B', 'c']);
    expect(row('c')).toMatchObject({ has_orders: 1, active: 1, focus_orders: 1, focus_active: 1, 'category:daily': 1, 'category:weekly': 1, 'sold_via:web': 2 });
    expect(row('c').orders_log).toBeCloseTo(Math.log1p(2), 12);
    expect(row('c').recency_log).toBeCloseTo(Math.log1p(10), 12);
    expect(row('c').tenure_log).toBeCloseTo(Math.log1p(40), 12);
    expect(row('a')).toMatchObject({ has_orders: 1, active: 0, latest_active_age_log: 0, focus_orders: 0, 'sold_via:telesales': 1, 'interest:sport': 1 });
    expect(row('B')).toMatchObject({ trials: 1, focus_trials: 1, focus_recent_trial: 1, 'sold_via:event': 1 });
    expect(Array.from(rows.labels ?? [])).toEqual([0, 1, 0]);
  });

  it('keeps, when training, only customers known by then or with an order by then', () => {
    const t = tally(['C1', 'C2', 'C3'], [1, 1, 1]);
    t.addOrder('C3', 'S1', 'web', AT - DAY, 0);
    const rows = t.rows(AT, { known: Uint8Array.from([1, 0, 0]), withLabels: false });
    expect(rows.customerIds).toEqual(['C1', 'C3']);
    expect(rows.values[0]).toBe(0);
    expect(rows.values[rows.names.length]).toBe(1);
  });
});
