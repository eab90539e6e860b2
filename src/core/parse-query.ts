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
