import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countSegments, splitSegments } from './segments.ts';

describe('SMS segment counting', () => {
  it('fits 160 GSM-7 characters in one segment and needs two for 161', () => {
    expect(countSegments('a'.repeat(160))).toEqual({ encoding: 'gsm7', units: 160, segments: 1, remaining: 0 });
    expect(countSegments('a'.repeat(161))).toEqual({ encoding: 'gsm7', units: 161, segments: 2, remaining: 145 });
  });

  it('uses 153 septets per segment once the text is split', () => {
    expect(countSegments('a'.repeat(306)).segments).toBe(2);
    expect(countSegments('a'.repeat(307)).segments).toBe(3);
  });

  it('keeps Finnish and Swedish letters in GSM-7: ä, ö, å, Ä, Ö, Å are in the default alphabet', () => {
    expect(countSegments('Hyvää päivää! Välkommen till Åbo, öppet 8–20?').encoding).toBe('ucs2'); // the en dash is not
    expect(countSegments('Hyvää päivää! Välkommen till Åbo, öppet 8-20?')).toMatchObject({ encoding: 'gsm7', segments: 1 });
  });

  it('counts the extension table (€, [, ], {, }, ~, ^, |, \\) as two septets', () => {
    expect(countSegments('€')).toMatchObject({ encoding: 'gsm7', units: 2 });
    expect(countSegments('€'.repeat(80))).toMatchObject({ units: 160, segments: 1 });
    expect(countSegments('€'.repeat(81))).toMatchObject({ units: 162, segments: 2 });
  });

  it('switches to UCS-2 for any other character: 70 per segment, 67 once split', () => {
    expect(countSegments('š'.repeat(70))).toEqual({ encoding: 'ucs2', units: 70, segments: 1, remaining: 0 });
    expect(countSegments('š'.repeat(71))).toMatchObject({ segments: 2 });
    expect(countSegments('š'.repeat(134)).segments).toBe(2);
    expect(countSegments('š'.repeat(135)).segments).toBe(3);
  });

  it('counts an emoji as two UCS-2 units', () => {
    expect(countSegments('👍')).toMatchObject({ encoding: 'ucs2', units: 2 });
  });

  it('takes no segment for an empty text', () => {
    expect(countSegments('').segments).toBe(0);
  });

  it('never splits a two-septet character: 153 × "]" takes 3 segments, not 2', () => {
    expect(countSegments(']'.repeat(153))).toEqual({ encoding: 'gsm7', units: 306, segments: 3, remaining: 153 - 2 });
    expect(splitSegments(']'.repeat(153))).toEqual([']'.repeat(76), ']'.repeat(76), ']']);
  });

  it('moves a € that would straddle two segments whole into the next: 152 a + € + 152 a takes 3', () => {
    const text = `${'a'.repeat(152)}€${'a'.repeat(152)}`;
    expect(countSegments(text)).toMatchObject({ encoding: 'gsm7', units: 306, segments: 3 });
    expect(splitSegments(text)).toEqual(['a'.repeat(152), `€${'a'.repeat(151)}`, 'a']);
  });

  it('never splits an emoji’s surrogate pair: 66 a + emoji + 66 a takes 3 UCS-2 segments of 67 units', () => {
    const text = `${'a'.repeat(66)}👍${'a'.repeat(66)}`;
    expect(countSegments(text)).toMatchObject({ encoding: 'ucs2', units: 134, segments: 3 });
    expect(splitSegments(text)).toEqual(['a'.repeat(66), `👍${'a'.repeat(65)}`, 'a']);
  });
});

describe('SMS segment splitting, for any text', () => {
  const EXTENSION = new Set('\f^{}\\[~]|€');
  const unitsOf = (part: string, encoding: string) => (encoding === 'ucs2' ? part.length : [...part].reduce((n, ch) => n + (EXTENSION.has(ch) ? 2 : 1), 0));
  const gsmChar = fc.constantFrom(...'aZ0 @£$ÄÖÅäöå\n.!?_', ...EXTENSION);
  const anyChar = fc.oneof(gsmChar, fc.constantFrom('š', '–', 'ж', '中', '👍', '🛑', '😀', '𝄞'));
  // size 'max': lengths spread up to maxLength, so most texts need several segments.
  const texts = fc.oneof(fc.string({ unit: gsmChar, maxLength: 700, size: 'max' }), fc.string({ unit: anyChar, maxLength: 400, size: 'max' }), fc.string({ unit: anyChar }));

  it('splits into parts that rebuild the text, each within its limit, no pair split, each part as full as the next character allows', () => {
    fc.assert(
      fc.property(texts, (text) => {
        const parts = splitSegments(text);
        const count = countSegments(text);
        const [single, multi] = count.encoding === 'gsm7' ? [160, 153] : [70, 67];
        const limit = parts.length > 1 ? multi : single;
        expect(parts.join('')).toBe(text);
        expect(count.segments).toBe(parts.length);
        expect(count.units).toBe(unitsOf(text, count.encoding));
        expect(count.remaining).toBe(limit - unitsOf(parts.at(-1) ?? '', count.encoding));
        // One segment exactly when it fits one; otherwise none longer than a concatenated part.
        expect(parts.length === 1).toBe(count.units > 0 && count.units <= single);
        for (const part of parts) {
          expect(part).not.toBe('');
          expect(unitsOf(part, count.encoding)).toBeLessThanOrEqual(limit);
          expect(part).not.toMatch(/^[\uDC00-\uDFFF]|[\uD800-\uDBFF]$/);
        }
        // Greedy: a part ends only where the next character would not fit, so no split uses fewer parts.
        for (let i = 0; i + 1 < parts.length; i++) {
          const next = String.fromCodePoint(parts[i + 1]!.codePointAt(0)!);
          expect(unitsOf(parts[i]! + next, count.encoding)).toBeGreaterThan(multi);
        }
      }),
      { numRuns: 500 },
    );
  });
});

