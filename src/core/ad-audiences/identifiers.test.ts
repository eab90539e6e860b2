/**
 * The identifiers each platform gets, as compliance.md §4 normalises them: vectors for e-mail and
 * phone on Meta and Google, hashed as `lupa audiences hash` prints them.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hashIdentifiers } from '../../use-cases/ad-audiences/hashed-identifiers.ts';
import { parseCountry, platformEmail, platformPhone } from './identifiers.ts';

const sha = (s: string): string => createHash('sha256').update(s).digest('hex');

describe('e-mail', () => {
  it.each([
    ['  Anna.Virtanen@Example.FI ', 'anna.virtanen@example.fi', 'anna.virtanen@example.fi'],
    ['Matti.Meikalainen+uutiset@Gmail.com', 'matti.meikalainen+uutiset@gmail.com', 'mattimeikalainen+uutiset@gmail.com'],
    ['j.o.e@googlemail.com', 'j.o.e@googlemail.com', 'joe@googlemail.com'],
    ['first.last@gmail.com.example', 'first.last@gmail.com.example', 'first.last@gmail.com.example'],
    ['ÄITI@Päivä.fi', 'äiti@xn--piv-qlac.fi', 'äiti@xn--piv-qlac.fi'],
  ])('%s → Meta %s, Google %s', (raw, meta, google) => {
    expect(platformEmail('meta', raw)).toBe(meta);
    expect(platformEmail('google', raw)).toBe(google);
  });

  it('is null for what is no address', () => {
    expect(platformEmail('meta', 'no-at-sign')).toBeNull();
    expect(platformEmail('google', ' @example.fi')).toBeNull();
  });
});

describe('phone', () => {
  it.each([
    ['040 123 4567', 'FI', '358401234567', '+358401234567'],
    ['+358 40 123 4567', 'FI', '358401234567', '+358401234567'],
    ['00358 40 1234567', 'FI', '358401234567', '+358401234567'],
    ['+358 (0)40-123 4567', 'FI', '358401234567', '+358401234567'],
    ['070-123 45 67', 'SE', '46701234567', '+46701234567'],
    ['+46 70 123 45 67', 'FI', '46701234567', '+46701234567'],
    ['(202) 555-0143', 'US', '12025550143', '+12025550143'],
    ['0151 23456789', 'DE', '4915123456789', '+4915123456789'],
  ])('%s in %s → Meta %s, Google %s', (raw, country, meta, google) => {
    expect(platformPhone('meta', raw, parseCountry(country))).toBe(meta);
    expect(platformPhone('google', raw, parseCountry(country))).toBe(google);
  });

  it('is null for what is no number, and a country must be one', () => {
    expect(platformPhone('meta', '12')).toBeNull();
    expect(() => parseCountry('XX')).toThrow(/country/);
  });
});

describe('hashes', () => {
  it('are SHA-256 in lowercase hex of the normal form', () => {
    const meta = hashIdentifiers('meta', { email: ' A.B@Gmail.com', phone: '040 123 4567', country: 'FI' });
    expect(meta).toEqual({ email: sha('a.b@gmail.com'), phone: sha('358401234567') });
    const google = hashIdentifiers('google', { email: ' A.B+x@Gmail.com', phone: '040 123 4567', country: 'FI' });
    expect(google).toEqual({ email: sha('ab+x@gmail.com'), phone: sha('+358401234567') });
    expect(google.email).toMatch(/^[0-9a-f]{64}$/);
    expect(hashIdentifiers('meta', { country: 'FI' })).toEqual({ email: null, phone: null });
  });
});
