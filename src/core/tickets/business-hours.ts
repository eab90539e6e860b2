/**
 * Business hours for support clocks: the days and hours the support team works, in one time zone,
 * with Finnish public holidays off (finnish-holidays.ts). Pure: time zones come from the built-in
 * Intl data. A clock only runs inside these hours: a mail at 17:00 on Friday is due, with a
 * four-hour target, at 12:00 on Monday.
 */
import { DomainError } from '../errors.ts';
import { finnishPublicHolidays } from '../finnish-holidays.ts';
import type { Instant } from '../records.ts';
import { toInstant } from '../time.ts';

export interface BusinessHours {
  timeZone: string;
  /** Working weekdays, 0 Sunday … 6 Saturday. */
  days: readonly number[];
  /** Start and end of the working day, minutes after local midnight (end exclusive). */
  startMinute: number;
  endMinute: number;
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** Mon–Fri 08:00–16:00 in Finland: the default of LUPA_SUPPORT_HOURS. */
export const DEFAULT_BUSINESS_HOURS: BusinessHours = { timeZone: 'Europe/Helsinki', days: [1, 2, 3, 4, 5], startMinute: 8 * 60, endMinute: 16 * 60 };

/**
 * Reads `Mon-Fri 08:00-16:00` (a day range, or one day, then a time range on the 24-hour clock).
 * Throws VALIDATION_FAILED naming `field` when the text is not of that form or the range is empty.
 */
export function parseBusinessHours(text: string, timeZone: string, field = 'LUPA_SUPPORT_HOURS'): BusinessHours {
  const m = /^\s*(Sun|Mon|Tue|Wed|Thu|Fri|Sat)(?:-(Sun|Mon|Tue|Wed|Thu|Fri|Sat))?\s+(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})\s*$/i.exec(text);
  const fail = (): never => {
    throw new DomainError('VALIDATION_FAILED', `${field}: write days and hours like "Mon-Fri 08:00-16:00"`, { field });
  };
  if (m === null) return fail();
  const day = (name: string | undefined): number => WEEKDAYS.findIndex((d) => d.toLowerCase() === (name ?? '').toLowerCase());
  const first = day(m[1]);
  const last = m[2] === undefined ? first : day(m[2]);
  const days: number[] = [];
  for (let d = first; ; d = (d + 1) % 7) {
    days.push(d);
    if (d === last) break;
  }
  const startMinute = Number(m[3]) * 60 + Number(m[4]);
  const endMinute = Number(m[5]) * 60 + Number(m[6]);
  if (startMinute >= endMinute || endMinute > 24 * 60 || Number(m[4]) > 59 || Number(m[6]) > 59) return fail();
  return { timeZone, days, startMinute, endMinute };
}

interface Local {
  date: string;
  weekday: number;
  /** Minutes after local midnight, with the seconds as a fraction. */
  minute: number;
}

/** One formatter per time zone: making one costs far more than using it (it loads the zone's data). */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23', weekday: 'short' });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Holidays by year, computed once each. */
const holidaysByYear = new Map<number, ReadonlyMap<string, string>>();

function holidaysOf(year: number): ReadonlyMap<string, string> {
  let h = holidaysByYear.get(year);
  if (h === undefined) {
    h = finnishPublicHolidays(year);
    holidaysByYear.set(year, h);
  }
  return h;
}

function localAt(ms: number, timeZone: string): Local {
  const parts = formatterFor(timeZone).formatToParts(new Date(ms));
  const get = (type: Intl.DateTimeFormatPartTypes): string => parts.find((p) => p.type === type)?.value ?? '';
  return {
    date: `${get('year')}-${get('month')}-${get('day')}`,
    weekday: WEEKDAYS.indexOf(get('weekday')),
    minute: Number(get('hour')) * 60 + Number(get('minute')) + (Number(get('second')) + (ms % 1000) / 1000) / 60,
  };
}

/** Whether the local date is a working day: a working weekday that is no Finnish public holiday. */
function isWorkingDay(local: Local, hours: BusinessHours): boolean {
  return hours.days.includes(local.weekday) && !holidaysOf(Number(local.date.slice(0, 4))).has(local.date);
}

const MINUTE = 60_000;

/**
 * The instant `minutes` business minutes after `from`: time outside the working hours, on days
 * off and on Finnish public holidays does not count. Zero minutes gives `from` itself, or the next
 * opening when `from` is outside hours. Daylight-saving changes happen at night, outside any
 * working day this accepts, so the offset is taken as constant within one working day.
 */
export function addBusinessMinutes(from: Instant, minutes: number, hours: BusinessHours = DEFAULT_BUSINESS_HOURS): Instant {
  let t = Date.parse(from);
  let left = Math.max(0, minutes);
  // A year of days off is the most a loop may walk; the bound keeps a wrong setting from spinning.
  for (let step = 0; step < 2000; step++) {
    const local = localAt(t, hours.timeZone);
    if (!isWorkingDay(local, hours) || local.minute >= hours.endMinute) {
      // To the next local midnight (a minute past it, so an hour skipped by daylight saving cannot hold us).
      t += (24 * 60 - local.minute) * MINUTE + 1;
      continue;
    }
    if (local.minute < hours.startMinute) {
      t += (hours.startMinute - local.minute) * MINUTE;
      continue;
    }
    const open = hours.endMinute - local.minute;
    if (left <= open) return toInstant(Math.round(t + left * MINUTE));
    left -= open;
    t += open * MINUTE;
  }
  return toInstant(t);
}
