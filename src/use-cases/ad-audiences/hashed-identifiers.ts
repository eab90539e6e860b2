/**
 * The exact identifiers Lupa uploads: the platform's normal form (core/ad-audiences/identifiers.ts),
 * SHA-256, lowercase hex (compliance.md §4). Nothing else of a person leaves for an ad platform.
 */
import { hash } from 'node:crypto';
import { platformEmail, platformEmailOfCanonical, platformPhone, platformPhoneOfE164, type AdPlatform } from '../../core/ad-audiences/identifiers.ts';
import type { CustomerContacts, HashedIdentifier } from '../../core/ad-audiences/ports.ts';
import type { CountryCode } from '../../core/addresses.ts';

/** SHA-256 of the UTF-8 text, lowercase hex (the one-shot `hash`: several times faster than a Hash object per string). */
export function sha256Hex(text: string): string {
  return hash('sha256', text, 'hex');
}

/** `lupa audiences hash`: the hashes of one e-mail and one phone number as `platform` would get them; null for what is not given or not an address. */
export function hashIdentifiers(platform: AdPlatform, input: { email?: string; phone?: string; country: CountryCode }): { email: string | null; phone: string | null } {
  const email = input.email === undefined ? null : platformEmail(platform, input.email);
  const phone = input.phone === undefined ? null : platformPhone(platform, input.phone, input.country);
  return { email: email === null ? null : sha256Hex(email), phone: phone === null ? null : sha256Hex(phone) };
}

/**
 * Every identifier of one customer for `platform`: each e-mail and phone the customer gave, hashed.
 * Customers' addresses are stored in canonical form (every entry point normalises them,
 * core/addresses.ts), so only the platform's own step is applied here.
 */
export function customerIdentifiers(platform: AdPlatform, contacts: CustomerContacts): HashedIdentifier[] {
  const out: HashedIdentifier[] = [];
  for (const email of contacts.emails) out.push({ kind: 'email', hash: sha256Hex(platformEmailOfCanonical(platform, email)) });
  for (const e164 of contacts.phones) out.push({ kind: 'phone', hash: sha256Hex(platformPhoneOfE164(platform, e164)) });
  return out;
}
