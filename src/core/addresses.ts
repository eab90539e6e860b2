/**
 * The one canonical form of every contact address. Customers' addresses are stored in it and
 * suppressions are keyed by it, so the database's plain equality (`c.email = s.address`, GROUP BY
 * email) is equality of addresses however they were typed. Every entry point (import, API,
 * suppression import, bounces, SMS replies) goes through these functions; docs/decisions/0004
 * gives the rules and why.
 */
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/min';
import { toASCII } from 'tr46';
import { cleanText, isPlainAscii } from './address-text.ts';
import type { PostalAddress } from './records.ts';
import type { Channel } from './vocabulary.ts';

export type { CountryCode };

/**
 * E-mail address → canonical form, or null when it cannot be one.
 * Canonical: NFC, no invisible characters, trimmed, lowercased; the domain in its IDNA ASCII form
 * (UTS #46 ToASCII, nontransitional: `Päivä.FI` → `xn--piv-qlac.fi`) without a trailing root dot.
 * Deliberately loose otherwise: one @, something before it, a domain of two or more non-empty
 * labels. Mail systems are the judge of the rest.
 */
export function normaliseEmail(raw: string): string | null {
  const text = cleanText(raw);
  const at = text.lastIndexOf('@');
  if (at <= 0) return null;
  const local = text.slice(0, at);
  if (local.includes('@') || /\s/.test(local)) return null;
  const domain = canonicalDomain(text.slice(at + 1));
  if (domain === null) return null;
  const lower = local.toLowerCase();
  return `${isPlainAscii(lower) ? lower : lower.normalize('NFC')}@${domain}`;
}

const DOMAIN = /^[^\s@.]+(?:\.[^\s@.]+)+$/;

/**
 * A mail domain in the form DNS and SMTP without SMTPUTF8 use, so that one typed in Unicode equals
 * its punycode spelling (as bounce reports give it). UTS #46 mapping also folds case, full-width
 * letters and the ideographic full stop. An ASCII domain maps to itself lowercased, so it skips tr46.
 */
function canonicalDomain(raw: string): string | null {
  let domain = isPlainAscii(raw) ? raw.toLowerCase() : toASCII(raw);
  if (domain === null) return null;
  // "example.fi." names the same domain as "example.fi": the trailing dot is DNS's root.
  if (domain.endsWith('.')) domain = domain.slice(0, -1);
  return DOMAIN.test(domain) ? domain : null;
}

/** Why a phone number was refused; `PHONE_REFUSALS` has the text for each. */
export type PhoneRefusal = 'not_a_number' | 'no_prefix' | 'extension';

export type PhoneCheck = { ok: true; e164: string } | { ok: false; refusal: PhoneRefusal };

/** What to tell the person who typed it (never containing the number itself). */
export const PHONE_REFUSALS: Record<PhoneRefusal, string> = {
  not_a_number: 'a phone number (e.g. +358401234567 or 040 123 4567)',
  no_prefix: 'a phone number with its leading 0 (040 123 4567) or country code (+358 40 123 4567): without either, the number is guessed',
  extension: 'a phone number without an extension',
};

/**
 * Phone number → E.164 (`+358401234501`), by libphonenumber's rules (the field's standard), or
 * the reason it is refused. The default country (ISO 3166 alpha-2, FI unless given) applies to
 * numbers without an international prefix.
 *
 * Accepted: `+358 040 123 4501` and `+358 (0)40 …` (the trunk 0 after a country code is dropped),
 * `00358 …` and Finland's other international prefixes (990, 994, 999), `040-123 4504`,
 * `(040) 123 4507`, and `358401234503`: digits that begin with the default country's calling
 * code and are too long to be a national number are read as international without the `+`
 * (the MSISDN form that SMS gateways and operators' files use).
 * Refused: a national number written without its trunk 0 (`401234506`: `no_prefix`), a number
 * with an extension, and one whose length is not possible for its country (`not_a_number`).
 * Length, not digit patterns, is checked (libphonenumber's `min` metadata, `isPossible`): a new
 * number range must not be refused by an old copy of the metadata.
 */
export function checkPhone(raw: string, defaultCountry: CountryCode = 'FI'): PhoneCheck {
  let text = cleanText(raw);
  // Full-width digits and the like, as some keyboards write them, become ASCII.
  if (!isPlainAscii(text)) text = text.normalize('NFKC');
  const parsed = parsePhoneNumberFromString(text, { defaultCountry, extract: false });
  if (parsed === undefined || !parsed.isPossible()) return { ok: false, refusal: 'not_a_number' };
  if (parsed.ext !== undefined) return { ok: false, refusal: 'extension' };
  const national = parsed.nationalNumber as string;
  // Nothing stripped (no +, international prefix, calling code or trunk 0), in a country whose
  // national numbers are written with a trunk prefix: the country is a guess, so it is refused.
  if (!text.startsWith('+') && digitsOf(text) === national && digitsOf(parsed.formatNational()) !== national) {
    return { ok: false, refusal: 'no_prefix' };
  }
  return { ok: true, e164: parsed.number as string };
}

/** `checkPhone`'s E.164 form, or null when the number is refused. */
export function normalisePhone(raw: string, defaultCountry: CountryCode = 'FI'): string | null {
  const check = checkPhone(raw, defaultCountry);
  return check.ok ? check.e164 : null;
}

function digitsOf(text: string): string {
  return text.replace(/\D/g, '');
}

/**
 * The key a postal Robinson entry or a post suppression is matched on: `street|postcode`, both
 * cleaned (NFC, no invisible characters), lowercased, whitespace (NBSP too) folded to one space
 * in the street and removed from the postcode.
 */
export function postalKey(address: Pick<PostalAddress, 'street' | 'postalCode'>): string {
  const street = foldCase(cleanText(address.street)).replace(/\s+/g, ' ');
  const postcode = foldCase(cleanText(address.postalCode)).replace(/\s+/g, '');
  return `${street}|${postcode}`;
}

function foldCase(text: string): string {
  const lower = text.toLowerCase();
  return isPlainAscii(lower) ? lower : lower.normalize('NFC');
}

/**
 * An address as stored for a channel (a customer's e-mail or E.164 number, a suppression's
 * address, a postal key `street|postcode`) in today's canonical form, or null when these rules
 * cannot read it (it is then left as it is). Used to bring stored keys up to date when the rules
 * change (storage/canonical-addresses.ts).
 */
export function canonicalChannelAddress(channel: Channel, stored: string): string | null {
  switch (channel) {
    case 'email':
      return normaliseEmail(stored);
    case 'sms':
    case 'phone':
      return normalisePhone(stored);
    case 'post': {
      const parts = stored.split('|');
      return parts.length === 2 ? postalKey({ street: parts[0] ?? '', postalCode: parts[1] ?? '' }) : null;
    }
    case 'web':
      return null;
  }
}
