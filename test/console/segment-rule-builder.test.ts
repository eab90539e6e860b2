import { describe, expect, it } from 'vitest';
import { parseSegmentRule } from '../../src/core/segments/rule.ts';
import { badDaysRow, builderOf, complete, missingValues, ruleOf, ROW_KINDS, type BuilderState } from '../../web/src/segments/rule-builder.ts';

const sample: Record<(typeof ROW_KINDS)[number], string> = {
  city: 'Tampere',
  postalCodePrefix: '33',
  locale: 'sv',
  kind: 'person',
  orderedCategory: 'daily',
  activeCategory: 'magazine_home',
  orderedWithinDays: '90',
  consentEmail: '',
  consentSms: '',
  openedWithinDays: '30',
  clickedWithinDays: '14',
  interestAny: 'sport',
  interestStated: 'history',
  interestInferred: 'home_garden',
};

describe('the segment builder form', () => {
  it('makes a rule the server accepts from every kind of row, and reads it back', () => {
    const state: BuilderState = { match: 'any', rows: ROW_KINDS.map((kind, i) => ({ kind, value: sample[kind], negate: i % 3 === 0 })) };
    const rule = ruleOf(state);
    expect(() => parseSegmentRule(rule)).not.toThrow();
    expect(builderOf(parseSegmentRule(rule))).toEqual(state);
  });

  it('sends a rule it cannot show to the JSON editor', () => {
    expect(builderOf({ all: [{ any: [{ attribute: 'city', equals: 'A' }] }] })).toBeNull();
    expect(builderOf({ orders: { category: ['daily'], soldVia: ['web'] } })).toBeNull();
    expect(builderOf({ interest: { topic: 'sport', source: 'inferred', minWeight: 0.5 } })).toBeNull();
    expect(builderOf({ attribute: 'city', equals: 'Oulu' })).toEqual({ match: 'all', rows: [{ kind: 'city', value: 'Oulu', negate: false }] });
  });

  it('names the row whose number of days is not a whole number from 1 to 3650', () => {
    const rows = (values: string[]): BuilderState => ({ match: 'all', rows: [{ kind: 'city', value: '-5', negate: false }, ...values.map((value) => ({ kind: 'openedWithinDays' as const, value, negate: false }))] });
    expect(badDaysRow(rows(['30', '3650']))).toBeNull();
    expect(badDaysRow(rows(['30', '-5']))).toBe(2);
    expect(badDaysRow(rows(['1.5']))).toBe(1);
    expect(badDaysRow(rows(['3651']))).toBe(1);
    expect(badDaysRow(rows(['']))).toBeNull();
  });

  it('counts only a complete form', () => {
    expect(complete({ match: 'all', rows: [] })).toBe(false);
    expect(complete({ match: 'all', rows: [{ kind: 'openedWithinDays', value: '0', negate: false }] })).toBe(false);
    expect(complete({ match: 'all', rows: [{ kind: 'city', value: ' ', negate: false }] })).toBe(false);
    expect(complete({ match: 'all', rows: [{ kind: 'consentSms', value: '', negate: true }] })).toBe(true);
  });

  it('names every row that lacks its value, and what it lacks', () => {
    const row = (kind: (typeof ROW_KINDS)[number], value = '') => ({ kind, value, negate: false });
    const state: BuilderState = { match: 'all', rows: [row('interestAny'), row('city', 'Oulu'), row('consentEmail'), row('activeCategory'), row('clickedWithinDays', ''), row('locale'), row('kind'), row('postalCodePrefix', ' '), row('interestInferred', 'sport')] };
    expect(missingValues(state)).toEqual([
      { index: 0, missing: 'topic' },
      { index: 3, missing: 'category' },
      { index: 4, missing: 'days' },
      { index: 5, missing: 'locale' },
      { index: 6, missing: 'kind' },
      { index: 7, missing: 'postalCode' },
    ]);
    // A complete form lacks nothing: what complete() counts and what missingValues() names agree.
    const full: BuilderState = { match: 'any', rows: ROW_KINDS.map((kind) => row(kind, sample[kind])) };
    expect(missingValues(full)).toEqual([]);
    expect(complete(full)).toBe(true);
  });
});
