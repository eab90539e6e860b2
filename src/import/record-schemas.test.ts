import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../core/errors.ts';
import type { Instant } from '../core/records.ts';
import { parseInstant } from '../core/time.ts';
import { instant, parseRecord, type ParsedRecord } from './record-schemas.ts';

// Far ahead: these tests are not about records dated after the import (that rule has its own test).
const ctx = { phoneRobinsonYears: 3, now: '2200-12-31T23:59:59.999Z' as Instant };
const parse = (value: unknown): ParsedRecord => parseRecord(value, ctx);

function failure(value: unknown): { code: string; field: string | undefined } {
  try {
    parse(value);
  } catch (err) {
    if (err instanceof DomainError) return { code: err.code, field: err.field };
    throw err;
  }
  throw new Error('expected a validation error');
}

const customer = { type: 'customer', id: 'C1', kind: 'person', name: 'Matti Virtanen' };
const order = { type: 'order', id: 'O1', customerId: 'C1', sku: 'HS', startedAt: '2024-01-01T00:00:00Z', soldVia: 'web', optOutOffered: true };
const consent = { type: 'consent', customerId: 'C1', purpose: 'marketing', value: 'granted', at: '2024-02-01T08:00:00Z', source: 'web' };

describe('parseRecord', () => {
  it('normalises e-mails and phones, primary first and without repeats', () => {
    const rec = parse({ ...customer, email: ' Matti@Example.FI ', emails: ['matti@example.fi', 'm2@example.fi'], phone: '040 123 4567', phones: ['+358401234567'] });
    expect(rec).toMatchObject({ type: 'customer', customer: { emails: ['matti@example.fi', 'm2@example.fi'], phones: ['+358401234567'] } });
  });

  it('names the field of an invalid contact detail without echoing it', () => {
    expect(failure({ ...customer, email: 'not-an-email' })).toEqual({ code: 'VALIDATION_FAILED', field: 'email' });
    expect(failure({ ...customer, phones: ['+358401234567', '12'] })).toEqual({ code: 'VALIDATION_FAILED', field: 'phones[1]' });
    expect(failure({ ...customer, address: { street: 'Katu 1', city: 'Turku' } })).toEqual({ code: 'VALIDATION_FAILED', field: 'address.postalCode' });
    try {
      parse({ ...customer, email: 'secret-address' });
    } catch (err) {
      expect(String(err)).not.toContain('secret-address');
    }
  });

  it('uses the stable codes for vocabulary and dates', () => {
    expect(failure({ ...consent, purpose: 'spam' })).toEqual({ code: 'UNKNOWN_PURPOSE', field: 'purpose' });
    expect(failure({ ...consent, channel: 'fax' })).toEqual({ code: 'UNKNOWN_CHANNEL', field: 'channel' });
    expect(failure({ ...consent, at: 'yesterday' })).toEqual({ code: 'INVALID_DATE', field: 'at' });
    expect(failure({ ...order, endedAt: '2023-01-01T00:00:00Z' })).toEqual({ code: 'VALIDATION_FAILED', field: 'endedAt' });
    expect(failure({ ...order, optOutOffered: 'yes' })).toEqual({ code: 'VALIDATION_FAILED', field: 'optOutOffered' });
    expect(failure({ ...customer, kind: 'robot' })).toEqual({ code: 'VALIDATION_FAILED', field: 'kind' });
  });

  it('refuses unknown types, unknown fields, non-objects and NUL characters', () => {
    expect(failure({ ...customer, type: 'invoice' })).toEqual({ code: 'VALIDATION_FAILED', field: 'type' });
    expect(failure({ ...consent, noticeVersio: 'v1' })).toEqual({ code: 'VALIDATION_FAILED', field: 'noticeVersio' });
    expect(failure([1, 2])).toEqual({ code: 'VALIDATION_FAILED', field: undefined });
    expect(failure({ ...customer, name: 'a\u0000b' })).toEqual({ code: 'VALIDATION_FAILED', field: 'name' });
  });

  it('maps consents and objections to ledger records with defaults', () => {
    expect(parse(consent)).toEqual({
      type: 'consent',
      ledger: {
        kind: 'consent', customerId: 'C1', purpose: 'marketing', channel: null, value: 'granted', at: '2024-02-01T08:00:00.000Z', source: 'web',
        noticeVersion: null, noticeLocale: null, evidenceRef: null,
      },
    });
    const objection = parse({ type: 'objection', customerId: 'C1', scope: 'profiling', at: '2024-03-01', source: 'phone' });
    expect(objection).toMatchObject({ type: 'objection', ledger: { kind: 'objection', scope: 'profiling', value: 'objected', at: '2024-03-01T00:00:00.000Z' } });
  });

  it('normalises suppression addresses per channel', () => {
    const supp = (channel: string, address: unknown, extra: object = {}): unknown =>
      parse({ type: 'suppression', channel, address, reason: 'unsubscribe', at: '2024-01-01T00:00:00Z', ...extra });
    expect(supp('email', ' Matti@Example.FI')).toMatchObject({ suppression: { address: 'matti@example.fi', source: 'import' } });
    expect(supp('sms', '040 123 4567')).toMatchObject({ suppression: { address: '+358401234567' } });
    const key = 'mannerheimintie 1 a|00100';
    expect(supp('post', { street: ' Mannerheimintie  1 A', postalCode: '00 100' })).toMatchObject({ suppression: { address: key } });
    expect(supp('post', 'Mannerheimintie 1 A, 00100 Helsinki')).toMatchObject({ suppression: { address: key } });
    expect(supp('post', 'Mannerheimintie 1 A|00100')).toMatchObject({ suppression: { address: key } });
    expect(failure({ type: 'suppression', channel: 'post', address: 'somewhere', reason: 'robinson', at: '2024-01-01' })).toEqual({ code: 'VALIDATION_FAILED', field: 'address' });
    // A manual suppression is a person's, with a note saying why: added by hand, never imported.
    expect(failure({ type: 'suppression', channel: 'email', address: 'a@example.fi', reason: 'manual', at: '2024-01-01' })).toEqual({ code: 'VALIDATION_FAILED', field: 'reason' });
    expect(failure({ type: 'suppression', channel: 'email', address: 'x', reason: 'robinson', at: '2024-01-01' })).toEqual({ code: 'VALIDATION_FAILED', field: 'address' });
    expect(failure({ type: 'suppression', channel: 'fax', address: 'x', reason: 'robinson', at: '2024-01-01' })).toEqual({ code: 'UNKNOWN_CHANNEL', field: 'channel' });
  });

  it('gives a phone Robinson entry without an end phoneRobinsonYears, and only that one', () => {
    const base = { type: 'suppression', address: '0401234567', at: '2024-02-29T12:00:00Z' };
    expect(parse({ ...base, channel: 'phone', reason: 'robinson' })).toMatchObject({ suppression: { validUntil: '2027-03-01T12:00:00.000Z' } });
    expect(parse({ ...base, channel: 'phone', reason: 'robinson', validUntil: '2025-01-01T00:00:00Z' })).toMatchObject({ suppression: { validUntil: '2025-01-01T00:00:00.000Z' } });
    expect(parse({ ...base, channel: 'sms', reason: 'robinson' })).toMatchObject({ suppression: { validUntil: null } });
    expect(parseRecord({ ...base, channel: 'phone', reason: 'robinson' }, { ...ctx, phoneRobinsonYears: 5 })).toMatchObject({ suppression: { validUntil: '2029-03-01T12:00:00.000Z' } });
  });
});

