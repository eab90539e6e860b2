import { describe, expect, it } from 'vitest';
import { countSegments } from './segments.ts';

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
});
