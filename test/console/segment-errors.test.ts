/**
 * Where a segment rule written as JSON stops being JSON, as the builder says it: the line and
 * column for any text that is no JSON, a text cut short included (for which the browser's own
 * message names no position), and agreeing with JSON.parse on what is JSON.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonErrorOffset, jsonSyntaxPlace } from '../../web/src/segments/segment-errors.ts';

describe('where a JSON text stops being JSON', () => {
  it('names the end of a text cut short', () => {
    const rule = '{"all": [\n  {"attribute": "city", "equals": "Tampere"},\n  {"orders": {"category": ["da';
    expect(jsonSyntaxPlace(rule)).toEqual({ line: 3, column: 31 });
    expect(jsonSyntaxPlace('{"all": [\n  {"consent": {"purpose":')).toEqual({ line: 2, column: 26 });
    expect(jsonSyntaxPlace('{"attribute": "city", "equals": tru')).toEqual({ line: 1, column: 36 });
    expect(jsonSyntaxPlace('')).toEqual({ line: 1, column: 1 });
    expect(jsonSyntaxPlace('[1, 2\n\n')).toEqual({ line: 3, column: 1 });
  });

  it('names the character that cannot stand where it is', () => {
    expect(jsonSyntaxPlace('{"all": [\n  {"attribute": "city" "equals": "Tampere"}\n]}')).toEqual({ line: 2, column: 24 });
    // A comma before the end, a word that is no JSON, a second value: Chromium names no position for the first two.
    expect(jsonSyntaxPlace('{"all": [\n  {"attribute": "city", "equals": "Tampere"},\n]}')).toEqual({ line: 3, column: 1 });
    expect(jsonSyntaxPlace('{"attribute": city}')).toEqual({ line: 1, column: 15 });
    expect(jsonSyntaxPlace('{"a": 1}}')).toEqual({ line: 1, column: 9 });
    expect(jsonSyntaxPlace('{"a": 01}')).toEqual({ line: 1, column: 8 });
    expect(jsonSyntaxPlace('{"a": "\\x"}')).toEqual({ line: 1, column: 9 });
    expect(jsonSyntaxPlace('{"a": 1}')).toBeNull();
    expect(jsonSyntaxPlace(`${'['.repeat(100_000)}${']'.repeat(100_000)}`)).toBeNull();
  });

  it('agrees with JSON.parse on what is JSON, and with the position V8 names', () => {
    const pieces = ['{', '}', '[', ']', ',', ':', '"a"', '"', '\\', '1', '-', '0', '.', 'e', 'true', 'nul', ' ', '\n', 'x', '\t'];
    const texts = fc.oneof(
      fc.array(fc.constantFrom(...pieces), { maxLength: 14 }).map((p) => p.join('')),
      fc.json().chain((j) => fc.nat({ max: j.length }).map((cut) => j.slice(0, cut))),
    );
    fc.assert(
      fc.property(texts, (text) => {
        let message: string | null = null;
        try {
          JSON.parse(text);
        } catch (err) {
          message = (err as Error).message;
        }
        const offset = jsonErrorOffset(text);
        expect(offset === null).toBe(message === null);
        const named = /position (\d+)/.exec(message ?? '');
        if (named !== null) expect(offset).toBe(Number(named[1]));
      }),
      { numRuns: 3000 },
    );
  });
});
