/** Normalisation of contact addresses, so that a suppression matches however the address was typed. */
import type { PostalAddress } from './records.ts';

export function normaliseEmail(raw: string): string | null {
  const email = raw.trim().toLowerCase();
  // Deliberately loose: one @, something on each side, a dot in the domain. Mail systems are the judge.
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) ? email : null;
}

/**
 * Phone number to E.164. Numbers without a country code are taken as Finnish
 * (`040 123 4567` → `+358401234567`). Returns null when it cannot be a phone number.
 */
export function normalisePhone(raw: string, defaultCountryCode = '358'): string | null {
  const trimmed = raw.trim();
  // "+358 (0)40 …": the bracketed trunk zero is written for domestic callers and is not dialled from abroad.
  let digits = trimmed.replace(/\(0\)/g, '').replace(/[\s\-().]/g, '');
  if (digits.startsWith('+')) digits = digits.slice(1);
  else if (digits.startsWith('00')) digits = digits.slice(2);
  else if (digits.startsWith('0')) digits = defaultCountryCode + digits.slice(1);
  else return null;
  if (!/^\d{7,15}$/.test(digits)) return null;
  return `+${digits}`;
}

/** The key a postal Robinson entry or a post suppression is matched on: street and postcode, case and spacing folded. */
export function postalKey(address: Pick<PostalAddress, 'street' | 'postalCode'>): string {
  const street = address.street.trim().toLowerCase().replace(/\s+/g, ' ');
  const postcode = address.postalCode.replace(/\s+/g, '');
  return `${street}|${postcode}`;
}
