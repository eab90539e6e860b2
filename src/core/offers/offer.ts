/**
 * Offers (docs/segments-and-predictions.md, "Offers"): a product at a price for a period, on some
 * channels, valid for a while, for the customers its eligibility admits, with a written explanation
 * in fi/sv/en. Pure records and the check of an offer as given; the store keeps them.
 */
import { DomainError } from '../errors.ts';
import type { CustomerId, Instant, Sku } from '../records.ts';
import { parseInstant, startOfDayIn } from '../time.ts';
import { isOneOf } from '../vocabulary.ts';

/** The channels an offer is made on: the sites (a logged-in visitor), a call, an e-mail. */
export const OFFER_CHANNELS = ['web', 'phone', 'email'] as const;
export type OfferChannel = (typeof OFFER_CHANNELS)[number];

/** Which relationship the customer must have: any, a subscription running now, only ended ones, never one. */
export const RELATIONSHIPS = ['any', 'active', 'former', 'none'] as const;
export type Relationship = (typeof RELATIONSHIPS)[number];

/** What became of an offer shown: recorded outcomes. "ignored" is derived (no answer within IGNORED_AFTER_DAYS). */
export const RECORDED_OUTCOMES = ['shown', 'accepted', 'declined'] as const;
export type RecordedOutcome = (typeof RECORDED_OUTCOMES)[number];

/** A shown offer with no accepted or declined answer within this many days counts as ignored. */
export const IGNORED_AFTER_DAYS = 14;

export const OFFER_LANGUAGES = ['fi', 'sv', 'en'] as const;
export type OfferLanguage = (typeof OFFER_LANGUAGES)[number];

/** The offer's written explanation per language; `{product}`, `{price}` and `{period}` are filled in. */
export type Explanation = Record<OfferLanguage, string>;

export interface OfferEligibility {
  /** Only members of this segment (as last computed); null: anyone. */
  segmentId: number | null;
  /** Not for a customer with a running order of the offer's product. */
  excludeSubscribed: boolean;
  /** Not again to a customer it was shown to within this many days (0: no limit). */
  minDaysSinceLastOffer: number;
  relationship: Relationship;
}

export interface OfferFields {
  code: string;
  name: string;
  sku: Sku;
  priceCents: number;
  currency: string;
  periodMonths: number;
  channels: OfferChannel[];
  validFrom: Instant;
  validUntil: Instant | null;
  eligibility: OfferEligibility;
  /** The offer's value for ranking; null: the price (for the whole period) in the currency's units. */
  valueWeight: number | null;
  explanation: Explanation;
  /** The non-personal default order: lower first. */
  priority: number;
}

export interface Offer extends OfferFields {
  id: number;
  createdAt: Instant;
  createdBy: string;
  updatedAt: Instant;
}

/** Counts of one offer's outcomes; `ignored`: shown at least IGNORED_AFTER_DAYS ago with no answer within them. */
export interface OfferStats {
  shown: number;
  accepted: number;
  declined: number;
  ignored: number;
}

export interface OfferOutcome {
  offerId: number;
  customerId: CustomerId;
  channel: OfferChannel;
  outcome: RecordedOutcome;
  at: Instant;
  source: string;
  campaignId: number | null;
}

const CODE = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
const CURRENCY = /^[A-Z]{3}$/;

function fail(field: string, message: string): never {
  throw new DomainError('VALIDATION_FAILED', message, { field });
}

function text(value: unknown, field: string, max: number): string {
  if (typeof value !== 'string' || value.trim() === '' || value.length > max) fail(field, `${field} must be text of 1 to ${max} characters`);
  return value.trim();
}

function integer(value: unknown, field: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) fail(field, `${field} must be a whole number from ${min} to ${max}`);
  return value;
}

/** The offer's fields as a person gives them (API body, CLI options, console form), before defaults. */
export interface OfferInput {
  code?: unknown;
  name?: unknown;
  sku?: unknown;
  priceCents?: unknown;
  currency?: unknown;
  periodMonths?: unknown;
  channels?: unknown;
  validFrom?: unknown;
  validUntil?: unknown;
  segmentId?: unknown;
  excludeSubscribed?: unknown;
  minDaysSinceLastOffer?: unknown;
  relationship?: unknown;
  valueWeight?: unknown;
  explanation?: unknown;
  priority?: unknown;
}

/** One wrong field of an offer: the field's name (`explanation.fi` for a language) and why. */
export interface OfferProblem {
  field: string;
  code: string;
  message: string;
}