describe('instant', () => {
  it('agrees with parseInstant on every input, including the fast path', () => {
    const pad = (n: number, w: number): string => String(n).padStart(w, '0');
    const canonicalish = fc
      .tuple(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 }), fc.integer({ min: 0, max: 25 }), fc.integer({ min: 0, max: 61 }), fc.boolean())
      .map(([y, mo, d, h, mi, ms]) => `${pad(y, 4)}-${pad(mo, 2)}-${pad(d, 2)}T${pad(h, 2)}:${pad(mi, 2)}:${pad(mi, 2)}${ms ? '.123' : ''}Z`);
    const outcome = (f: () => string): string => {
      try {
        return f();
      } catch (err) {
        return err instanceof DomainError ? err.code : 'other';
      }
    };
    fc.assert(
      fc.property(fc.oneof(canonicalish, fc.string(), fc.constantFrom('2024-02-29T00:00:00Z', '2023-02-29T00:00:00Z', '2024-01-01T24:00:00Z', '2024-01-01T08:00:00+02:00')), (s) => {
        expect(outcome(() => instant(s, 'at'))).toBe(outcome(() => parseInstant(s, 'at')));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('consents and objections dated after the import', () => {
  const now = '2026-11-30T12:00:00.000Z' as Instant;
  const at = (value: string, type: 'consent' | 'objection'): unknown => {
    const base = { type, customerId: 'C1', at: value, source: 'letter' };
    const record = type === 'consent' ? { ...base, purpose: 'marketing', channel: 'email', value: 'granted' } : { ...base, scope: 'profiling' };
    try {
      const parsed = parseRecord(record, { phoneRobinsonYears: 3, now });
      return 'ledger' in parsed ? parsed.ledger.at : parsed;
    } catch (err) {
      return err instanceof DomainError ? `${err.code} ${err.field}` : err;
    }
  };

  it('are refused, naming at, when further ahead than clock skew', () => {
    for (const type of ['consent', 'objection'] as const) {
      expect(at('2030-01-01T00:00:00Z', type)).toBe('VALIDATION_FAILED at');
      expect(at('2026-11-30T12:05:01Z', type)).toBe('VALIDATION_FAILED at');
    }
  });

  it('are recorded at the import time when a little ahead, and as dated otherwise', () => {
    expect(at('2026-11-30T12:03:00Z', 'objection')).toBe(now);
    expect(at('2026-11-30T11:59:00Z', 'objection')).toBe('2026-11-30T11:59:00.000Z');
    expect(at('2020-01-01T00:00:00Z', 'consent')).toBe('2020-01-01T00:00:00.000Z');
  });
});
