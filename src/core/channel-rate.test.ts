import { describe, expect, it } from 'vitest';
import { handOffsToAsk, parseChannelRates, rateWindow, waitAfterGrant } from './channel-rate.ts';
import type { Instant } from './records.ts';

const at = (iso: string): Instant => iso as Instant;

describe('hand-offs per second per channel', () => {
  it('reads the limits as CHANNEL=N pairs, none when empty', () => {
    expect(parseChannelRates('email=200,sms=20')).toEqual({ email: 200, sms: 20 });
    expect(parseChannelRates(' sms = 5 ')).toEqual({ sms: 5 });
    expect(parseChannelRates('')).toEqual({});
  });

  it('refuses an unknown or unsendable channel, a rate that is no positive whole number, and a channel given twice', () => {
    for (const bad of ['fax=10', 'phone=10', 'email=0', 'email=1.5', 'email=', 'email', 'email=10=20', 'email=10,email=20']) {
      expect(() => parseChannelRates(bad), bad).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID', field: 'LUPA_CHANNEL_RATES' }));
    }
  });

  it('counts hand-offs in whole UTC seconds', () => {
    expect(rateWindow(at('2026-11-04T10:00:00.999Z'))).toBe('2026-11-04T10:00:00.000Z');
    expect(rateWindow(at('2026-11-04T10:00:01.000Z'))).toBe('2026-11-04T10:00:01.000Z');
  });

  it('asks for every waiting message, but never for more than a second holds', () => {
    expect(handOffsToAsk(3, 200)).toBe(3);
    expect(handOffsToAsk(500, 200)).toBe(200);
  });

  it('goes on at once when all it asked for was granted, and otherwise waits for the next second', () => {
    expect(waitAfterGrant(at('2026-11-04T10:00:00.250Z'), 5, 5)).toBe(0);
    expect(waitAfterGrant(at('2026-11-04T10:00:00.250Z'), 5, 2)).toBe(750);
    expect(waitAfterGrant(at('2026-11-04T10:00:00.000Z'), 5, 0)).toBe(1000);
  });
});
