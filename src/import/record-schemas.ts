/**
 * Validation of one import record (already parsed from NDJSON or CSV) into core records.
 * Hand-written rather than zod: it runs millions of times per import and has to name the
 * exact field and stable error code (UNKNOWN_PURPOSE, INVALID_DATE, …) of the first problem.
 * Messages never echo the offending value when it may be personal data (e-mail, phone, address).
 */
import { cleanText } from '../core/address-text.ts';
import { postalKey } from '../core/addresses.ts';
import { requireEmail, requirePhone } from '../core/contact-fields.ts';
import { suppressionAddress } from '../core/suppression-list.ts';
import { DomainError, type ErrorCode } from '../core/errors.ts';
import { recordedLedgerTime } from '../core/ledger-time.ts';
import type { NewLedgerRecord, NewSuppression } from '../core/ports.ts';
import { DEFAULT_COUNTRY, type Customer, type CustomerId, type Instant, type Order, type OrderId, type PostalAddress, type Product, type Sku } from '../core/records.ts';
import { MAX_YEAR, MIN_YEAR, requireStorable } from '../core/storable-values.ts';
import { parseInstant, plusYears } from '../core/time.ts';
import {
  CHANNELS,
  CONSENT_VALUES,
  CUSTOMER_KINDS,
  OBJECTION_SCOPES,
  PURPOSES,
  SALES_CHANNELS,
  SUPPRESSION_REASONS,
  isOneOf,
  type Channel,
} from '../core/vocabulary.ts';

export const RECORD_TYPES = ['product', 'customer', 'order', 'consent', 'objection', 'suppression'] as const;
export type RecordType = (typeof RECORD_TYPES)[number];

/** A customer as the import file states it; the writer adds created/updated times. */
export type CustomerDraft = Omit<Customer, 'createdAt' | 'updatedAt'>;

export type ParsedRecord =
  | { type: 'product'; product: Product }
  | { type: 'customer'; customer: CustomerDraft }
  | { type: 'order'; order: Order }
  | { type: 'consent' | 'objection'; ledger: NewLedgerRecord }
  | { type: 'suppression'; suppression: NewSuppression };

export interface RecordContext {
  /** Years a phone Robinson entry without `validUntil` lasts (DecisionSettings.phoneRobinsonYears). */
  phoneRobinsonYears: number;
  /** The time of the import: consents and objections may not be dated after it (core/ledger-time.ts). */
  now: Instant;
}

type Obj = Record<string, unknown>;

// Unknown keys are refused: a misspelt optional field (e.g. `noticeVersio`) would otherwise be dropped silently.
const KEYS: Record<RecordType, ReadonlySet<string>> = {
  product: new Set(['type', 'sku', 'name', 'category', 'brand']),
  customer: new Set(['type', 'id', 'kind', 'name', 'email', 'emails', 'phone', 'phones', 'address', 'locale']),
  order: new Set(['type', 'id', 'customerId', 'sku', 'startedAt', 'endedAt', 'soldVia', 'optOutOffered']),
  consent: new Set(['type', 'customerId', 'purpose', 'channel', 'value', 'at', 'source', 'noticeVersion', 'noticeLocale', 'evidenceRef']),
  objection: new Set(['type', 'customerId', 'scope', 'value', 'at', 'source', 'noticeVersion', 'noticeLocale', 'evidenceRef']),
  suppression: new Set(['type', 'channel', 'address', 'reason', 'at', 'validUntil', 'source']),
};
const ADDRESS_KEYS: ReadonlySet<string> = new Set(['street', 'postalCode', 'city', 'country']);

function fail(code: ErrorCode, field: string, message: string): never {
  throw new DomainError(code, message, { field });
}

function isObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function checkKeys(o: Obj, allowed: ReadonlySet<string>, prefix = ''): void {
  for (const key in o) {
    if (!allowed.has(key)) fail('VALIDATION_FAILED', prefix + key, `unknown field ${prefix}${key}`);
  }
}

/** Required non-blank text. NUL is refused because PostgreSQL cannot store it in text. */
function text(o: Obj, key: string, field = key): string {
  const v = o[key];
  if (typeof v !== 'string' || v.trim() === '') fail('VALIDATION_FAILED', field, `${field} is required and must be non-empty text`);
  if (v.includes('\u0000')) fail('VALIDATION_FAILED', field, `${field} must not contain NUL characters`);
  return v;
}

/** Optional text: absent, null and blank all mean "not given". */
function optText(o: Obj, key: string, field = key): string | null {
  const v = o[key];
  if (v === undefined || v === null || (typeof v === 'string' && v.trim() === '')) return null;
  return text(o, key, field);
}

