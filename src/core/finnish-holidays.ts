/**
 * Finnish public holidays of a year, as calendar dates (YYYY-MM-DD). Includes Midsummer Eve and
 * Christmas Eve, which are not statutory but on which nobody expects a sales call (product choice).
 */

/** Easter Sunday by the anonymous Gregorian algorithm (Meeus/Jones/Butcher). */
export function easterSunday(year: number): string {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return isoDate(year, month, day);
}

export function finnishPublicHolidays(year: number): Map<string, string> {
  const easter = easterSunday(year);
  const holidays = new Map<string, string>([
    [isoDate(year, 1, 1), 'uudenvuodenpäivä'],
    [isoDate(year, 1, 6), 'loppiainen'],
    [addDays(easter, -2), 'pitkäperjantai'],
    [easter, 'pääsiäispäivä'],
    [addDays(easter, 1), '2. pääsiäispäivä'],
    [isoDate(year, 5, 1), 'vappu'],
    [addDays(easter, 39), 'helatorstai'],
    [addDays(easter, 49), 'helluntaipäivä'],
    [weekdayBetween(year, 6, 19, 5), 'juhannusaatto'],
    [weekdayBetween(year, 6, 20, 6), 'juhannuspäivä'],
    [weekdayBetween(year, 10, 31, 6), 'pyhäinpäivä'],
    [isoDate(year, 12, 6), 'itsenäisyyspäivä'],
    [isoDate(year, 12, 24), 'jouluaatto'],
    [isoDate(year, 12, 25), 'joulupäivä'],
    [isoDate(year, 12, 26), 'tapaninpäivä'],
  ]);
  return holidays;
}

/** The first date on or after the given one that falls on `weekday` (0 Sunday … 6 Saturday). */
function weekdayBetween(year: number, month: number, firstDay: number, weekday: number): string {
  const date = new Date(Date.UTC(year, month - 1, firstDay));
  while (date.getUTCDay() !== weekday) date.setUTCDate(date.getUTCDate() + 1);
  return date.toISOString().slice(0, 10);
}

function isoDate(year: number, month: number, day: number): string {
  return new Date(Date.UTC(year, month - 1, day)).toISOString().slice(0, 10);
}

export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
