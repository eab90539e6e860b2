/**
 * The identifiers an ad platform gets for a person, normalised by that platform's published rules
 * (compliance.md §4) before they are hashed. Pure: hashing (SHA-256) is done where I/O is allowed.
 *
 * - Meta custom audiences: e-mail trimmed and lowercased (dots kept); phone as digits only, with the
 *   country code and no leading zero or `+` (`040 123 4567`, FI → `358401234567`).
 * - Google customer match: e-mail trimmed and lowercased, and for gmail.com / googlemail.com the dots
 *   before the `@` removed (a `+tag` stays: Google's rule removes only the dots); phone in E.164 with
 *   the `+` (`+358401234567`).
 *
 * Both start from Lupa's canonical forms (core/addresses.ts: libphonenumber for numbers), so an
 * identifier is the same however the address was typed.
 */
import { isSupportedCountry } from 'libphonenumber-js/min';
import { normaliseEmail, normalisePhone, type CountryCode } from '../addresses.ts';
import { DomainError } from '../errors.ts';
import type { Channel } from '../vocabulary.ts';

export const AD_PLATFORMS = ['meta', 'google'] as const;
export type AdPlatform = (typeof AD_PLATFORMS)[number];

export const IDENTIFIER_KINDS = ['email', 'phone'] as const;
export type IdentifierKind = (typeof IDENTIFIER_KINDS)[number];

/**
 * The channel the upload decision is asked on: `web`, the customer record itself, because rule 8
 * turns on consent for `ad_audience` and objections only, not on one channel's address; the upload
 * carries every e-mail and phone number the customer gave. (`lupa decide --purpose ad_audience
 * --channel web` gives the same answer for one customer.)
 */
export const AD_AUDIENCE_CHANNEL: Channel = 'web';

const GOOGLE_MAIL_DOMAINS = new Set(['gmail.com', 'googlemail.com']);

/** The e-mail as `platform` wants it before hashing, or null when it is not an address. */
export function platformEmail(platform: AdPlatform, raw: string): string | null {
  const email = normaliseEmail(raw);
  return email === null ? null : platformEmailOfCanonical(platform, email);
}

/**
 * `platformEmail` of an address already in Lupa's canonical form (as customers' addresses are
 * stored): the normalisation is not repeated for each of a million customers.
 */
export function platformEmailOfCanonical(platform: AdPlatform, email: string): string {
  if (platform === 'meta') return email;
  const at = email.lastIndexOf('@');
  const domain = email.slice(at + 1);
  return GOOGLE_MAIL_DOMAINS.has(domain) ? `${email.slice(0, at).replaceAll('.', '')}@${domain}` : email;
}

/**
 * The phone number as `platform` wants it before hashing, or null when it is not a number.
 * `country` (ISO 3166 alpha-2) applies to numbers written without a country code.
 */
export function platformPhone(platform: AdPlatform, raw: string, country: CountryCode = 'FI'): string | null {
  const e164 = normalisePhone(raw, country);
  return e164 === null ? null : platformPhoneOfE164(platform, e164);
}

/** `platformPhone` of a number already in E.164 (as customers' numbers are stored). */
export function platformPhoneOfE164(platform: AdPlatform, e164: string): string {
  return platform === 'meta' ? e164.slice(1) : e164;
}

/** A country code as given on the command line or in a query: VALIDATION_FAILED naming `country` otherwise. */
export function parseCountry(value: string | undefined): CountryCode {
  const country = (value ?? 'FI').toUpperCase();
  if (!isSupportedCountry(country)) throw new DomainError('VALIDATION_FAILED', `country must be a two-letter country code (FI, SE, …)`, { field: 'country' });
  return country;
}

export function parseAdPlatform(value: string | undefined): AdPlatform {
  const platform = AD_PLATFORMS.find((p) => p === value);
  if (platform === undefined) throw new DomainError('VALIDATION_FAILED', `platform must be one of ${AD_PLATFORMS.join(', ')}`, { field: 'platform' });
  return platform;
}