function optInstant(o: Obj, key: string): Instant | null {
  const v = o[key];
  return v === undefined || v === null ? null : instant(v, key);
}

const CANONICAL_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{3})?Z$/;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const num = (s: string, from: number, to: number): number => Number(s.slice(from, to));

/**
 * parseInstant with a fast path: most import times are already `YYYY-MM-DDTHH:mm:ss[.sss]Z`, and
 * when every part is in range that text is its own canonical form, so Date's costly round trip
 * (about a microsecond, several times per row) is skipped. Anything else goes to parseInstant.
 */
export function instant(v: unknown, field: string): Instant {
  if (typeof v === 'string' && CANONICAL_UTC.test(v)) {
    const year = num(v, 0, 4);
    const month = num(v, 5, 7);
    const day = num(v, 8, 10);
    const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
    const days = month === 2 && leap ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0);
    if (year >= MIN_YEAR && year <= MAX_YEAR && day >= 1 && day <= days && num(v, 11, 13) < 24 && num(v, 14, 16) < 60 && num(v, 17, 19) < 60) {
      return (v.length === 20 ? `${v.slice(0, 19)}.000Z` : v) as Instant;
    }
  }
  return parseInstant(v, field);
}

function oneOf<T extends string>(values: readonly T[], o: Obj, key: string, code: ErrorCode = 'VALIDATION_FAILED'): T {
  const v = o[key];
  if (!isOneOf(values, v)) fail(code, key, `${key} must be one of ${values.join(', ')}`);
  return v;
}

export function parseRecord(value: unknown, ctx: RecordContext): ParsedRecord {
  if (!isObject(value)) throw new DomainError('VALIDATION_FAILED', 'a record must be a JSON object');
  // Refused here, row by row, what one of the stores could not hold: never a whole batch failing later.
  requireStorable(value);
  const type = oneOf(RECORD_TYPES, value, 'type');
  checkKeys(value, KEYS[type]);
  switch (type) {
    case 'product':
      return { type, product: parseProduct(value) };
    case 'customer':
      return { type, customer: parseCustomer(value) };
    case 'order':
      return { type, order: parseOrder(value) };
    case 'consent':
      return { type, ledger: parseConsent(value, ctx) };
    case 'objection':
      return { type, ledger: parseObjection(value, ctx) };
    case 'suppression':
      return { type, suppression: parseSuppression(value, ctx) };
  }
}

function parseProduct(o: Obj): Product {
  return { sku: text(o, 'sku') as Sku, name: text(o, 'name'), brand: optText(o, 'brand'), category: text(o, 'category') };
}

export function parseCustomer(o: Obj): CustomerDraft {
  const id = text(o, 'id') as CustomerId;
  const kind = oneOf(CUSTOMER_KINDS, o, 'kind');
  const name = text(o, 'name');
  const emails = contactList(o, 'email', 'emails', requireEmail);
  const phones = contactList(o, 'phone', 'phones', requirePhone);
  const address = o.address === undefined || o.address === null ? null : parsePostalAddress(o.address, 'address');
  return { id, kind, name, emails, phones, address, locale: optText(o, 'locale') };
}

/**
 * The single field first, then the array, in canonical form (core/addresses.ts) and without
 * repeats, so two spellings of one address are one entry: the first one is where messages go.
 */
function contactList(o: Obj, single: string, plural: string, canonical: (raw: unknown, field: string) => string): string[] {
  const out: string[] = [];
  const add = (raw: unknown, field: string): void => {
    if (raw === null || (typeof raw === 'string' && cleanText(raw) === '')) return;
    const n = canonical(raw, field);
    if (!out.includes(n)) out.push(n);
  };
  if (o[single] !== undefined) add(o[single], single);
  const list = o[plural];
  if (list !== undefined && list !== null) {
    if (!Array.isArray(list)) fail('VALIDATION_FAILED', plural, `${plural} must be an array`);
    list.forEach((raw, i) => add(raw, `${plural}[${i}]`));
  }
  return out;
}

function parsePostalAddress(v: unknown, prefix: string): PostalAddress {
  if (!isObject(v)) fail('VALIDATION_FAILED', prefix, `${prefix} must be an object with street, postalCode, city and country`);
  checkKeys(v, ADDRESS_KEYS, `${prefix}.`);
  return {
    street: addressText(v, 'street', `${prefix}.street`),
    postalCode: addressText(v, 'postalCode', `${prefix}.postalCode`),
    city: cleanText(optText(v, 'city', `${prefix}.city`) ?? ''),
    country: cleanText(optText(v, 'country', `${prefix}.country`) ?? '') || DEFAULT_COUNTRY,
  };
}

