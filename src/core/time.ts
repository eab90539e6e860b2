/** Pure helpers for ISO-8601 instants. Instants are stored as `YYYY-MM-DDTHH:mm:ss.sssZ` so text order is time order. */
import { DomainError } from './errors.ts';
import { requireBusinessYear } from './storable-values.ts';
import type { Instant } from './records.ts';

const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2}))?$/;

/** Parses an ISO-8601 date or date-time (a date alone means midnight UTC); throws INVALID_DATE naming the field. */
export function parseInstant(value: unknown, field: string): Instant {
  if (typeof value !== 'string' || !ISO_WITH_ZONE.test(value)) {
    throw new DomainError('INVALID_DATE', `${field} must be an ISO-8601 date-time with a time zone, e.g. 2025-03-01T08:00:00Z`, { field });
  }
  const ms = Date.parse(value);
  // Date.parse rolls 2025-02-30 over to 2 March; a date that does not exist is an error, not another day.
  const [year, month, day] = value.slice(0, 10).split('-').map(Number);
  const calendar = new Date(Date.UTC(year ?? 0, (month ?? 1) - 1, day ?? 1));
  if (Number.isNaN(ms) || calendar.getUTCMonth() !== (month ?? 1) - 1 || calendar.getUTCDate() !== day) {
    throw new DomainError('INVALID_DATE', `${field} is not a real date`, { field });
  }
  // The year as it falls in UTC: one stores hold as written (see storable-values.ts).
  requireBusinessYear(new Date(ms).getUTCFullYear(), field);
  return toInstant(ms);
}

/**
 * A time that reads the records as they stand now (a count, a model's training) may not lie ahead:
 * nothing recorded now says what they will be then, and a wrong year would pass as an answer.
 * `name` is how the caller gave it (`--at` on the command line, `at` over the API).
 * @throws DomainError INVALID_DATE (field `field`)
 */
export function requireNotFuture(at: Instant, now: Instant, name: string, field: string): void {
  if (Date.parse(at) > Date.parse(now)) throw new DomainError('INVALID_DATE', `${name} must not be in the future (got ${at}, now is ${now})`, { field });
}

export function toInstant(ms: number): Instant {
  return new Date(ms).toISOString() as Instant;
}

/** `YYYY-MM-DDTHH:mm:ss.sssZ` with a year of four digits: the form instants are stored in. */
const CANONICAL = /^(\d{4})-(\d{2})-(\d{2})T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/**
 * Calendar months back, clamped to the month's last day (31 March − 1 month = 28/29 February); the
 * time of day is kept. A stored instant is worked on as text (every decision takes two of these,
 * and the Date round trip was a tenth of a decision's time); other forms go through Date.
 */
export function minusMonths(at: Instant, months: number): Instant {
  const parts = CANONICAL.exec(at);
  if (parts !== null && Number.isInteger(months)) {
    const monthIndex = Number(parts[1]) * 12 + Number(parts[2]) - 1 - months;
    const year = Math.floor(monthIndex / 12);
    if (year >= 0 && year <= 9999) {
      const month = monthIndex - year * 12 + 1;
      const day = Math.min(Number(parts[3]), daysInMonth(year, month));
      return `${String(year).padStart(4, '0')}-${month < 10 ? '0' : ''}${month}-${day < 10 ? '0' : ''}${day}${at.slice(10)}` as Instant;
    }
  }
  return minusMonthsByDate(at, months);
}

/** Days in `month` (1–12) of the proleptic Gregorian `year`. */
function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** minusMonths through Date, for any form Date reads (the reference the text path is tested against). */
export function minusMonthsByDate(at: Instant, months: number): Instant {
  const d = new Date(at);
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() - months);
  const lastDay = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, lastDay));
  return d.toISOString() as Instant;
}

/** Calendar months forward, clamped to the month's last day (31 January + 1 month = 28/29 February). */
export function plusMonths(at: Instant, months: number): Instant {
  return minusMonths(at, -months);
}

export function plusYears(at: Instant, years: number): Instant {
  const d = new Date(at);
  d.setUTCFullYear(d.getUTCFullYear() + years);
  return d.toISOString() as Instant;
}

/**
 * The instant a calendar day (`YYYY-MM-DD`) begins in `timeZone` (default Europe/Helsinki, where
 * Lupa's people work), from the built-in Intl data. Daylight-saving changes happen at night, never
 * at midnight, so the zone's offset a couple of hours either side of the day's start is the one.
 */
export function startOfDayIn(date: string, timeZone = 'Europe/Helsinki'): Instant {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const utcMidnight = Date.UTC(y, m - 1, d);
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' })
      .formatToParts(new Date(utcMidnight))
      .map((p) => [p.type, p.value]),
  );
  const wall = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
  return new Date(utcMidnight - (wall - utcMidnight)).toISOString() as Instant;
}
