import { describe, expect, it } from 'vitest';
import { MAX_POSTCODE_PREFIXES, parsePostcodePrefixes } from './parse-query.ts';

describe('postcode areas as a caller gives them', () => {
  it('takes one area, several, and comma lists, in order and without repeats', () => {
    expect(parsePostcodePrefixes('33', 'f')).toEqual(['33']);
    expect(parsePostcodePrefixes(['33', '34,35', ' 00100 '], 'f')).toEqual(['33', '34', '35', '00100']);
    expect(parsePostcodePrefixes(['33,33', '33'], 'f')).toEqual(['33']);
  });

  it('refuses anything but 1–5 digits, naming the field, so no LIKE wildcard reaches the SQL', () => {
    for (const bad of ['', '3a', '33%', '3_', '123456', '33,', ',']) {
      expect(() => parsePostcodePrefixes(bad, 'postcode-prefix'), bad).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED', field: 'postcode-prefix' }));
    }
  });

  it('takes at most a hundred areas', () => {
    const all = Array.from({ length: MAX_POSTCODE_PREFIXES }, (_, i) => String(i).padStart(2, '0'));
    expect(parsePostcodePrefixes(all.join(','), 'f')).toHaveLength(100);
    expect(() => parsePostcodePrefixes([...all, '123'], 'f')).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
  });
});
