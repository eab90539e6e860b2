/**
 * Quiet hours for telesales calls (compliance.md §2 rule 5, product defaults): no calls on
 * Sundays or Finnish public holidays, none before 08:00 or from 20:00 on, in the customer's local
 * time (Europe/Helsinki unless set otherwise). Pure: time zones come from the built-in Intl data.
 */
import type { Instant } from './records.ts';
import { finnishPublicHolidays } from './finnish-holidays.ts';

export interface QuietHoursSettings {
  timeZone: string;
  /** First hour calls may start (inclusive), local time. */
  firstHour: number;
  /** Hour from which calls are no longer made (exclusive), local time. */
  endHour: number;
}

export const DEFAULT_QUIET_HOURS: QuietHoursSettings = { timeZone: 'Europe/Helsinki', firstHour: 8, endHour: 20 };

export type QuietReason = 'SUNDAY' | 'PUBLIC_HOLIDAY' | 'BEFORE_HOURS' | 'AFTER_HOURS';

export interface CallWindowAnswer {
  allowed: boolean;
  reason: QuietReason | null;
  /** The local date and time the answer was made for, e.g. `2025-12-24 10:15`. */
  local: string;
  holiday: string | null;
}

export function callAllowedAt(at: Instant, settings: QuietHoursSettings = DEFAULT_QUIET_HOURS): CallWindowAnswer {
  const { date, hour, minute, weekday } = localParts(at, settings.timeZone);
  const local = `${date} ${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
  const holiday = finnishPublicHolidays(Number(date.slice(0, 4))).get(date) ?? null;
  const reason: QuietReason | null =
    weekday === 0 ? 'SUNDAY' : holiday !== null ? 'PUBLIC_HOLIDAY' : hour < settings.firstHour ? 'BEFORE_HOURS' : hour >= settings.endHour ? 'AFTER_HOURS' : null;
  return { allowed: reason === null, reason, local, holiday };
}

interface LocalParts {
  date: string;
  hour: number;
  minute: number;
  weekday: number;
}

function localParts(at: Instant, timeZone: string): LocalParts {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    weekday: 'short',
  }).formatToParts(new Date(at));
  const get = (type: Intl.DateTimeFormatPartTypes): string => parts.find((p) => p.type === type)?.value ?? '';
  const weekdays = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  return {
    date: `${get('year')}-${get('month')}-${get('day')}`,
    hour: Number(get('hour')),
    minute: Number(get('minute')),
    weekday: weekdays.indexOf(get('weekday')),
  };
}
