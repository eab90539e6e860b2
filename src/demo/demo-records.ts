/**
 * The NDJSON import records the demo generator emits, one interface per `type`.
 * They mirror the import contract exactly (no extra fields beyond product `brand`),
 * so the output can be fed straight to the importer.
 */
import type {
  Channel,
  ConsentValue,
  CustomerKind,
  ObjectionScope,
  Purpose,
  SalesChannel,
  SuppressionReason,
} from '../core/vocabulary.ts';

export interface DemoProduct {
  type: 'product';
  sku: string;
  name: string;
  category: string;
  brand?: string;
}

export interface DemoAddress {
  street: string;
  postalCode: string;
  city: string;
  country: string;
}

export interface DemoCustomer {
  type: 'customer';
  id: string;
  kind: CustomerKind;
  name: string;
  email?: string;
  phone?: string;
  address?: DemoAddress;
  locale?: string;
}

export interface DemoOrder {
  type: 'order';
  id: string;
  customerId: string;
  sku: string;
  startedAt: string;
  /** Null while the subscription runs until cancelled; a future time for a fixed term still running. */
  endedAt: string | null;
  soldVia: SalesChannel;
  optOutOffered: boolean;
}

export interface DemoConsent {
  type: 'consent';
  customerId: string;
  purpose: Purpose;
  channel?: Channel;
  value: ConsentValue;
  at: string;
  source: string;
  noticeVersion?: string;
}

export interface DemoObjection {
  type: 'objection';
  customerId: string;
  scope: ObjectionScope;
  at: string;
  source: string;
}

export interface DemoSuppression {
  type: 'suppression';
  channel: Channel;
  address: string;
  reason: SuppressionReason;
  at: string;
  validUntil?: string;
}

export type DemoRecord = DemoProduct | DemoCustomer | DemoOrder | DemoConsent | DemoObjection | DemoSuppression;

export interface DemoOptions {
  /** How many customers to generate; products are always emitted first. */
  customers: number;
  /** Any integer; the same seed always yields the same records. */
  seed: number;
  /** The generator's "today" as ISO-8601; defaults to a fixed date so output never depends on the clock. */
  now?: string;
}
