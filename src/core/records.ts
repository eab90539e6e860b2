/** The register's records in the core's words. Times are ISO-8601 UTC strings (`Instant`). */
import type {
  Channel,
  ConsentValue,
  CustomerKind,
  ObjectionScope,
  Purpose,
  SalesChannel,
  SuppressionReason,
} from './vocabulary.ts';

declare const brand: unique symbol;
type Brand<T, B extends string> = T & { readonly [brand]: B };

export type CustomerId = Brand<string, 'CustomerId'>;
export type Sku = Brand<string, 'Sku'>;
export type OrderId = Brand<string, 'OrderId'>;
/** ISO-8601 instant in UTC with milliseconds, e.g. `2025-03-01T08:00:00.000Z`; sorts as text. */
export type Instant = Brand<string, 'Instant'>;

export interface PostalAddress {
  street: string;
  postalCode: string;
  city: string;
  /** ISO 3166 alpha-2; DEFAULT_COUNTRY when the address was given without one. */
  country: string;
}

/**
 * The country of an address given without one (the API's `address.country`, an import's `country`):
 * Lupa serves a Finnish business, so an address without a country is Finnish, and a postal export
 * (`lupa export post`) always has one to write.
 */
export const DEFAULT_COUNTRY = 'FI';

export interface Customer {
  id: CustomerId;
  kind: CustomerKind;
  name: string;
  /** All e-mail addresses, normalised; the first is the one messages go to. */
  emails: string[];
  /** All phone numbers in E.164; the first is the one calls and SMS go to. */
  phones: string[];
  address: PostalAddress | null;
  locale: string | null;
  createdAt: Instant;
  updatedAt: Instant;
}

export interface Product {
  sku: Sku;
  name: string;
  brand: string | null;
  /** Decides what counts as a "similar product" for soft opt-in. */
  category: string;
}

export interface Order {
  id: OrderId;
  customerId: CustomerId;
  sku: Sku;
  startedAt: Instant;
  endedAt: Instant | null;
  soldVia: SalesChannel;
  /** Whether the customer was clearly offered the chance to refuse marketing when the address was collected. */
  optOutOffered: boolean;
}

interface LedgerCommon {
  /** Insertion sequence; breaks ties between records with the same `at`. */
  seq: number;
  customerId: CustomerId;
  at: Instant;
  recordedAt: Instant;
  source: string;
  noticeVersion: string | null;
  noticeLocale: string | null;
  evidenceRef: string | null;
}

export interface ConsentRecord extends LedgerCommon {
  kind: 'consent';
  purpose: Purpose;
  /** Null: the record covers every channel of the purpose. */
  channel: Channel | null;
  value: ConsentValue;
}

export interface ObjectionRecord extends LedgerCommon {
  kind: 'objection';
  scope: ObjectionScope;
  /** `objected`, or `withdrawn` when the person lifts an earlier objection. */
  value: 'objected' | 'withdrawn';
}

export type LedgerRecord = ConsentRecord | ObjectionRecord;

export interface Suppression {
  id: number;
  channel: Channel;
  /** Normalised address: e-mail lowercased, phone in E.164, post as a postal key. */
  address: string;
  reason: SuppressionReason;
  at: Instant;
  validUntil: Instant | null;
  source: string;
  /**
   * When the suppression was lifted (it no longer counts from then on), or null. An unsubscribe
   * is lifted by the person's own later consent on that channel; a manual entry, hard bounce or
   * complaint by a person with a note (core/suppression-list.ts); a Robinson entry never. The lift
   * is a record of its own, so the suppression row itself stays as it was.
   */
  liftedAt: Instant | null;
}

/** A lift of a suppression: which one, from when, and what made it (source and evidence; a person's note). */
export interface SuppressionLift {
  suppressionId: number;
  at: Instant;
  source: string;
  evidenceRef: string | null;
  /** Why a person lifted it; required for a manual entry, hard bounce or complaint. */
  note?: string | null;
}

/** An order joined with its product's category, as the decision needs it. */
export interface OrderWithCategory extends Order {
  category: string;
}
