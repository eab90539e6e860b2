import { describe, expect, it } from 'vitest';
import { dependsOnTime, MAX_RULE_NODES, parseSegmentRule } from './rule.ts';

function problem(input: unknown): { field?: string; message: string } {
  try {
    parseSegmentRule(input);
  } catch (err) {
    const e = err as { code: string; field?: string; message: string };
    expect(e.code).toBe('INVALID_SEGMENT_RULE');
    return { ...(e.field === undefined ? {} : { field: e.field }), message: e.message };
  }
  throw new Error('accepted');
}

describe('the segment rule language', () => {
  it('accepts a tree and keeps instants in the stored spelling', () => {
    const rule = parseSegmentRule({ all: [{ attribute: 'city', equals: 'Tampere' }, { not: { orders: { started: { before: '2026-01-01' } } } }] });
    expect(rule).toEqual({ all: [{ attribute: 'city', equals: 'Tampere' }, { not: { orders: { started: { before: '2026-01-01T00:00:00.000Z' } } } }] });
  });

  it('names the node that is no condition, with its path', () => {
    expect(problem({ all: [{ attribute: 'city', equals: 'X' }, { bogus: 1 }] })).toMatchObject({ field: 'rule.all.1', message: expect.stringContaining('unknown condition "bogus"') });
    expect(problem({ any: [] }).field).toBe('rule.any');
  });

  it('names the field inside a condition', () => {
    expect(problem({ orders: { started: { withinDays: 0 } } }).field).toBe('rule.orders.started.withinDays');
    expect(problem({ attribute: 'city', equals: 'a', in: ['b'] }).message).toContain('exactly one of equals, in, startsWith');
    expect(problem({ consent: { purpose: 'marketing', channel: 'fax' } }).field).toBe('rule.consent.channel');
    expect(problem({ orders: { started: { after: '0025-06-01' } } }).message).toContain('between the years 1900 and 2200');
    // Judged by its own kind deep in a tree, not as a failed guess that it was an "all".
    expect(problem({ all: [{ any: [{ attribute: 'shoesize', equals: '44' }] }] })).toMatchObject({ field: 'rule.all.0.any.0.attribute', message: expect.stringContaining('"city"') });
    expect(problem({ not: { interest: { topic: 'sport', source: 'stated', minWeight: 0.5 } } }).field).toMatch(/^rule\.not\.interest/);
    expect(problem({ attribute: 'city', equals: 'X', orders: {} }).message).toContain('one condition per object');
  });

  it('says what is wrong as a phrase the console can say in its reader’s language, beside the English', () => {
    const says = (input: unknown): unknown => {
      try {
        parseSegmentRule(input);
      } catch (err) {
        const details = (err as { details: { path: string; problem: string; says: { code: string; params: object } } }).details;
        return [details.path, details.says.code, details.says.params, details.problem];
      }
      throw new Error('accepted');
    };
    expect(says({ orders: { started: { withinDays: 5000 } } })).toEqual(['orders.started.withinDays', 'rule_at_most', { maximum: 3650 }, 'expected at most 3650']);
    expect(says({ orders: { started: { withinDays: 1.5 } } })).toEqual(['orders.started.withinDays', 'rule_expected_whole_number', {}, 'expected a whole number']);
    expect(says({ consent: { purpose: 'marketing' } })).toEqual(['consent.channel', 'rule_missing_one_of', { values: '"email", "sms", "phone", "post", "web"' }, 'missing: give one of "email", "sms", "phone", "post", "web"']);
    expect(says({ engagement: { event: 'open' } })).toEqual(['engagement.withinDays', 'rule_missing', {}, 'missing: give a value here']);
    expect(says({ attribute: 'city', equals: 3 })).toEqual(['equals', 'rule_expected_text', {}, 'expected a text in quotes']);
    expect(says({ engagement: { event: 'view', withinDays: 3 } })).toEqual(['engagement.event', 'rule_one_of', { values: '"open", "click"' }, 'expected one of "open", "click"']);
    expect(says({ orders: { category: [] } })).toEqual(['orders.category', 'rule_list_empty', {}, 'expected a list that is not empty']);
    expect(says({ orders: { colour: 'red' } })).toEqual(['orders', 'rule_unknown_keys', { keys: '"colour"' }, 'unknown field "colour"']);
    expect(says({ orders: { started: { after: '1.1.2026' } } })).toEqual(['orders.started.after', 'rule_date', {}, expect.stringContaining('such as 2026-01-01')]);
  });

  it('refuses a tree too large to compile into one statement', () => {
    const wide = { any: Array.from({ length: MAX_RULE_NODES }, () => ({ attribute: 'city', equals: 'X' })) };
    expect(problem(wide).message).toContain('too large');
    let deep: unknown = { attribute: 'city', equals: 'X' };
    for (let i = 0; i < 10; i++) deep = { not: deep };
    expect(problem(deep).message).toContain('too large');
  });

  it('refuses a rule nested thousands of levels deep as too large, not by overflowing the stack', () => {
    for (const make of [(r: unknown) => ({ not: r }), (r: unknown) => ({ all: [r] }), (r: unknown) => ({ any: [{ attribute: 'city', equals: 'X' }, r] })]) {
      let deep: unknown = { attribute: 'city', equals: 'X' };
      for (let i = 0; i < 20_000; i++) deep = make(deep);
      const err = problem(deep);
      expect(err.field).toBe('rule');
      expect(err.message).toContain('too large');
    }
    // Malformed as well as deep: still the size, named first.
    let odd: unknown = 'x';
    for (let i = 0; i < 20_000; i++) odd = { not: odd, extra: 1 };
    expect(problem(odd).message).toContain('too large');
  });

  it('reads an interest condition: a topic code, its source, a least weight only for inferred interests', () => {
    expect(parseSegmentRule({ interest: { topic: 'sport', source: 'inferred', minWeight: 0.5 } })).toEqual({ interest: { topic: 'sport', source: 'inferred', minWeight: 0.5 } });
    expect(problem({ all: [{ interest: { topic: 'sport', source: 'stated', minWeight: 0.5 } }] }).field).toBe('rule.all.0.interest');
    expect(problem({ interest: { topic: 'Sport!', source: 'any' } }).field).toBe('rule.interest.topic');
    expect(problem({ interest: { topic: 'sport', source: 'guessed' } }).field).toBe('rule.interest.source');
    // Stated interests mark their customer; inferred ones are rewritten by each inference, which marks no one.
    expect(dependsOnTime({ interest: { topic: 'sport', source: 'stated' } })).toBe(false);
    expect(dependsOnTime({ not: { interest: { topic: 'sport', source: 'any' } } })).toBe(true);
  });

  it('knows which rules change with time alone', () => {
    expect(dependsOnTime(parseSegmentRule({ orders: { category: ['daily'] } }))).toBe(false);
    expect(dependsOnTime(parseSegmentRule({ orders: { started: { after: '2025-01-01' } } }))).toBe(false);
    expect(dependsOnTime(parseSegmentRule({ not: { orders: { active: true } } }))).toBe(true);
    expect(dependsOnTime(parseSegmentRule({ any: [{ attribute: 'kind', equals: 'person' }, { engagement: { event: 'open', withinDays: 30 } }] }))).toBe(true);
  });
});
