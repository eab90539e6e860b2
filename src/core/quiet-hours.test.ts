import { describe, expect, it } from 'vitest';
import { easterSunday, finnishPublicHolidays } from './finnish-holidays.ts';
import { callAllowedAt } from './quiet-hours.ts';
import type { Instant } from './records.ts';

const at = (iso: string): Instant => new Date(iso).toISOString() as Instant;

describe('rule 5: quiet hours for calls', () => {
  it('allows a call on a weekday between 08:00 and 20:00 Helsinki time', () => {
    // Tuesday 2025-03-11 08:00 in Helsinki is 06:00 UTC (winter time, UTC+2).
    expect(callAllowedAt(at('2025-03-11T06:00:00Z'))).toEqual({ allowed: true, reason: null, local: '2025-03-11 08:00', holiday: null });
  });

  it('refuses a call before 08:00 and from 20:00 on, in local time across daylight saving', () => {
    expect(callAllowedAt(at('2025-03-11T05:59:00Z'))).toMatchObject({ allowed: false, reason: 'BEFORE_HOURS', local: '2025-03-11 07:59' });
    // Summer time (UTC+3): 17:00 UTC is 20:00 local.
    expect(callAllowedAt(at('2025-07-08T17:00:00Z'))).toMatchObject({ allowed: false, reason: 'AFTER_HOURS', local: '2025-07-08 20:00' });
    expect(callAllowedAt(at('2025-07-08T16:59:00Z'))).toMatchObject({ allowed: true });
  });

  it('refuses any call on a Sunday, whatever the hour', () => {
    expect(callAllowedAt(at('2025-03-16T10:00:00Z'))).toMatchObject({ allowed: false, reason: 'SUNDAY' });
  });

  it('refuses calls on public holidays, including the moving ones', () => {
    expect(callAllowedAt(at('2025-12-06T10:00:00Z'))).toMatchObject({ allowed: false, reason: 'PUBLIC_HOLIDAY', holiday: 'itsenäisyyspäivä' });
    expect(callAllowedAt(at('2025-04-18T10:00:00Z'))).toMatchObject({ reason: 'PUBLIC_HOLIDAY', holiday: 'pitkäperjantai' });
    expect(callAllowedAt(at('2025-06-20T10:00:00Z'))).toMatchObject({ reason: 'PUBLIC_HOLIDAY', holiday: 'juhannusaatto' });
    expect(callAllowedAt(at('2025-11-01T10:00:00Z'))).toMatchObject({ reason: 'PUBLIC_HOLIDAY', holiday: 'pyhäinpäivä' });
  });

  it('judges the day by local time: 23:30 UTC on a Saturday is already Sunday in Helsinki', () => {
    expect(callAllowedAt(at('2025-03-15T23:30:00Z'))).toMatchObject({ reason: 'SUNDAY', local: '2025-03-16 01:30' });
  });
});

describe('Finnish public holidays', () => {
  it('computes Easter Sunday for known years', () => {
    expect([2024, 2025, 2026, 2027].map(easterSunday)).toEqual(['2024-03-31', '2025-04-20', '2026-04-05', '2027-03-28']);
  });

  it('places Ascension Day, Midsummer and All Saints on the right days of 2026', () => {
    const h = finnishPublicHolidays(2026);
    expect(h.get('2026-05-14')).toBe('helatorstai');
    expect(h.get('2026-06-19')).toBe('juhannusaatto');
    expect(h.get('2026-06-20')).toBe('juhannuspäivä');
    expect(h.get('2026-10-31')).toBe('pyhäinpäivä');
    expect(h.size).toBe(15);
  });
});
