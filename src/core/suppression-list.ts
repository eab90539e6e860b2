/**
 * The suppression list as a person works it (the DPO): entries found by address, channel, reason
 * and whether they still stand; a manual entry added with a note; an entry lifted with a note.
 * Suppressions and lifts are both appended, never edited (migrations 0015 and 0030). The rules of
 * who may lift what are here, the store applies them again (and the database a third time).
 */
import { cleanText } from './address-text.ts';
import { normaliseEmail, normalisePhone, postalKey } from './addresses.ts';
import { requireEmail, requirePhone } from './contact-fields.ts';
import { DomainError } from './errors.ts';
import type { PageRequest } from './listings.ts';
import type { Instant, Suppression } from './records.ts';
import { LIFTABLE_BY_HAND, type Channel, type SuppressionReason } from './vocabulary.ts';

/** A suppression as listed: the row, its note, and its lift when there is one. */
export interface SuppressionEntry extends Suppression {
  recordedAt: Instant;
  /** Why a person added it (manual entries); null for entries from bounces, imports, unsubscribes. */
  note: string | null;
  /** The earliest lift: when, recorded when, by whom or what (`source`), and its note. */
  lift: { at: Instant; recordedAt: Instant; source: string; note: string | null } | null;
}

export const SUPPRESSION_STATES = ['active', 'lifted'] as const;
export type SuppressionState = (typeof SUPPRESSION_STATES)[number];

export const ADDRESS_MATCHES = ['exact', 'prefix'] as const;
export type AddressMatch = (typeof ADDRESS_MATCHES)[number];

/** What a search of the list is narrowed by; every field left out matches everything. */
export interface SuppressionFilter {
  channel?: Channel;
  reason?: SuppressionReason;
  /** `active`: never lifted; `lifted`: lifted (a lift in the future counts as lifted). */
  state?: SuppressionState;
  /** The address in its stored form (exact) or the start of it (prefix); see `addressFilter`. */
  address?: { value: string; match: AddressMatch };
}

export interface SuppressionListStore {
  /** Entries matching the filter, newest first (by id, the paging key). */
  search(filter: SuppressionFilter, page: PageRequest<number>): Promise<SuppressionEntry[]>;
  /** One entry, or null. */
  entry(id: number): Promise<SuppressionEntry | null>;
}

/** The longest note a person may write on an entry or a lift. */
export const MAX_NOTE_LENGTH = 1000;

/** The note as stored (cleaned, trimmed), or null when blank. */
export function noteText(raw: string | null | undefined): string | null {
  if (raw === null || raw === undefined) return null;
  const note = cleanText(raw);
  if (note.length > MAX_NOTE_LENGTH) throw new DomainError('VALIDATION_FAILED', `note must be at most ${MAX_NOTE_LENGTH} characters`, { field: 'note' });
  return note === '' ? null : note;
}

/**
 * Why a person may not lift this entry with this note, or null when they may: an unsubscribe is
 * lifted only by the person's own later consent and a Robinson entry only by its register
 * (SUPPRESSION_NOT_LIFTABLE); a manual entry, hard bounce or complaint needs a note
 * (SUPPRESSION_LIFT_NEEDS_NOTE); an entry is lifted once (SUPPRESSION_ALREADY_LIFTED).
 */
export function liftByHandRefusal(entry: Pick<SuppressionEntry, 'reason' | 'lift'>, note: string | null): DomainError | null {
  if (!LIFTABLE_BY_HAND.includes(entry.reason)) {
    return new DomainError(
      'SUPPRESSION_NOT_LIFTABLE',
      entry.reason === 'unsubscribe'
        ? "an unsubscribe is lifted only by the person's own new consent: record the consent instead"
        : 'a Robinson entry ends with the register, not here',
    );
  }
  if (entry.lift !== null) return new DomainError('SUPPRESSION_ALREADY_LIFTED', 'this suppression is already lifted');
  if (note === null) return new DomainError('SUPPRESSION_LIFT_NEEDS_NOTE', `lifting a ${entry.reason} suppression needs a note saying why`, { field: 'note' });
  return null;
}