/**
 * Reads one part of an offer. `strict` lets the first wrong field's error out; the collecting
 * one notes it, goes on with a stand-in value, and so finds every wrong field in one pass.
 */
type Attempt = <T>(read: () => T, standIn: T) => T;

const strict: Attempt = (read) => read();

function collecting(problems: OfferProblem[]): Attempt {
  return (read, standIn) => {
    try {
      return read();
    } catch (e) {
      if (!(e instanceof DomainError) || e.field === undefined) throw e;
      problems.push({ field: e.field, code: e.code, message: e.message });
      return standIn;
    }
  };
}

/**
 * Checks an offer and fills the defaults (EUR, valid from `now`, no end, anyone not subscribed,
 * priority 100). Throws VALIDATION_FAILED (or INVALID_DATE) naming the first wrong field.
 */
export function parseOffer(input: OfferInput, now: Instant): OfferFields {
  return readOffer(input, now, strict);
}

/**
 * Every wrong field of an offer at once, by the same rules as parseOffer (empty: it would be
 * accepted), so that a form can show them all before it sends anything. The store's own checks
 * (the code free, the product and segment existing) are not among them.
 */
export function offerProblems(input: OfferInput, now: Instant): OfferProblem[] {
  const problems: OfferProblem[] = [];
  readOffer(input, now, collecting(problems));
  return problems;
}

function readOffer(input: OfferInput, now: Instant, attempt: Attempt): OfferFields {
  const channels = attempt(() => {
    const given = input.channels;
    if (!Array.isArray(given) || given.length === 0 || !given.every((c) => isOneOf(OFFER_CHANNELS, c))) {
      fail('channels', `channels must be one or more of ${OFFER_CHANNELS.join(', ')}`);
    }
    return [...new Set(given as OfferChannel[])];
  }, [] as OfferChannel[]);
  const validFrom = attempt(() => (input.validFrom === undefined || input.validFrom === null ? now : dayOrInstant(input.validFrom, 'validFrom', 0)), now);
  // A last day given as a date is included whole: the offer ends as the next day begins.
  const validUntil = attempt(() => {
    const until = input.validUntil === undefined || input.validUntil === null ? null : dayOrInstant(input.validUntil, 'validUntil', 1);
    if (until !== null && until <= validFrom) fail('validUntil', 'validUntil must be after validFrom');
    return until;
  }, null);
  const code = attempt(() => {
    const given = text(input.code, 'code', 64);
    if (!CODE.test(given)) fail('code', 'code must be letters, digits, - or _ (at most 64)');
    return given;
  }, '');
  const currency = attempt(() => {
    const given = input.currency === undefined ? 'EUR' : text(input.currency, 'currency', 3);
    if (!CURRENCY.test(given)) fail('currency', 'currency must be a three-letter ISO 4217 code, e.g. EUR');
    return given;
  }, 'EUR');
  const relationship = attempt(() => {
    const given = input.relationship ?? 'any';
    if (!isOneOf(RELATIONSHIPS, given)) fail('relationship', `relationship must be one of ${RELATIONSHIPS.join(', ')}`);
    return given;
  }, 'any' as Relationship);
  const valueWeight = attempt(() => {
    const given = input.valueWeight ?? null;
    if (given !== null && (typeof given !== 'number' || !Number.isFinite(given) || given <= 0)) fail('valueWeight', 'valueWeight must be a positive number');
    return given as number | null;
  }, null);
  const excludeSubscribed = attempt(() => {
    const given = input.excludeSubscribed ?? true;
    if (typeof given !== 'boolean') fail('excludeSubscribed', 'excludeSubscribed must be true or false');
    return given;
  }, true);
  return {
    code,
    name: attempt(() => text(input.name, 'name', 200), ''),
    sku: attempt(() => text(input.sku, 'sku', 64) as Sku, '' as Sku),
    priceCents: attempt(() => integer(input.priceCents, 'priceCents', 0, 100_000_000), 0),
    currency,
    periodMonths: attempt(() => integer(input.periodMonths, 'periodMonths', 1, 120), 1),
    channels,
    validFrom,
    validUntil,
    eligibility: {
      segmentId: attempt(() => (input.segmentId === undefined || input.segmentId === null ? null : integer(input.segmentId, 'segmentId', 1, Number.MAX_SAFE_INTEGER)), null),
      excludeSubscribed,
      minDaysSinceLastOffer: attempt(() => (input.minDaysSinceLastOffer === undefined ? 0 : integer(input.minDaysSinceLastOffer, 'minDaysSinceLastOffer', 0, 3650)), 0),
      relationship,
    },
    valueWeight,
    explanation: parseExplanation(input.explanation, attempt),
    priority: attempt(() => (input.priority === undefined ? 100 : integer(input.priority, 'priority', 0, 1_000_000)), 100),
  };
}

