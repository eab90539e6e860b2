/** The console's whole-day filters mean Helsinki's days, winter and summer time alike. */
import { describe, expect, it } from 'vitest';
import { helsinkiDayStart } from '../../web/src/i18n/index.ts';

describe('helsinkiDayStart', () => {
  it('begins a winter day at 22:00 UTC the day before and a summer day at 21:00', () => {
    expect(helsinkiDayStart('2026-11-30')).toBe('2026-11-29T22:00:00.000Z');
    expect(helsinkiDayStart('2026-07-01')).toBe('2026-06-30T21:00:00.000Z');
    // The days the clocks change (at 03:00 and 04:00 local time): midnight keeps the day's first offset.
    expect(helsinkiDayStart('2026-03-29')).toBe('2026-03-28T22:00:00.000Z');
    expect(helsinkiDayStart('2026-10-25')).toBe('2026-10-24T21:00:00.000Z');
  });

  it('leaves what is not a day as it is, for the server to name', () => {
    expect(helsinkiDayStart('yesterday')).toBe('yesterday');
  });
});
