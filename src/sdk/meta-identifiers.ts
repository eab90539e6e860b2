/// <reference lib="dom" />
/**
 * Meta's normal forms of an e-mail address and a phone number (compliance.md §4), computed in the
 * browser for the site's Meta pixel (advanced matching, S18), and their SHA-256 with Web Crypto.
 * The same inputs give the same hex as Lupa's server-side normaliser
 * (src/core/ad-audiences/identifiers.ts): test/sdk/meta-identifiers.test.ts holds them to the same
 * vectors, in Node and in Chromium, and to the same number for every form it reads.
 *
 * The server reads numbers with libphonenumber; the SDK cannot carry its metadata and stay small,
 * so it reads the forms people type: `+358 40 …`, `00358 40 …`, `+358 (0)40 …`, the trunk 0 copied
 * behind the calling code (`+358 040 …`), and a national number in the countries of `CALLING_CODES`
 * (with its trunk 0 where the country dials one: `040 …`). It checks no lengths: a number the
 * server refuses as impossible may still be hashed here, and matches nobody. A number it cannot
 * read gives null (nothing is sent) rather than a guess.
 */
import { cleanText, isPlainAscii } from '../core/address-text.ts';

/** Country calling codes of the countries whose national numbers the SDK reads. */
export const CALLING_CODES: Record<string, string> = {
  FI: '358', AX: '358', SE: '46', NO: '47', DK: '45', EE: '372', DE: '49', AT: '43', NL: '31', FR: '33', GB: '44', IE: '353', ES: '34', PL: '48', LV: '371', LT: '370', US: '1', CA: '1',
};
/** North American numbers have no trunk 0: ten digits, or eleven starting with 1. */
const NANP = new Set(['US', 'CA']);
/**
 * Countries whose national numbers are dialled with a trunk 0, dropped after the calling code (as
 * in libphonenumber's metadata; Lithuania's changed from 8 to 0 in 2025). In the others of
 * CALLING_CODES (NO, DK, EE, ES, PL, LV) a national number is written as it is dialled from abroad.
 */
const TRUNK_ZERO = new Set(['FI', 'AX', 'SE', 'DE', 'AT', 'NL', 'FR', 'GB', 'IE', 'LT']);

const DOMAIN = /^[^\s@.]+(?:\.[^\s@.]+)+$/;

/** The e-mail as Meta wants it (trimmed, lowercased, domain in IDNA ASCII), or null when it is no address. */
export function metaEmail(raw: string): string | null {
  const text = cleanText(raw);
  const at = text.lastIndexOf('@');
  if (at <= 0) return null;
  const local = text.slice(0, at);
  if (local.includes('@') || /\s/.test(local)) return null;
  const domain = asciiDomain(text.slice(at + 1));
  if (domain === null) return null;
  const lower = local.toLowerCase();
  return `${isPlainAscii(lower) ? lower : lower.normalize('NFC')}@${domain}`;
}

/** A domain in its DNS (punycode) spelling: the browser's URL parser does the UTS #46 mapping. */
function asciiDomain(raw: string): string | null {
  let domain: string;
  if (isPlainAscii(raw)) domain = raw.toLowerCase();
  else {
    try {
      domain = new URL(`http://${raw}/`).hostname;
    } catch {
      return null;
    }
  }
  if (domain.endsWith('.')) domain = domain.slice(0, -1);
  return DOMAIN.test(domain) ? domain : null;
}

/**
 * The phone number as Meta wants it: digits only, with the country code, no `+` and no trunk 0
 * (`040 123 4567`, FI → `358401234567`); null when it cannot be read for sure. `country` applies to
 * numbers written without a country code.
 */
export function metaPhone(raw: string, country = 'FI'): string | null {
  const written = cleanText(raw);
  const text = written.replace(/\(0\)/g, '');
  if (!/^\+?[0-9()\-.\s/]+$/.test(text)) return null;
  const digits = text.replace(/\D/g, '');
  let international: string | null;
  if (text.startsWith('+')) international = withoutTrunkZero(digits);
  // 00 is the international prefix of Europe, not of North America (011 there): read it only outside.
  else if (digits.startsWith('00')) international = NANP.has(country.toUpperCase()) ? null : withoutTrunkZero(digits.slice(2));
  else international = nationalToInternational(digits, country.toUpperCase());
  if (international === null || international.startsWith('0') || international.length < 8 || international.length > 15) return null;
  // `(0)` is the trunk 0 of a country that dials one; behind another code it is no known form.
  if (text !== written && !TRUNK_ZERO_CODES.some((code) => international.startsWith(code))) return null;
  return international;
}

/**
 * An international number written with the national trunk 0 after the calling code (`+358 040 …`,
 * `00358 040 …`), as people copy their national number behind the code: the 0 dropped, as
 * libphonenumber does on the server, for the calling codes of the countries in `TRUNK_ZERO`.
 * Other numbers are left as written.
 */
function withoutTrunkZero(digits: string): string {
  for (const code of TRUNK_ZERO_CODES) {
    if (digits.startsWith(code)) return digits[code.length] === '0' ? code + digits.slice(code.length + 1) : digits;
  }
  return digits;
}

/** The calling codes of countries with a trunk 0, longest first (no code is a prefix of a longer one here, but 1 would be). */
const TRUNK_ZERO_CODES = [...new Set([...TRUNK_ZERO].map((country) => CALLING_CODES[country] as string))].sort((a, b) => b.length - a.length);

function nationalToInternational(digits: string, country: string): string | null {
  const code = CALLING_CODES[country];
  if (code === undefined) return null;
  if (NANP.has(country)) {
    if (digits.length === 10) return `1${digits}`;
    return digits.length === 11 && digits.startsWith('1') ? digits : null;
  }
  if (TRUNK_ZERO.has(country)) return digits.startsWith('0') ? `${code}${digits.slice(1)}` : null;
  return digits.startsWith('0') ? null : `${code}${digits}`;
}

/** SHA-256 of `text` (UTF-8) as 64 lowercase hex digits, with Web Crypto. */
export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** The hashed identifiers for the Meta pixel: `{email, phone}`, each 64 hex digits or null. */
export async function hashForMeta(input: { email?: string | undefined; phone?: string | undefined; country?: string | undefined }): Promise<{ email: string | null; phone: string | null }> {
  const email = input.email === undefined ? null : metaEmail(input.email);
  const phone = input.phone === undefined ? null : metaPhone(input.phone, input.country ?? 'FI');
  return { email: email === null ? null : await sha256Hex(email), phone: phone === null ? null : await sha256Hex(phone) };
}
