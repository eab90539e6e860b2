import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainError } from './errors.ts';
import type { Instant } from './records.ts';
import { minusMonths, minusMonthsByDate, parseInstant, requireNotFuture, toInstant } from './time.ts';

const i = (s: string): Instant => s as Instant;

describe('minusMonths', () => {
  it('reads a stored instant as text exactly as Date does, either way across years 0–9999 and leap days', () => {
    const instant = fc.date({ min: new Date(Date.UTC(0, 0, 1)), max: new Date(Date.UTC(9999, 11, 31, 23, 59, 59, 999)), noInvalidDate: true }).map((d) => toInstant(d.getTime()));
    fc.assert(
      fc.property(instant, fc.integer({ min: -600, max: 600 }), (at, months) => {
        const byDate = minusMonthsByDate(at, months);
        // Date writes years beyond 0–9999 with six digits and a sign; the text path leaves those to it.
        expect(minusMonths(at, months)).toBe(byDate);
      }),
      { numRuns: 5000 },
    );
    expect(minusMonths(i('2000-03-31T00:00:00.000Z'), 1)).toBe('2000-02-29T00:00:00.000Z');
    expect(minusMonths(i('1900-03-31T00:00:00.000Z'), 1)).toBe('1900-02-28T00:00:00.000Z');
    expect(minusMonths(i('0001-01-31T00:00:00.000Z'), 13)).toBe('-000001-12-31T00:00:00.000Z');
  });

  it('clamps 31 March minus one month to 28 February', () => {
    expect(minusMonths(i('2025-03-31T10:00:00.000Z'), 1)).toBe('2025-02-28T10:00:00.000Z');
  });

  it('clamps 31 March minus one month to 29 February in a leap year', () => {
    expect(minusMonths(i('2024-03-31T00:00:00.000Z'), 1)).toBe('2024-02-29T00:00:00.000Z');
  });

  it('clamps 29 February minus twelve months to 28 February', () => {
    expect(minusMonths(i('2024-02-29T12:00:00.000Z'), 12)).toBe('2023-02-28T12:00:00.000Z');
  });

  it('clamps 31 May minus one month to 30 April', () => {
    expect(minusMonths(i('2025-05-31T23:59:59.999Z'), 1)).toBe('2025-04-30T23:59:59.999Z');
  });

  it('crosses a year boundary and keeps the time of day', () => {
    expect(minusMonths(i('2025-01-15T08:30:00.000Z'), 1)).toBe('2024-12-15T08:30:00.000Z');
    expect(minusMonths(i('2025-06-15T12:00:00.000Z'), 12)).toBe('2024-06-15T12:00:00.000Z');
    expect(minusMonths(i('2025-06-15T12:00:00.000Z'), 30)).toBe('2022-12-15T12:00:00.000Z');
  });

  it('leaves the instant alone for zero months', () => {
    expect(minusMonths(i('2025-03-31T10:00:00.000Z'), 0)).toBe('2025-03-31T10:00:00.000Z');
  });

  it('never moves forward and never goes back more than the months plus their days', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2090, 0, 1) }), fc.integer({ min: 0, max: 120 }), (ms, months) => {
        const from = toInstant(ms);
        const back = minusMonths(from, months);
        expect(back <= from).toBe(true);
        const d = new Date(back);
        const f = new Date(from);
        expect(d.getUTCHours()).toBe(f.getUTCHours());
        expect((f.getUTCFullYear() - d.getUTCFullYear()) * 12 + f.getUTCMonth() - d.getUTCMonth()).toBe(months);
      }),
      { numRuns: 500 },
    );
  });
});