/**
 * Whether any lift of a suppression with this reason may be stored (the store's and the database's
 * rule, for every path): a Robinson entry never; an unsubscribe always (the person's consent lifts
 * it, its evidence is the ledger record); anything else only with a note.
 */
export function liftStorable(reason: SuppressionReason, note: string | null): DomainError | null {
  if (reason === 'robinson') return new DomainError('SUPPRESSION_NOT_LIFTABLE', 'a Robinson entry ends with the register, never by a lift');
  if (reason !== 'unsubscribe' && note === null) return new DomainError('SUPPRESSION_LIFT_NEEDS_NOTE', `lifting a ${reason} suppression needs a note saying why`, { field: 'note' });
  return null;
}

const POST_TEXT_HELP = 'address on channel post must be {street, postalCode}, "street|postcode" or "street, postcode city"';

/**
 * A suppression's address given as text, in the form decisions match on (core/addresses.ts): an
 * e-mail address, a phone number (E.164, Finnish by default), or for post `street|postcode` or
 * `Street 1 A 2, 00100 Helsinki`. VALIDATION_FAILED naming `field` otherwise. Imports and manual
 * entries both use it.
 */
export function suppressionAddress(channel: Channel, raw: unknown, field = 'address'): string {
  switch (channel) {
    case 'email':
      return requireEmail(raw, field);
    case 'sms':
    case 'phone':
      return requirePhone(raw, field);
    case 'post': {
      const key = typeof raw === 'string' ? postalKeyFromText(raw) : null;
      if (key === null) throw new DomainError('VALIDATION_FAILED', POST_TEXT_HELP, { field });
      return key;
    }
    case 'web':
      throw new DomainError('VALIDATION_FAILED', 'web has no address that could be suppressed', { field: 'channel' });
  }
}

/** Accepts an existing postal key (`street|postcode`) or `Street 1 A 2, 00100 Helsinki` (Finnish five-digit postcode). */
function postalKeyFromText(raw: string): string | null {
  if (raw.includes('\u0000')) return null;
  const text = cleanText(raw);
  const bar = text.split('|');
  if (bar.length === 2) {
    const [street = '', postalCode = ''] = bar;
    return cleanText(street) === '' || cleanText(postalCode) === '' ? null : postalKey({ street, postalCode });
  }
  const m = /^\s*(.+?)\s*,\s*(\d{5})(?:\s+.*)?$/.exec(text);
  return m?.[1] === undefined || m[2] === undefined ? null : postalKey({ street: m[1], postalCode: m[2] });
}

/**
 * The address filter of a search, in the stored form. Exact: the whole address through the same
 * normaliser as an entry (so `Anna@Example.FI` finds `anna@example.fi`; an unreadable one is
 * refused). Prefix: the start folded the same way as far as a start can be (cleaned, lowercased; a
 * phone's spaces and dashes dropped and a leading 0 read as Finland's +358, 00 as +), so `anna@`
 * or `040 12` finds what it starts.
 */
export function addressFilter(channel: Channel | undefined, raw: string, match: AddressMatch): { value: string; match: AddressMatch } {
  if (match === 'exact') {
    if (channel !== undefined) return { value: suppressionAddress(channel, raw), match };
    // Without a channel: whichever reading the text has (e-mail, phone), else the cleaned text.
    return { value: normaliseEmail(raw) ?? normalisePhone(raw) ?? cleanText(raw).toLowerCase(), match };
  }
  let value = cleanText(raw).toLowerCase();
  const phoneLike = channel === 'sms' || channel === 'phone' || (channel === undefined && /^[+0-9][0-9 ()-]*$/.test(value));
  if (phoneLike) {
    value = value.replace(/[\s()-]/g, '');
    if (value.startsWith('00')) value = `+${value.slice(2)}`;
    else if (value.startsWith('0')) value = `+358${value.slice(1)}`;
  }
  if (value === '') throw new DomainError('VALIDATION_FAILED', 'address must not be empty', { field: 'address' });
  return { value, match };
}
