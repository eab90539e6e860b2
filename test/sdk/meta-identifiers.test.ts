/**
 * The browser SDK: its Meta hashes equal the server's for the shared vectors (here with Node's Web
 * Crypto; test/browser/sdk-demo.test.ts repeats them in Chromium); a phone number it hashes is one
 * the server takes, with the same digits, for every country it knows and every length and start
 * (src/sdk/phone-plans.ts); the built lupa.js stays under 8 KB gzipped and loads nothing else, and
 * its Consent Mode signals follow the consent.
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
import { hashForMeta, metaPhone } from '../../src/sdk/meta-identifiers.ts';
import { PHONE_PLANS } from '../../src/sdk/phone-plans.ts';
import { hashIdentifiers } from '../../src/use-cases/ad-audiences/hashed-identifiers.ts';
import { META_IDENTIFIER_VECTORS } from '../support/meta-identifier-vectors.ts';

const COUNTRIES = Object.keys(PHONE_PLANS.countries);
const FORMS = ['+cc', '+cc0', '+cc(0)', '00cc', '00cc0', 'national0', 'national', 'nationalcc'] as const;
/** Digits that follow a drawn start: varied, so no pattern is met only by repeating one digit. */
const TAIL = '418273645509182736';

const callingCode = (country: string): string => PHONE_PLANS.countries[country]?.[0] ?? '';
const trunkOf = (country: string): string => PHONE_PLANS.codes[callingCode(country)]?.[0] ?? '';

/** `national` (digits) written in one of the forms people use. */
function writtenAs(country: string, form: string, national: string, separator: string): string {
  const cc = callingCode(country);
  const split = `${national.slice(0, 2)}${separator}${national.slice(2, 5)}${separator}${national.slice(5)}`;
  const forms: Record<string, string> = {
    '+cc': `+${cc} ${split}`,
    '+cc0': `+${cc} 0${split}`,
    '+cc(0)': `+${cc} (0)${split}`,
    '00cc': `00${cc} ${split}`,
    '00cc0': `00${cc} 0${split}`,
    national0: `0${split}`,
    national: split,
    nationalcc: `${cc}${split}`,
  };
  return forms[form] ?? split;
}

/**
 * The SDK's reading of `raw` beside the server's: whenever the SDK gives digits, the server takes
 * the number and gives the same digits (the SDK may give null where the server reads a number).
 */
function compare(raw: string, country: string): { sdk: string | null; server: string | null } {
  const sdk = metaPhone(raw, country);
  const server = platformPhone('meta', raw, parseCountry(country));
  // Compared only when they differ: the sweep below makes 250,000 comparisons.
  if (sdk !== null && sdk !== server) expect({ raw, country, server }).toEqual({ raw, country, server: sdk });
  return { sdk, server };
}

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

  it('hashes the numbers people write in every country it knows, as the server does', () => {
    // The forms people write: with + or 00, the calling code, the trunk 0 copied behind it or in
    // brackets or left out, national numbers with the trunk 0, spaces and dashes anywhere.
    // Real mobile numbers: libphonenumber's example for the country with its last four digits drawn.
    const written = fc.record({
      country: fc.constantFrom(...COUNTRIES),
      last: fc.stringMatching(/^[0-9]{4}$/),
      form: fc.constantFrom('+cc', '+cc0', '+cc(0)', '00cc', '00cc0', 'national0', 'national'),
      separator: fc.constantFrom('', ' ', '-'),
    });
    let read = 0;
    fc.assert(
      fc.property(written, ({ country, last, form, separator }) => {
        const example = getExampleNumber(country as CountryCode, mobileExamples)?.nationalNumber ?? '';
        const { sdk, server } = compare(writtenAs(country, form, `${example.slice(0, -4)}${last}`, separator), country);
        if (sdk !== null) read++;
        // The plain forms of a real number are read, not refused out of caution.
        if (['+cc', '00cc'].includes(form) || (form === 'national0' && trunkOf(country) === '0')) expect(sdk).toBe(server);
      }),
      { numRuns: 3000 },
    );
    expect(read).toBeGreaterThan(1500);
    expect(metaPhone('+358 040 123 4501')).toBe('358401234501');
    expect(metaPhone('00358 040 123 4501')).toBe('358401234501');
    expect(metaPhone('+46 070 123 45 67', 'SE')).toBe('46701234567');
    expect(metaPhone('(202) 555-0143', 'US')).toBe('12025550143');
    expect(metaPhone('1 202 555 0143', 'US')).toBe('12025550143');
  });

  it('gives null for every number the server refuses: wrong lengths and any prefix, in every country it knows', () => {
    // Every length of national number from 1 to 17 digits after every two-digit start, in each form:
    // the numbers people mistype, and starts no number of the country has.
    let hashed = 0;
    let refused = 0;
    for (const country of COUNTRIES) {
      for (let length = 1; length <= 17; length++) {
        for (let start = 0; start < 100; start++) {
          const national = `${String(start).padStart(2, '0')}${TAIL.slice(0, Math.max(0, length - 2))}`.slice(0, length);
          for (const form of FORMS) {
            const { sdk, server } = compare(writtenAs(country, form, national, ' '), country);
            if (sdk !== null) hashed++;
            if (server === null) refused++;
          }
        }
      }
    }
    // Both sides were exercised: numbers hashed alike and numbers refused.
    expect(hashed).toBeGreaterThan(10_000);
    expect(refused).toBeGreaterThan(100_000);
  });

  it('gives null for any other text the server refuses (random digits, separators and countries)', () => {
    const anyText = fc.record({
      country: fc.constantFrom(...COUNTRIES, 'JP', 'BR', 'GG'),
      lead: fc.constantFrom('', '+', '00', '0', '011', '1', '+0', '(0)', '990'),
      digits: fc.array(fc.constantFrom('0', '1', '2', '3', '4', '5', '6', '7', '8', '9', ' ', '-', '.', '/', '(', ')', '\u00a0', '\t', '+'), { minLength: 1, maxLength: 22 }),
    });
    fc.assert(
      fc.property(anyText, ({ country, lead, digits }) => {
        compare(`${lead}${digits.join('')}`, country);
      }),
      { numRuns: 20_000 },
    );
  });

  it('gives null where the server refuses: the try-out\'s Estonian number and a text too long', () => {
    // Estonian national numbers have 7, 8 or 10 digits: 50 123 4567 has 9.
    expect(platformPhone('meta', '50 123 4567', 'EE')).toBeNull();
    expect(metaPhone('50 123 4567', 'EE')).toBeNull();
    expect(metaPhone('5012 3456', 'EE')).toBe('37250123456');
    expect(metaPhone(`040${' '.repeat(250)}1234567`)).toBeNull();
  });

  it('reads no number of a country or calling code it has no plan for', () => {
    expect(metaPhone('040 123 4567', 'JP')).toBeNull();
    // +81 is read by the server; the SDK does not know Japan's lengths or trunk prefix, so it sends nothing.
    expect(metaPhone('+81 3 1234 5678', 'JP')).toBeNull();
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
