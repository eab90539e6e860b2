/**
 * The offer form's state and its body for the API: prices in euros as people type them (a comma
 * or a point), dates as days. The server checks the offer (core/offers/offer.ts); its answer names
 * the field, which `fieldError` turns into the sentence under that field.
 */
import type { TFunction } from 'i18next';
import { offerProblems, unknownPlaceholder } from '../../../src/core/offers/offer.ts';
import { ApiError } from '../api/client.ts';
import { helsinkiDay } from '../i18n/index.ts';

export interface OfferFormState {
  code: string;
  name: string;
  sku: string;
  price: string;
  period: string;
  channels: string[];
  validFrom: string;
  validUntil: string;
  segmentId: string;
  excludeSubscribed: boolean;
  minDays: string;
  relationship: string;
  priority: string;
  fi: string;
  sv: string;
  en: string;
}

export const EMPTY_OFFER: OfferFormState = {
  code: '', name: '', sku: '', price: '', period: '12', channels: ['web', 'phone', 'email'], validFrom: '', validUntil: '', segmentId: '',
  excludeSubscribed: true, minDays: '0', relationship: 'any', priority: '100', fi: '', sv: '', en: '',
};

/** An offer as the API gives it (the fields the form edits). */
export interface OfferLike {
  code: string;
  name: string;
  sku: string;
  priceCents: number;
  periodMonths: number;
  channels: string[];
  validFrom: string;
  validUntil: string | null;
  eligibility: { segmentId: number | null; excludeSubscribed: boolean; minDaysSinceLastOffer: number; relationship: string };
  priority: number;
  explanation: { fi: string; sv: string; en: string };
}

export function formOf(o: OfferLike): OfferFormState {
  return {
    code: o.code, name: o.name, sku: o.sku, price: (o.priceCents / 100).toFixed(2), period: String(o.periodMonths), channels: o.channels,
    // Days as a person in Helsinki reads them; the last day is the one before the end (the end is the next day's start).
    validFrom: helsinkiDay(o.validFrom), validUntil: o.validUntil === null ? '' : helsinkiDay(new Date(Date.parse(o.validUntil) - 1).toISOString()), segmentId: o.eligibility.segmentId === null ? '' : String(o.eligibility.segmentId),
    excludeSubscribed: o.eligibility.excludeSubscribed, minDays: String(o.eligibility.minDaysSinceLastOffer), relationship: o.eligibility.relationship,
    priority: String(o.priority), fi: o.explanation.fi, sv: o.explanation.sv, en: o.explanation.en,
  };
}

/** A number as typed, or NaN (the server then names the field). */
const num = (s: string): number => (s.trim() === '' ? Number.NaN : Number(s.replace(',', '.')));

/**
 * The body of POST/PATCH /v1/offers. A value that is not a number stays NaN, which JSON sends as
 * null: the server refuses it naming its field.
 */
export function bodyOf(f: OfferFormState) {
  const n = num;
  return {
    code: f.code.trim(),
    name: f.name.trim(),
    sku: f.sku,
    priceCents: Math.round(num(f.price) * 100),
    periodMonths: n(f.period),
    channels: f.channels,
    validFrom: f.validFrom === '' ? null : f.validFrom,
    validUntil: f.validUntil === '' ? null : f.validUntil,
    segmentId: f.segmentId === '' ? null : n(f.segmentId),
    excludeSubscribed: f.excludeSubscribed,
    minDaysSinceLastOffer: n(f.minDays),
    relationship: f.relationship,
    priority: n(f.priority),
    explanation: { fi: f.fi, sv: f.sv, en: f.en },
  };
}

const FIELD_TEXTS = ['code', 'name', 'sku', 'priceCents', 'periodMonths', 'channels', 'validFrom', 'validUntil', 'minDaysSinceLastOffer', 'priority'];

/** The sentence under `field` when the save failed on it, in the person's language; undefined otherwise. */
export function fieldError(err: unknown, field: string, t: TFunction, value?: string): string | undefined {
  if (!(err instanceof ApiError) || err.field === undefined) return undefined;
  if (err.code === 'OFFER_EXISTS') return field === 'code' ? t('offers.errors.OFFER_EXISTS') : undefined;
  if (err.field !== field) return undefined;
  if (field.startsWith('explanation.')) {
    const placeholder = value === undefined ? null : unknownPlaceholder(value);
    return placeholder === null ? t('offers.errors.explanation') : t('offers.errors.placeholder', { placeholder, interpolation: { escapeValue: false } });
  }
  return FIELD_TEXTS.includes(field) ? t(`offers.errors.${field}`) : undefined;
}

/**
 * The fields the form would be refused on, all at once, by the server's own rules
 * (core/offers/offer.ts `offerProblems`): shown before anything is sent, so that a person mends
 * every field in one go instead of one refusal at a time.
 */
export function formProblems(f: OfferFormState, now: string): ApiError[] {
  return offerProblems(bodyOf(f), now as never).map((p) => new ApiError(400, p.code, p.field, p.message, undefined));
}
