/** Converts rows of either dialect to core records. SQLite gives 0/1 and JSON text where PostgreSQL gives booleans and JSONB. */
import type {
  Customer,
  CustomerId,
  Instant,
  LedgerRecord,
  Order,
  OrderId,
  OrderWithCategory,
  Product,
  Sku,
  Suppression,
} from '../core/records.ts';
import type { Channel, ConsentValue, CustomerKind, ObjectionScope, Purpose, SalesChannel, SuppressionReason } from '../core/vocabulary.ts';
import type { CustomersTable, LedgerTable, OrdersTable, ProductsTable, SuppressionsTable } from './schema.ts';

export function jsonArray(value: string | string[]): string[] {
  if (Array.isArray(value)) return value;
  const parsed: unknown = JSON.parse(value);
  return Array.isArray(parsed) ? parsed.filter((v): v is string => typeof v === 'string') : [];
}

export function customerFromRow(row: CustomersTable): Customer {
  const hasAddress = row.street !== null && row.postal_code !== null;
  return {
    id: row.id as CustomerId,
    kind: row.kind as CustomerKind,
    name: row.name,
    emails: jsonArray(row.emails),
    phones: jsonArray(row.phones),
    address: hasAddress
      ? { street: row.street ?? '', postalCode: row.postal_code ?? '', city: row.city ?? '', country: row.country ?? '' }
      : null,
    locale: row.locale,
    createdAt: row.created_at as Instant,
    updatedAt: row.updated_at as Instant,
  };
}

export function productFromRow(row: ProductsTable): Product {
  return { sku: row.sku as Sku, name: row.name, brand: row.brand, category: row.category };
}

export function orderFromRow(row: OrdersTable): Order {
  return {
    id: row.id as OrderId,
    customerId: row.customer_id as CustomerId,
    sku: row.sku as Sku,
    startedAt: row.started_at as Instant,
    endedAt: row.ended_at as Instant | null,
    soldVia: row.sold_via as SalesChannel,
    optOutOffered: row.opt_out_offered === true || row.opt_out_offered === 1,
  };
}

export function orderWithCategoryFromRow(row: OrdersTable & { category: string }): OrderWithCategory {
  return { ...orderFromRow(row), category: row.category };
}

export function ledgerFromRow(row: Omit<LedgerTable, 'seq'> & { seq: number }): LedgerRecord {
  const common = {
    seq: row.seq,
    customerId: row.customer_id as CustomerId,
    at: row.at as Instant,
    recordedAt: row.recorded_at as Instant,
    source: row.source,
    noticeVersion: row.notice_version,
    noticeLocale: row.notice_locale,
    evidenceRef: row.evidence_ref,
  };
  if (row.kind === 'objection') {
    return { ...common, kind: 'objection', scope: row.purpose as ObjectionScope, value: row.value === 'withdrawn' ? 'withdrawn' : 'objected' };
  }
  return { ...common, kind: 'consent', purpose: row.purpose as Purpose, channel: row.channel as Channel | null, value: row.value as ConsentValue };
}

/** A suppression row with the time of its lift (null: never lifted), as the readers select it. */
export type SuppressionRow = Omit<SuppressionsTable, 'id' | 'note'> & { id: number; lifted_at: string | null };

export function suppressionFromRow(row: SuppressionRow): Suppression {
  return {
    id: row.id,
    channel: row.channel as Channel,
    address: row.address,
    reason: row.reason as SuppressionReason,
    at: row.at as Instant,
    validUntil: row.valid_until as Instant | null,
    source: row.source,
    liftedAt: row.lifted_at as Instant | null,
  };
}