describe('requireNotFuture', () => {
  it('takes now and any time before it, and refuses a time after it naming how it was given', () => {
    const now = i('2026-06-01T12:00:00.000Z');
    expect(() => requireNotFuture(now, now, '--at', 'at')).not.toThrow();
    expect(() => requireNotFuture(i('2020-01-01T00:00:00.000Z'), now, '--at', 'at')).not.toThrow();
    expect(() => requireNotFuture(i('2026-06-01T12:00:00.001Z'), now, '--at', 'at')).toThrow(
      expect.objectContaining({ code: 'INVALID_DATE', field: 'at', message: '--at must not be in the future (got 2026-06-01T12:00:00.001Z, now is 2026-06-01T12:00:00.000Z)' }),
    );
  });
});

describe('parseInstant', () => {
  it('parses a UTC date-time into the stored form with milliseconds', () => {
    expect(parseInstant('2025-03-01T08:00:00Z', 'at')).toBe('2025-03-01T08:00:00.000Z');
    expect(parseInstant('2025-03-01T08:00Z', 'at')).toBe('2025-03-01T08:00:00.000Z');
  });

  it('converts a date-time with an offset to UTC', () => {
    expect(parseInstant('2025-03-01T10:00:00+02:00', 'at')).toBe('2025-03-01T08:00:00.000Z');
    expect(parseInstant('2025-07-01T10:00:00+0300', 'at')).toBe('2025-07-01T07:00:00.000Z');
  });

  it('takes a date alone as midnight UTC', () => {
    expect(parseInstant('2025-03-01', 'at')).toBe('2025-03-01T00:00:00.000Z');
  });

  it('keeps milliseconds and drops finer fractions', () => {
    expect(parseInstant('2025-03-01T08:00:00.123456Z', 'at')).toBe('2025-03-01T08:00:00.123Z');
  });

  it('rejects a date-time without a time zone', () => {
    expect(() => parseInstant('2025-03-01T08:00:00', 'at')).toThrow(DomainError);
    expect(() => parseInstant('2025-03-01T08:00', 'at')).toThrow(DomainError);
  });

  it('rejects month 13 with INVALID_DATE naming the field', () => {
    const err = catchError(() => parseInstant('2025-13-01', 'validUntil'));
    expect(err).toBeInstanceOf(DomainError);
    expect(err).toMatchObject({ code: 'INVALID_DATE', field: 'validUntil' });
  });

  it('rejects words like "yesterday"', () => {
    expect(catchError(() => parseInstant('yesterday', 'at'))).toMatchObject({ code: 'INVALID_DATE', field: 'at' });
  });

  it('rejects a day that does not exist in its month (2025-02-30)', () => {
    expect(catchError(() => parseInstant('2025-02-30', 'at'))).toMatchObject({ code: 'INVALID_DATE', field: 'at' });
  });

  it('rejects other formats and non-strings', () => {
    for (const bad of ['', ' 2025-03-01', '2025-3-1', '01.03.2025', '2025-03-01 08:00:00Z', '20250301', 'now']) {
      expect(catchError(() => parseInstant(bad, 'at')), bad).toMatchObject({ code: 'INVALID_DATE' });
    }
    for (const bad of [undefined, null, 1740816000000, new Date(0), {}]) {
      expect(catchError(() => parseInstant(bad, 'at'))).toMatchObject({ code: 'INVALID_DATE' });
    }
  });

  it('round-trips every instant it produced within the years business records may have (1900–2200)', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1900, 0, 1), max: Date.UTC(2200, 11, 31, 23, 59, 59, 999) }), (ms) => {
        const instant = toInstant(ms);
        expect(parseInstant(instant, 'at')).toBe(instant);
      }),
      { numRuns: 500 },
    );
  });
});

describe('toInstant', () => {
  it('sorts as text in time order (years 1970–9999)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: Date.UTC(9999, 11, 31) }),
        fc.integer({ min: 0, max: Date.UTC(9999, 11, 31) }),
        (a, b) => {
          expect(toInstant(a) < toInstant(b)).toBe(a < b);
        },
      ),
      { numRuns: 500 },
    );
  });
});

function catchError(f: () => unknown): unknown {
  try {
    f();
  } catch (err) {
    return err;
  }
  throw new Error('expected an error');
}
