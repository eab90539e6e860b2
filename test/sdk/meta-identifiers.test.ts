/**
 * The browser SDK: its Meta hashes equal the server's for the shared vectors (here with Node's Web
 * Crypto; test/browser/sdk-demo.test.ts repeats them in Chromium), the built lupa.js stays under
 * 8 KB gzipped and loads nothing else, and its Consent Mode signals follow the consent.
 */
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { getExampleNumber, type CountryCode } from 'libphonenumber-js';
import mobileExamples from 'libphonenumber-js/mobile/examples';
import { describe, expect, it } from 'vitest';
import { parseCountry, platformPhone } from '../../src/core/ad-audiences/identifiers.ts';
import { consentModeSignals } from '../../src/core/site-events/consent-mode.ts';
import { sdkBuildDir } from '../../src/http/routes/sdk.ts';
import { CALLING_CODES, hashForMeta, metaPhone } from '../../src/sdk/meta-identifiers.ts';
import { hashIdentifiers } from '../../src/use-cases/ad-audiences/hashed-identifiers.ts';
import { META_IDENTIFIER_VECTORS } from '../support/meta-identifier-vectors.ts';

describe('Meta hashes in the SDK', () => {
  it.each(META_IDENTIFIER_VECTORS.map((v) => [JSON.stringify(v), v] as const))('%s: the same hex as the server', async (_name, v) => {
    const server = hashIdentifiers('meta', { email: v.email, phone: v.phone, country: parseCountry(v.country) });
    expect(await hashForMeta(v)).toEqual(server);
  });

  it('gives hashes for the readable vectors (the comparison is not of nulls only)', async () => {
    const hashes = await Promise.all(META_IDENTIFIER_VECTORS.map((v) => hashForMeta(v)));
    expect(hashes.filter((h) => h.email !== null).length).toBeGreaterThanOrEqual(7);
    expect(hashes.filter((h) => h.phone !== null).length).toBeGreaterThanOrEqual(8);
  });

  it('never reads a number otherwise than the server: where both read it, the same digits', () => {
    // The forms people write: with + or 00, the calling code, the trunk 0 copied behind it or in
    // brackets or left out, national numbers with the trunk 0, spaces and dashes anywhere.
    const countries = Object.keys(CALLING_CODES);
    // Real mobile numbers: libphonenumber's example for the country with its last four digits drawn.
    const written = fc.record({
      country: fc.constantFrom(...countries),
      last: fc.stringMatching(/^[0-9]{4}$/),
      form: fc.constantFrom('+cc', '+cc0', '+cc(0)', '00cc', '00cc0', 'national0', 'national'),
      separator: fc.constantFrom('', ' ', '-'),
    });
    fc.assert(
      fc.property(written, ({ country, last, form, separator }) => {
        const cc = CALLING_CODES[country] ?? '';
        const example = getExampleNumber(country as CountryCode, mobileExamples)?.nationalNumber ?? '';
        const digits = `${example.slice(0, -4)}${last}`;
        const split = `${digits.slice(0, 2)}${separator}${digits.slice(2, 5)}${separator}${digits.slice(5)}`;
        const raw = {
          '+cc': `+${cc} ${split}`,
          '+cc0': `+${cc} 0${split}`,
          '+cc(0)': `+${cc} (0)${split}`,
          '00cc': `00${cc} ${split}`,
          '00cc0': `00${cc} 0${split}`,
          national0: `0${split}`,
          national: split,
        }[form];
        // The SDK checks no lengths (it carries no metadata), so it may read a number the server
        // refuses as impossible; where both read one, it is the same number.
        const sdk = metaPhone(raw, country);
        const server = platformPhone('meta', raw, parseCountry(country));
        if (sdk !== null && server !== null) expect(sdk).toBe(server);
      }),
      { numRuns: 3000 },
    );
    expect(metaPhone('+358 040 123 4501')).toBe('358401234501');
    expect(metaPhone('00358 040 123 4501')).toBe('358401234501');
    expect(metaPhone('+46 070 123 45 67', 'SE')).toBe('46701234567');
  });

  it('reads no national number of a country it has no calling code for', () => {
    expect(metaPhone('040 123 4567', 'JP')).toBeNull();
    expect(metaPhone('+81 3 1234 5678', 'JP')).toBe('81312345678');
  });
});

describe('the built lupa.js', () => {
  const dir = sdkBuildDir();
  it('is at most 8 KB gzipped and loads no other script or module', () => {
    expect(dir).not.toBeNull();
    const code = readFileSync(`${dir}/lupa.js`);
    expect(gzipSync(code, { level: 9 }).length).toBeLessThanOrEqual(8 * 1024);
    const text = code.toString('utf8');
    for (const loader of ['require(', 'import(', 'importScripts', 'createElement("script")', 'localStorage', 'sessionStorage']) expect(text).not.toContain(loader);
  });
});

describe('Consent Mode v2 signals', () => {
  it('follow the consent, denied unless known to be granted', () => {
    expect(consentModeSignals({ site_ads: false })).toEqual({ ad_storage: 'denied', ad_user_data: 'denied', ad_personalization: 'denied', analytics_storage: 'denied' });
    expect(consentModeSignals({ site_ads: true })).toEqual({ ad_storage: 'granted', ad_user_data: 'denied', ad_personalization: 'granted', analytics_storage: 'denied' });
    expect(consentModeSignals({ site_ads: true, ad_audience: true, analytics: true })).toEqual({ ad_storage: 'granted', ad_user_data: 'granted', ad_personalization: 'granted', analytics_storage: 'granted' });
    expect(consentModeSignals({ site_ads: false, ad_audience: true, analytics: true }).ad_user_data).toBe('denied');
  });
});