/** Required address text, cleaned as addresses are compared (NFC, no invisible characters): a street of only a zero-width space is blank. */
function addressText(o: Obj, key: string, field: string): string {
  const cleaned = cleanText(text(o, key, field));
  if (cleaned === '') fail('VALIDATION_FAILED', field, `${field} is required and must be non-empty text`);
  return cleaned;
}

function parseOrder(o: Obj): Order {
  const id = text(o, 'id') as OrderId;
  const customerId = text(o, 'customerId') as CustomerId;
  const sku = text(o, 'sku') as Sku;
  const startedAt = instant(o.startedAt, 'startedAt');
  const endedAt = optInstant(o, 'endedAt');
  if (endedAt !== null && endedAt < startedAt) fail('VALIDATION_FAILED', 'endedAt', 'endedAt is before startedAt');
  const soldVia = oneOf(SALES_CHANNELS, o, 'soldVia');
  if (typeof o.optOutOffered !== 'boolean') fail('VALIDATION_FAILED', 'optOutOffered', 'optOutOffered must be true or false');
  return { id, customerId, sku, startedAt, endedAt, soldVia, optOutOffered: o.optOutOffered };
}

/** A consent's or objection's `at`: refused when in the future, taken as the import's time when a little ahead. */
function ledgerAt(o: Obj, ctx: RecordContext): Instant {
  return recordedLedgerTime(instant(o.at, 'at'), ctx.now);
}

function parseConsent(o: Obj, ctx: RecordContext): NewLedgerRecord {
  return {
    kind: 'consent',
    customerId: text(o, 'customerId') as CustomerId,
    purpose: oneOf(PURPOSES, o, 'purpose', 'UNKNOWN_PURPOSE'),
    channel: o.channel === undefined || o.channel === null ? null : oneOf(CHANNELS, o, 'channel', 'UNKNOWN_CHANNEL'),
    value: oneOf(CONSENT_VALUES, o, 'value'),
    at: ledgerAt(o, ctx),
    source: text(o, 'source'),
    noticeVersion: optText(o, 'noticeVersion'),
    noticeLocale: optText(o, 'noticeLocale'),
    evidenceRef: optText(o, 'evidenceRef'),
  };
}

function parseObjection(o: Obj, ctx: RecordContext): NewLedgerRecord {
  return {
    kind: 'objection',
    customerId: text(o, 'customerId') as CustomerId,
    scope: oneOf(OBJECTION_SCOPES, o, 'scope'),
    value: o.value === undefined || o.value === null ? 'objected' : oneOf(['objected', 'withdrawn'] as const, o, 'value'),
    at: ledgerAt(o, ctx),
    source: text(o, 'source'),
    noticeVersion: optText(o, 'noticeVersion'),
    noticeLocale: optText(o, 'noticeLocale'),
    evidenceRef: optText(o, 'evidenceRef'),
  };
}

function parseSuppression(o: Obj, ctx: RecordContext): NewSuppression {
  const channel = oneOf(CHANNELS, o, 'channel', 'UNKNOWN_CHANNEL');
  const reason = oneOf(IMPORTED_SUPPRESSION_REASONS, o, 'reason');
  const at = instant(o.at, 'at');
  let validUntil = optInstant(o, 'validUntil');
  if (validUntil !== null && validUntil < at) fail('VALIDATION_FAILED', 'validUntil', 'validUntil is before at');
  // Rule 5: a phone Robinson registration without an end lasts the configured number of years.
  if (validUntil === null && reason === 'robinson' && channel === 'phone') validUntil = plusYears(at, ctx.phoneRobinsonYears);
  return { channel, address: importedSuppressionAddress(channel, o.address), reason, at, validUntil, source: optText(o, 'source') ?? 'import' };
}

/** A `manual` suppression is a person's, with a note saying why (`lupa suppressions add`, the console): not imported. */
const IMPORTED_SUPPRESSION_REASONS = SUPPRESSION_REASONS.filter((r) => r !== 'manual');

/** The address in the form the decision matches on (core/suppression-list.ts); post also as `{street, postalCode}`. */
function importedSuppressionAddress(channel: Channel, raw: unknown): string {
  if (channel === 'post' && isObject(raw)) return postalKey(parsePostalAddress(raw, 'address'));
  return suppressionAddress(channel, raw);
}
