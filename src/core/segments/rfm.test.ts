import { describe, expect, it } from 'vitest';
import type { Instant } from '../records.ts';
import { RFM_LANGUAGES, RFM_SEGMENTS, rfmScores } from './rfm.ts';
import { parseSegmentRule } from './rule.ts';

const at = '2026-01-01T00:00:00.000Z' as Instant;
const day = (d: number): Instant => new Date(Date.parse(at) - d * 86_400_000).toISOString() as Instant;

describe('RFM quintiles', () => {
  it('ten customers with 1–10 orders fall two to a quintile, the most orders in the fifth', () => {
    const population = new Map(Array.from({ length: 10 }, (_, i) => [`c${i + 1}`, Array.from({ length: i + 1 }, () => ({ startedAt: day(100), endedAt: day(50) }))]));
    const scores = rfmScores(population, at);
    expect([...scores.values()].map((s) => s.frequency)).toEqual([1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
  });

  it('ties share a quintile whatever the order of the rows', () => {
    const population = new Map([
      ['a', [{ startedAt: day(10), endedAt: null }]],
      ['b', [{ startedAt: day(10), endedAt: null }]],
      ['c', [{ startedAt: day(400), endedAt: day(300) }]],
    ]);
    const scores = rfmScores(population, at);
    // a and b run now (the best recency, 3 of 3 at most theirs: 5); c ended: 1 of 3 → ceil(5/3) = 2.
    expect(scores.get('a')).toEqual(scores.get('b'));
    expect(scores.get('a')?.recency).toBe(5);
    expect(scores.get('c')?.recency).toBe(2);
    // Monetary: c covered 100 days, a and b 10 days each: a tie takes the bottom of its run, 1 of 3 → 2.
    expect(scores.get('c')?.monetary).toBe(5);
    expect(scores.get('a')?.monetary).toBe(2);
  });

  it('the many one-order customers score F 1, so a first running order is "new"', () => {
    type Order = { startedAt: Instant; endedAt: Instant | null };
    const population = new Map<string, Order[]>();
    for (let i = 0; i < 7; i++) population.set(`one${i}`, [{ startedAt: day(5 + i), endedAt: null }]);
    for (let i = 0; i < 3; i++) population.set(`many${i}`, [{ startedAt: day(400), endedAt: day(300) }, { startedAt: day(200 + i), endedAt: null }]);
    const scores = rfmScores(population, at);
    // Seven of ten have one order: at most theirs is 7 of 10 (quintile 4), but a tie takes its bottom: 1.
    for (let i = 0; i < 7; i++) expect(scores.get(`one${i}`)).toMatchObject({ recency: 5, frequency: 1 });
    for (let i = 0; i < 3; i++) expect(scores.get(`many${i}`)?.frequency).toBe(4);
    const isNew = (s: { recency: number; frequency: number; monetary: number }) => s.recency === 5 && s.frequency === 1 && s.monetary <= 2;
    expect([...scores.values()].filter(isNew).length).toBeGreaterThan(0);
  });

  it('reads nothing after the instant: a later order neither counts nor makes a customer', () => {
    const population = new Map([
      ['a', [{ startedAt: day(30), endedAt: day(20) }, { startedAt: day(-5), endedAt: null }]],
      ['b', [{ startedAt: day(-5), endedAt: null }]],
    ]);
    const scores = rfmScores(population, at);
    expect(scores.has('b')).toBe(false);
    expect(scores.get('a')).toEqual({ recency: 5, frequency: 5, monetary: 5 });
  });

  it('the ready-made segments are valid rules with distinct names', () => {
    for (const s of RFM_SEGMENTS) expect(parseSegmentRule(s.rule)).toEqual(s.rule);
    const names = RFM_SEGMENTS.flatMap((s) => RFM_LANGUAGES.map((l) => s.texts[l].name));
    expect(new Set(names).size).toBe(RFM_SEGMENTS.length * RFM_LANGUAGES.length);
  });
});
