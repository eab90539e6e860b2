/**
 * The port the importer writes through: set-based existence checks and one transaction per batch.
 * Rows arrive already mapped to table rows (fingerprints computed), in file order.
 */
import type { CustomersTable, LedgerTable, OrdersTable, ProductsTable, SuppressionsTable } from '../schema.ts';

export type LedgerRow = Omit<LedgerTable, 'seq'>;
export type SuppressionRow = Omit<SuppressionsTable, 'id'>;
/** Orders with `opt_out_offered` as 0/1, which both SQLite and PostgreSQL COPY accept. */
export type OrderRow = Omit<OrdersTable, 'opt_out_offered'> & { opt_out_offered: 0 | 1 };

/**
 * One batch. Within it, a product sku, customer id or order id occurs at most once
 * (PostgreSQL refuses to upsert the same key twice in one statement).
 */
export interface BulkBatch {
  products: ProductsTable[];
  customers: CustomersTable[];
  orders: OrderRow[];
  /** In file order: the ledger's `seq` must follow it. */
  ledger: LedgerRow[];
  suppressions: SuppressionRow[];
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
   * Writes the batch in one transaction: all of it or nothing. Customers, products and orders are
   * upserts that leave `created_at` alone and change nothing when the values are the same;
   * ledger and suppression rows are skipped when their fingerprint is already stored.
   */
  write(batch: BulkBatch): Promise<WrittenCounts>;
  close(): Promise<void>;
}

export function emptyCounts(): WrittenCounts {
  return { product: 0, customer: 0, order: 0, consent: 0, objection: 0, suppression: 0 };
}
