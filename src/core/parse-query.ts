/** Validation of the words a caller sends (HTTP, CLI): unknown values get a stable code naming the field. */
import { DomainError } from './errors.ts';
import { CHANNELS, isOneOf, PURPOSES, type Channel, type Purpose } from './vocabulary.ts';

export function parsePurpose(value: unknown, field = 'purpose'): Purpose {
  if (isOneOf(PURPOSES, value)) return value;
  throw new DomainError('UNKNOWN_PURPOSE', `${field} must be one of ${PURPOSES.join(', ')} (got ${JSON.stringify(value ?? null)})`, { field });
}

export function parseChannel(value: unknown, field = 'channel'): Channel {
  if (isOneOf(CHANNELS, value)) return value;
  throw new DomainError('UNKNOWN_CHANNEL', `${field} must be one of ${CHANNELS.join(', ')} (got ${JSON.stringify(value ?? null)})`, { field });
}

/** Enough for every two-digit postcode area of Finland, and a bound on the SQL one filter makes. */
export const MAX_POSTCODE_PREFIXES = 100;

/**
 * Postcode areas as a caller gives them: one value or several, each possibly a comma list
 * (`33,34,35`). Each is 1–5 digits, which also keeps LIKE wildcards out of the SQL; repeats are
 * dropped. Throws VALIDATION_FAILED naming `field`.
 */
export function parsePostcodePrefixes(values: string | readonly string[], field: string): string[] {
  const prefixes: string[] = [];
  for (const value of (typeof values === 'string' ? [values] : values).flatMap((v) => v.split(','))) {
    const prefix = value.trim();
    if (!/^\d{1,5}$/.test(prefix)) throw new DomainError('VALIDATION_FAILED', `${field} must be postcode areas of 1–5 digits, e.g. 33 or 33,34 (got ${JSON.stringify(prefix)})`, { field });
    if (!prefixes.includes(prefix)) prefixes.push(prefix);
  }
  if (prefixes.length === 0) throw new DomainError('VALIDATION_FAILED', `${field} needs at least one postcode area`, { field });
  if (prefixes.length > MAX_POSTCODE_PREFIXES) throw new DomainError('VALIDATION_FAILED', `${field} takes at most ${MAX_POSTCODE_PREFIXES} postcode areas`, { field });
  return prefixes;
}
