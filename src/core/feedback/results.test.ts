/** The feedback figures from counted answers: NPS and CSAT as defined, grouping, and the small-group rule (rule 11). */
import { describe, expect, it } from 'vitest';
import type { ScoreCount } from './feedback.ts';
import { averageOf, npsCategory, npsOf, summarise } from './results.ts';

const c = (kind: 'csat' | 'nps', score: number | null, count: number, agent: string | null = 'a1', queue: string | null = 'q', month = '2026-12'): ScoreCount => ({ kind, month, agent, queue, score, count });

describe('feedback results', () => {
  it('puts 9–10 as promoters, 7–8 passives, 0–6 detractors, and NPS as % promoters − % detractors', () => {
    expect([0, 6, 7, 8, 9, 10].map(npsCategory)).toEqual(['detractor', 'detractor', 'passive', 'passive', 'promoter', 'promoter']);
    // 5 promoters, 3 passives, 2 detractors of 10: 50 − 20 = 30.
    expect(npsOf({ 10: 3, 9: 2, 8: 3, 3: 2 })).toBe(30);
    expect(npsOf({ 0: 1 })).toBe(-100);
    expect(npsOf({})).toBeNull();
    // 1 promoter of 3: 33.3… rounds to 33.
    expect(npsOf({ 10: 1, 7: 2 })).toBe(33);
  });

  it('averages CSAT to two decimals', () => {
    expect(averageOf({ 5: 2, 4: 1 })).toBe(4.67);
    expect(averageOf({})).toBeNull();
  });

  it('groups by agent, queue or month, counts unanswered questions in the response rate, and ignores the other kind', () => {
    const counts = [c('csat', 5, 3, 'a1'), c('csat', null, 1, 'a1'), c('csat', 2, 2, null), c('nps', 10, 9, 'a1')];
    const byAgent = summarise(counts, 'csat', 'agent', 1);
    expect(byAgent.map((g) => [g.key, g.sent, g.answered, g.responseRate, g.average])).toEqual([
      ['(none)', 2, 2, 1, 2],
      ['a1', 4, 3, 0.75, 5],
    ]);
    expect(byAgent[1]?.distribution).toEqual({ 1: 0, 2: 0, 3: 0, 4: 0, 5: 3 });
    expect(byAgent[1]?.npsScore).toBeNull();
    const all = summarise(counts, 'csat', 'all', 1);
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({ key: 'all', sent: 6, answered: 5, average: 3.8 });
    expect(summarise(counts, 'nps', 'month', 1)[0]).toMatchObject({ key: '2026-12', npsScore: 100, average: null });
  });

  it('withholds the scores of a group with fewer answers than the minimum, but not of one with none or enough', () => {
    const counts = [c('csat', 5, 4, 'few'), c('csat', 4, 8, 'lots'), c('csat', 4, 5, 'many'), c('csat', null, 3, 'none')];
    const groups = Object.fromEntries(summarise(counts, 'csat', 'agent', 5).map((g) => [g.key, g]));
    expect(groups['few']).toMatchObject({ answered: 4, withheld: true, distribution: null, average: null });
    // The whole less "lots" and "many" would be "few": the smallest shown group is withheld with it.
    expect(groups['many']).toMatchObject({ answered: 5, withheld: true, average: null });
    expect(groups['lots']).toMatchObject({ answered: 8, withheld: false, average: 4 });
    expect(groups['none']).toMatchObject({ sent: 3, answered: 0, withheld: false, average: null });
  });

  it('never lets a withheld group be worked out from the whole and the groups shown', () => {
    // One agent with a single 4 among others with many answers (the case of an agent's only rating).
    const counts = [c('csat', 4, 1, 'one'), c('csat', 2, 6, 'b'), c('csat', 3, 7, 'c'), c('csat', 5, 9, 'd')];
    const whole = summarise(counts, 'csat', 'all', 5)[0];
    const groups = summarise(counts, 'csat', 'agent', 5);
    const shown = groups.filter((g) => !g.withheld);
    const hidden = groups.filter((g) => g.withheld);
    expect(hidden.map((g) => g.key)).toEqual(['b', 'one']);
    // What subtraction leaves holds at least the minimum number of answers.
    const left = (whole?.answered ?? 0) - shown.reduce((n, g) => n + g.answered, 0);
    expect(left).toBeGreaterThanOrEqual(5);
  });
});
