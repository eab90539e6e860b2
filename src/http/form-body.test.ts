import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { firstValues, formFields } from './form-body.ts';

describe('form bodies (application/x-www-form-urlencoded)', () => {
  it('reads names and values as URLSearchParams does', () => {
    expect(formFields('marketing.email=granted&objections=shown&object.profiling=on')).toEqual([
      ['marketing.email', 'granted'],
      ['objections', 'shown'],
      ['object.profiling', 'on'],
    ]);
    expect(formFields('Body=Stop+please%21&From=%2B358401234567&&x&=y')).toEqual([
      ['Body', 'Stop please!'],
      ['From', '+358401234567'],
      ['x', ''],
      ['', 'y'],
    ]);
    expect(firstValues(formFields('a=1&a=2')).get('a')).toBe('1');
  });

  it('gives the same fields as URLSearchParams for any body of ASCII, malformed escapes included, and any well-formed one', () => {
    const ascii = fc.constantFrom('a', '=', '&', '+', '%', '%2', '%41', '%E2%82', '%FF', '%zz', ' ', '.', '%e2%82%ac');
    const wellFormed = fc.constantFrom('a', 'ä', '🛑', '=', '&', '+', '%41', '%e2%82%ac', '%C3%A4', ' ');
    for (const piece of [ascii, wellFormed]) {
      fc.assert(
        fc.property(fc.array(piece, { maxLength: 30 }), (pieces) => {
          const body = pieces.join('');
          expect(formFields(body)).toEqual([...new URLSearchParams(body)]);
        }),
        { numRuns: 2000 },
      );
    }
  });

  it('reads bytes that are not UTF-8 as the standard says (Node’s URLSearchParams reads a letter after them as a byte)', () => {
    // %E2%82 is the start of a three-byte character cut short: one U+FFFD, then the letter itself.
    expect(formFields('a=%E2%82ä')).toEqual([['a', '\uFFFDä']]);
  });
});
