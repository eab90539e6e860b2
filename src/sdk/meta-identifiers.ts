/// <reference lib="dom" />
/**
 * Meta's normal forms of an e-mail address and a phone number (compliance.md §4), computed in the
 * browser for the site's Meta pixel (advanced matching, S18), and their SHA-256 with Web Crypto.
 * The same inputs give the same hex as Lupa's server-side normaliser
 * (src/core/ad-audiences/identifiers.ts): test/sdk/meta-identifiers.test.ts holds them to the same
 * vectors, in Node and in Chromium, and to the same number for every form it reads.
 *
 * The server reads numbers with libphonenumber; the SDK cannot carry its metadata and stay small,
 * so it carries what the server's reading turns on for the countries of `SDK_PHONE_COUNTRIES`,
 * derived from that metadata when lupa.js is built (src/sdk/phone-plans.ts): calling codes,
 * international and national prefixes, and the lengths of national number the server takes. It
 * reads `+358 40 …`, `00358 40 …`, `+358 (0)40 …`, `+358 040 …` and national numbers of those
 * countries (`040 …`), and gives null (nothing is sent) wherever the server would refuse the number
 * or might read it otherwise: whenever it gives digits, they are the server's.
 */
import { cleanText, isPlainAscii } from '../core/address-text.ts';
import { PHONE_PLANS } from './phone-plans.ts';

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

/** libphonenumber's longest text (MAX_INPUT_STRING_LENGTH): a longer one is no number to the server. */
const MAX_INPUT = 250;
/**
 * The characters between digits the SDK reads: ASCII separators and the no-break space, all of
 * which libphonenumber skips (a tab or another space character it does not: then no number).
 */
const WRITTEN = /^\+?[0-9 \u00a0().\-/]+$/;

/**
 * The phone number as Meta wants it: digits only, with the country code, no `+` and no trunk 0
 * (`040 123 4567`, FI → `358401234567`); null when it cannot be read for sure. `country` applies to
 * numbers written without a country code.
 *
 * The steps are libphonenumber's (as the server reads a number), on the derived table: an
 * international prefix of `country` (its `00`) or `+`, then the calling code, then the national
 * prefix (dropped only where the server drops it), then the length. Where the server's reading turns
 * on its number patterns, which the SDK does not carry, or on which country of a shared calling code
 * the number is in, the SDK gives null.
 */
export function metaPhone(raw: string, country = 'FI'): string | null {
  const text = cleanText(raw);
  if (text.length > MAX_INPUT || !WRITTEN.test(text)) return null;
  const digits = text.replace(/\D/g, '');
  if (text.startsWith('+')) return international(digits);
  const home = PHONE_PLANS.countries[country.toUpperCase()];
  if (home === undefined) return null;
  const code = home[0];
  const out = prefixOf(home[1], digits);
  // libphonenumber takes the international prefix only when a digit other than 0 follows it.
  if (out !== '' && digits.length > out.length && digits[out.length] !== '0') return international(digits.slice(out.length));
  const whole = significant(code, digits);
  // Written without the national prefix where the national format shows one: the server refuses it.
  if (whole === null || (plan(code)[1] === 1 && whole === digits)) return null;
  // Digits that begin with the calling code may be read as international without the +
  // (libphonenumber does when the rest fits its number patterns better): unsure unless the rest
  // cannot be a number of the country, or reads the same.
  if (digits.startsWith(code)) {
    const shorter = significant(code, digits.slice(code.length));
    if (shorter === null || (shorter !== whole && lengthState(code, shorter.length) !== 'n')) return null;
  }
  return lengthState(code, whole.length) === 'y' ? code + whole : null;
}

/** The number after `+` or the international prefix: a calling code of the table, then the national number. */
function international(digits: string): string | null {
  // Calling codes are prefix-free: the first that matches is the number's.
  for (let i = 1; i <= 3; i++) {
    const code = digits.slice(0, i);
    if (PHONE_PLANS.codes[code] !== undefined) {
      const national = significant(code, digits.slice(i));
      return national !== null && lengthState(code, national.length) === 'y' ? code + national : null;
    }
  }
  return null;
}

function plan(code: string): [string, 0 | 1, string] {
  return PHONE_PLANS.codes[code] as [string, 0 | 1, string];
}

/** The start of `digits` that a prefix rule (a regular expression source from the table) matches, or ''. */
function prefixOf(source: string, digits: string): string {
  return source === '' ? '' : (new RegExp(`^(?:${source})`).exec(digits)?.[0] ?? '');
}

/** `y`, `n`, `l` or `?`: how a national number of `length` digits stands in the countries of `code`. */
function lengthState(code: string, length: number): string {
  return plan(code)[2][length] ?? 'l';
}

/**
 * The national significant number of `digits` (after any calling code): the national prefix
 * dropped where libphonenumber drops it, i.e. when what follows is possible or too long; null
 * when that depends on which country of the calling code the number is in.
 */
function significant(code: string, digits: string): string | null {
  const prefix = prefixOf(plan(code)[0], digits);
  if (prefix === '') return digits;
  const rest = digits.slice(prefix.length);
  const state = lengthState(code, rest.length);
  if (state === '?') return null;
  return state === 'n' ? digits : rest;
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
