import { describe, expect, it } from 'vitest';
import type { CustomerId, Instant } from '../records.ts';
import { ledgerEffectOf, requireConsistentCall } from './call.ts';
import { formatOfBytes, formatOfMediaType, requireNoticeFirst, retentionEndsAt } from './recording.ts';

const T = (s: string) => s as Instant;
const call = { customerId: 'C1' as CustomerId, startedAt: T('2026-03-10T09:00:00.000Z'), endedAt: T('2026-03-10T09:04:00.000Z') };

describe('what a call outcome writes to the ledger', () => {
  it('"don’t call me" withdraws phone marketing at the end of the call, source call, the call as evidence', () => {
    expect(ledgerEffectOf({ ...call, outcome: 'do_not_call' }, 42)).toEqual({
      kind: 'consent',
      customerId: 'C1',
      purpose: 'marketing',
      channel: 'phone',
      value: 'withdrawn',
      at: '2026-03-10T09:04:00.000Z',
      source: 'call',
      noticeVersion: null,
      noticeLocale: null,
      evidenceRef: 'call:42',
    });
  });

  it('no other outcome writes anything', () => {
    for (const outcome of ['reached', 'no_answer', 'refused', 'sale', 'callback'] as const) expect(ledgerEffectOf({ ...call, outcome }, 1)).toBeNull();
  });

  it('refuses a call that ends before it starts, and a callback without its time', () => {
    expect(() => requireConsistentCall({ ...call, endedAt: T('2026-03-10T08:59:00.000Z'), outcome: 'reached', callbackAt: null })).toThrow(expect.objectContaining({ field: 'endedAt' }));
    expect(() => requireConsistentCall({ ...call, outcome: 'callback', callbackAt: null })).toThrow(expect.objectContaining({ field: 'callbackAt' }));
    expect(() => requireConsistentCall({ ...call, outcome: 'reached', callbackAt: call.endedAt })).toThrow(expect.objectContaining({ field: 'callbackAt' }));
    expect(() => requireConsistentCall({ ...call, outcome: 'callback', callbackAt: call.endedAt })).not.toThrow();
  });
});

describe('the notice before a recording (rule 10)', () => {
  it('refuses a recording without a notice, and one that started before the notice', () => {
    expect(() => requireNoticeFirst(call.startedAt, null)).toThrow(expect.objectContaining({ code: 'RECORDING_BEFORE_NOTICE', field: 'noticePlayedAt' }));
    expect(() => requireNoticeFirst(call.startedAt, T('2026-03-10T09:00:00.001Z'))).toThrow(expect.objectContaining({ code: 'RECORDING_BEFORE_NOTICE' }));
  });

  it('takes a recording that starts when the notice was played, or after', () => {
    expect(() => requireNoticeFirst(call.startedAt, call.startedAt)).not.toThrow();
    expect(() => requireNoticeFirst(call.startedAt, T('2026-03-10T08:59:50.000Z'))).not.toThrow();
  });
});

describe('how long a recording is kept', () => {
  const retention = { days: 180, saleDays: 365 };
  it('180 days from its start by default, 365 for a telesales call that made a sale', () => {
    expect(retentionEndsAt(call.startedAt, { purpose: 'service', outcome: 'reached' }, retention)).toBe('2026-09-06T09:00:00.000Z');
    expect(retentionEndsAt(call.startedAt, { purpose: 'telesales', outcome: 'refused' }, retention)).toBe('2026-09-06T09:00:00.000Z');
    expect(retentionEndsAt(call.startedAt, { purpose: 'telesales', outcome: 'sale' }, retention)).toBe('2027-03-10T09:00:00.000Z');
  });

  it('never keeps proof of a sale shorter than any other recording', () => {
    expect(retentionEndsAt(call.startedAt, { purpose: 'telesales', outcome: 'sale' }, { days: 400, saleDays: 365 })).toBe(retentionEndsAt(call.startedAt, { purpose: 'service', outcome: 'sale' }, { days: 400, saleDays: 0 }));
  });
});

describe('the audio format from the first bytes', () => {
  const bytes = (...parts: (string | number[])[]) => new Uint8Array(parts.flatMap((p) => (typeof p === 'string' ? [...p].map((c) => c.charCodeAt(0)) : p)));
  it('knows WAV, MP3 (ID3 or a frame sync) and Opus in Ogg', () => {
    expect(formatOfBytes(bytes('RIFF', [0, 0, 0, 0], 'WAVEfmt '))).toBe('wav');
    expect(formatOfBytes(bytes('ID3', [4, 0, 0]))).toBe('mp3');
    expect(formatOfBytes(bytes([0xff, 0xfb, 0x90, 0x00]))).toBe('mp3');
    expect(formatOfBytes(bytes('OggS', new Array<number>(24).fill(0), 'OpusHead'))).toBe('opus');
  });

  it('takes the media types telephony systems send, whatever their case and parameters', () => {
    expect(['audio/wav', 'audio/x-wav', 'Audio/WAV; codecs=1'].map(formatOfMediaType)).toEqual(['wav', 'wav', 'wav']);
    expect([formatOfMediaType('audio/mpeg'), formatOfMediaType('audio/mp3'), formatOfMediaType('audio/ogg; codecs=opus'), formatOfMediaType('audio/opus')]).toEqual(['mp3', 'mp3', 'opus', 'opus']);
    expect([formatOfMediaType('audio/aac'), formatOfMediaType('application/json'), formatOfMediaType('')]).toEqual([null, null, null]);
  });

  it('knows nothing else: Ogg Vorbis, AAC, text, too few bytes', () => {
    expect(formatOfBytes(bytes([0xff, 0xf1, 0x50, 0x80]))).toBeNull();
    expect(formatOfBytes(bytes('OggS', new Array<number>(24).fill(0), [1], 'vorbis '))).toBeNull();
    expect(formatOfBytes(bytes('hello world'))).toBeNull();
    expect(formatOfBytes(bytes('RIFF'))).toBeNull();
  });
});