/**
 * An instant as given, or a calendar day (`YYYY-MM-DD`, as the console's date fields send it) as the
 * start of that day plus `days` in Helsinki: a person who picks 28 February means Finnish days.
 */
function dayOrInstant(value: unknown, field: string, days: number): Instant {
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) {
    parseInstant(value, field);
    const next = new Date(Date.parse(`${value}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
    return startOfDayIn(next);
  }
  return parseInstant(value, field);
}

function parseExplanation(value: unknown, attempt: Attempt): Explanation {
  const given = attempt(() => {
    if (typeof value !== 'object' || value === null) fail('explanation', 'explanation must give the text in fi, sv and en');
    return value as Record<string, unknown>;
  }, null);
  const out = {} as Explanation;
  for (const lang of OFFER_LANGUAGES) {
    const field = `explanation.${lang}`;
    out[lang] = given === null ? '' : attempt(() => {
      const written = text(given[lang], field, 500);
      // A misspelt placeholder would reach customers as written ("at {prize}"): refuse it here.
      const unknown = unknownPlaceholder(written);
      if (unknown !== null) fail(field, `${field} has ${unknown}: the placeholders are ${EXPLANATION_PLACEHOLDERS.join(', ')}`);
      return written;
    }, '');
  }
  return out;
}

/** What an explanation may leave to be filled in (explanationText). */
export const EXPLANATION_PLACEHOLDERS: readonly string[] = ['{product}', '{price}', '{period}'];

/** The first `{…}` in `text` that is not one of EXPLANATION_PLACEHOLDERS, or null. */
export function unknownPlaceholder(text: string): string | null {
  return [...text.matchAll(/\{([^{}]*)\}/g)].map((m) => m[0]).find((p) => !EXPLANATION_PLACEHOLDERS.includes(p)) ?? null;
}

/** The offer as stored, its fields changed by `change` (a partial input), checked whole again. */
export function changedOffer(before: OfferFields, change: OfferInput, now: Instant): OfferFields {
  const e = before.eligibility;
  const merged: OfferInput = {
    code: before.code, name: before.name, sku: before.sku, priceCents: before.priceCents, currency: before.currency,
    periodMonths: before.periodMonths, channels: before.channels, validFrom: before.validFrom, validUntil: before.validUntil,
    segmentId: e.segmentId, excludeSubscribed: e.excludeSubscribed, minDaysSinceLastOffer: e.minDaysSinceLastOffer,
    relationship: e.relationship, valueWeight: before.valueWeight, explanation: before.explanation, priority: before.priority,
  };
  for (const [key, value] of Object.entries(change)) if (value !== undefined) (merged as Record<string, unknown>)[key] = value;
  return parseOffer(merged, now);
}

/** The explanation in `lang` with `{product}`, `{price}` and `{period}` filled in. */
export function explanationText(offer: Pick<OfferFields, 'explanation' | 'priceCents' | 'currency' | 'periodMonths'>, productName: string, lang: OfferLanguage): string {
  return offer.explanation[lang]
    .replaceAll('{product}', productName)
    .replaceAll('{price}', priceText(offer.priceCents, offer.currency, lang))
    .replaceAll('{period}', periodText(offer.periodMonths, lang));
}

/** A price as people read it: `12,90 €` in Finnish and Swedish, `€12.90` in English. */
export function priceText(cents: number, currency: string, lang: OfferLanguage): string {
  const amount = (cents / 100).toFixed(2);
  const symbol = currency === 'EUR' ? '€' : currency;
  return lang === 'en' ? `${symbol}${amount}` : `${amount.replace('.', ',')} ${symbol}`;
}

const MONTHS: Record<OfferLanguage, [string, string]> = { fi: ['kuukausi', 'kuukautta'], sv: ['månad', 'månader'], en: ['month', 'months'] };

export function periodText(months: number, lang: OfferLanguage): string {
  const [one, many] = MONTHS[lang];
  return `${months} ${months === 1 ? one : many}`;
}

export function isOfferLanguage(value: unknown): value is OfferLanguage {
  return isOneOf(OFFER_LANGUAGES, value);
}
