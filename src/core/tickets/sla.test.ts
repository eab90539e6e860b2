import { describe, expect, it } from 'vitest';
import type { Instant } from '../records.ts';
import { addBusinessMinutes, DEFAULT_BUSINESS_HOURS, parseBusinessHours } from './business-hours.ts';
import { DEFAULT_SLA_TARGETS, parseSlaTargets, slaDue, slaState } from './sla.ts';
import { subjectWithToken, ticketIdInSubject } from './ticket.ts';

const at = (iso: string) => iso as Instant;

describe('business hours (Mon–Fri 08–16 Europe/Helsinki, Finnish holidays off)', () => {
  it('counts only working time: Friday evening is due on Monday', () => {
    // Friday 4 December 2026 17:00 in Helsinki (UTC+2); four hours: Monday 12:00.
    expect(addBusinessMinutes(at('2026-12-04T15:00:00.000Z'), 240)).toBe('2026-12-07T10:00:00.000Z');
  });

  it('runs within the day and from the opening when it starts before it', () => {
    expect(addBusinessMinutes(at('2026-12-01T08:00:00.000Z'), 60)).toBe('2026-12-01T09:00:00.000Z');
    expect(addBusinessMinutes(at('2026-12-01T03:00:00.000Z'), 30)).toBe('2026-12-01T06:30:00.000Z');
  });

  it('skips Christmas Eve, Christmas and the weekend', () => {
    // Wednesday 23 December 15:00: one hour that day, then Monday 28 December 08:00 + 3 h.
    expect(addBusinessMinutes(at('2026-12-23T13:00:00.000Z'), 240)).toBe('2026-12-28T09:00:00.000Z');
  });

  it('keeps local hours across the change to summer time', () => {
    // Friday 27 March 2026 15:00 (UTC+2); two hours: Monday 30 March 09:00 (UTC+3).
    expect(addBusinessMinutes(at('2026-03-27T13:00:00.000Z'), 120)).toBe('2026-03-30T06:00:00.000Z');
  });

  it('reads the setting, and refuses what it cannot read', () => {
    expect(parseBusinessHours('Mon-Fri 08:00-16:00', 'Europe/Helsinki')).toEqual(DEFAULT_BUSINESS_HOURS);
    expect(parseBusinessHours('Sat 10:00-14:30', 'Europe/Helsinki')).toMatchObject({ days: [6], startMinute: 600, endMinute: 870 });
    expect(() => parseBusinessHours('weekdays', 'Europe/Helsinki')).toThrow(/LUPA_SUPPORT_HOURS/);
    expect(() => parseBusinessHours('Mon-Fri 16:00-08:00', 'Europe/Helsinki')).toThrow(/LUPA_SUPPORT_HOURS/);
  });
});

describe('SLA clocks', () => {
  it('sets the due times by priority', () => {
    const due = slaDue(at('2026-12-01T08:00:00.000Z'), 'high', DEFAULT_SLA_TARGETS, DEFAULT_BUSINESS_HOURS);
    expect(due.firstResponseDue).toBe('2026-12-01T12:00:00.000Z');
    // 16 business hours: the rest of Tuesday (6 h), Wednesday (8 h), Thursday 08–10 (2 h).
    expect(due.resolutionDue).toBe('2026-12-03T08:00:00.000Z');
  });

  it('reads the targets, keeping defaults for priorities left out', () => {
    const targets = parseSlaTargets('urgent=0.5/4, low=24/120');
    expect(targets.urgent).toEqual({ firstResponseHours: 0.5, resolutionHours: 4 });
    expect(targets.normal).toEqual(DEFAULT_SLA_TARGETS.normal);
    expect(() => parseSlaTargets('urgent=8/1')).toThrow(/LUPA_TICKET_SLA/);
    expect(() => parseSlaTargets('critical=1/2')).toThrow(/LUPA_TICKET_SLA/);
  });

  it('tells on time, due soon, breached and met', () => {
    const ticket = { firstResponseDue: at('2026-12-01T12:00:00.000Z'), firstRespondedAt: null, resolutionDue: at('2026-12-03T08:00:00.000Z'), solvedAt: null };
    expect(slaState(ticket, at('2026-12-01T09:00:00.000Z')).overall).toBe('on_time');
    expect(slaState(ticket, at('2026-12-01T11:30:00.000Z')).overall).toBe('due_soon');
    expect(slaState(ticket, at('2026-12-01T12:00:01.000Z'))).toEqual({ firstResponse: 'breached', resolution: 'on_time', overall: 'breached' });
    const answered = { ...ticket, firstRespondedAt: at('2026-12-01T11:00:00.000Z') };
    expect(slaState(answered, at('2026-12-02T09:00:00.000Z'))).toEqual({ firstResponse: 'met', resolution: 'on_time', overall: 'on_time' });
    expect(slaState({ ...answered, solvedAt: at('2026-12-04T08:00:00.000Z') }, at('2026-12-05T09:00:00.000Z')).resolution).toBe('breached');
  });
});

describe('the ticket token in a subject', () => {
  it('adds it once and reads it back', () => {
    expect(subjectWithToken('Lehti ei tullut', 42)).toBe('Re: Lehti ei tullut [#42]');
    expect(subjectWithToken('Re: Lehti ei tullut [#42]', 42)).toBe('Re: Lehti ei tullut [#42]');
    expect(ticketIdInSubject('RE: Re: Lehti ei tullut [#42]')).toBe(42);
    expect(ticketIdInSubject('Lehti ei tullut')).toBeNull();
  });
});
