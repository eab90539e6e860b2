/**
 * The port the importer writes through: set-based existence checks and one all-or-nothing write per batch.
 * Rows arrive already mapped to table columns (fingerprints computed), in file order.
 */

export type Cell = string | number | null;

// The column order of the flat row arrays below; the writers bind in exactly this order.
export const PRODUCT_COLUMNS = ['sku', 'name', 'brand', 'category'] as const;
export const CUSTOMER_COLUMNS = [
  'id', 'kind', 'name', 'email', 'phone', 'emails', 'phones', 'street', 'postal_code', 'city', 'country', 'postal_key', 'locale', 'created_at', 'updated_at', 'name_words',
] as const;
/** `opt_out_offered` is 0/1, which SQLite stores and PostgreSQL reads as a boolean. */
export const ORDER_COLUMNS = ['id', 'customer_id', 'sku', 'started_at', 'ended_at', 'sold_via', 'opt_out_offered'] as const;
export const LEDGER_COLUMNS = [
  'customer_id', 'kind', 'purpose', 'channel', 'value', 'at', 'recorded_at', 'source', 'notice_version', 'notice_locale', 'evidence_ref', 'fingerprint',
] as const;
export const LEDGER_KIND_INDEX = LEDGER_COLUMNS.indexOf('kind');
export const SUPPRESSION_COLUMNS = ['channel', 'address', 'reason', 'at', 'valid_until', 'recorded_at', 'source', 'fingerprint'] as const;

/**
 * One batch: per table, its rows one after another in one flat array (row i is
 * `values.slice(i * columns.length, (i + 1) * columns.length)`). Flat arrays of primitives are cheap
 * to build, to copy to a worker thread and to bind; row objects copied between threads bind ~30% slower.
 * Within a batch a product sku, customer id or order id occurs at most once (PostgreSQL refuses to
 * upsert the same key twice in one statement). Ledger rows are in file order: `seq` must follow it.
 */
export interface BulkBatch {
  products: Cell[];
  customers: Cell[];
  orders: Cell[];
  ledger: Cell[];
  suppressions: Cell[];
}

/** Rows that changed the store: inserted, or (upserts) updated with different values. */
export interface WrittenCounts {
  product: number;
  customer: number;
  order: number;
  consent: number;
  objection: number;
  suppression: number;
}

export interface BulkWriter {
  /** Which of these keys exist in the table: one query per call, whatever the number of keys. */
  existing(table: 'customers' | 'products', keys: readonly string[]): Promise<Set<string>>;
  /**
   * Writes the batch: all of it or nothing. Customers, products and orders are upserts that leave
   * `created_at` alone and change nothing when the values are the same; ledger and suppression rows
   * are skipped when their fingerprint is already stored. Earlier batches stay written if it fails.
   */
  write(batch: BulkBatch): Promise<WrittenCounts>;
  close(): Promise<void>;
}

export function emptyCounts(): WrittenCounts {
  return { product: 0, customer: 0, order: 0, consent: 0, objection: 0, suppression: 0 };
}

export function emptyBatch(): BulkBatch {
  return { products: [], customers: [], orders: [], ledger: [], suppressions: [] };
}

export function batchRows(b: BulkBatch): number {
  return (
    b.products.length / PRODUCT_COLUMNS.length +
    b.customers.length / CUSTOMER_COLUMNS.length +
    b.orders.length / ORDER_COLUMNS.length +
    b.ledger.length / LEDGER_COLUMNS.length +
    b.suppressions.length / SUPPRESSION_COLUMNS.length
  );
}
