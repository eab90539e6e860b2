/**
 * Bulk writes on SQLite with raw better-sqlite3 prepared statements, one transaction per batch.
 * Kysely is bypassed on purpose: building a query object per row costs more than the insert itself.
 */
import type BetterSqlite3 from 'better-sqlite3';
import { emptyCounts, type BulkBatch, type BulkWriter, type WrittenCounts } from './bulk-writer.ts';

/**
 * INSERT … ON CONFLICT DO UPDATE that only updates when a compared column differs, so a re-import
 * of the same values changes nothing (`changes` is then 0) and `keep` columns (created_at) never move.
 */
export function upsertSql(table: string, key: string, columns: readonly string[], opts: { keep?: string[]; touch?: string[] } = {}): string {
  const keep = new Set([key, ...(opts.keep ?? []), ...(opts.touch ?? [])]);
  const compared = columns.filter((c) => !keep.has(c));
  const set = [...compared, ...(opts.touch ?? [])].map((c) => `${c} = excluded.${c}`).join(', ');
  const differs = compared.map((c) => `${table}.${c} IS NOT excluded.${c}`).join(' OR ');
  return `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})
    ON CONFLICT (${key}) DO UPDATE SET ${set} WHERE ${differs}`;
}

export const PRODUCT_COLUMNS = ['sku', 'name', 'brand', 'category'] as const;
export const CUSTOMER_COLUMNS = [
  'id', 'kind', 'name', 'email', 'phone', 'emails', 'phones', 'street', 'postal_code', 'city', 'country', 'postal_key', 'locale', 'created_at', 'updated_at',
] as const;
export const ORDER_COLUMNS = ['id', 'customer_id', 'sku', 'started_at', 'ended_at', 'sold_via', 'opt_out_offered'] as const;
export const LEDGER_COLUMNS = [
  'customer_id', 'kind', 'purpose', 'channel', 'value', 'at', 'recorded_at', 'source', 'notice_version', 'notice_locale', 'evidence_ref', 'fingerprint',
] as const;
export const SUPPRESSION_COLUMNS = ['channel', 'address', 'reason', 'at', 'valid_until', 'recorded_at', 'source', 'fingerprint'] as const;

function appendSql(table: string, columns: readonly string[]): string {
  return `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')}) ON CONFLICT (fingerprint) DO NOTHING`;
}

export class SqliteBulkWriter implements BulkWriter {
  private readonly product: BetterSqlite3.Statement;
  private readonly customer: BetterSqlite3.Statement;
  private readonly order: BetterSqlite3.Statement;
  private readonly ledger: BetterSqlite3.Statement;
  private readonly suppression: BetterSqlite3.Statement;
  private readonly existingIn: Record<'customers' | 'products', BetterSqlite3.Statement>;
  private readonly writeBatch: (batch: BulkBatch) => WrittenCounts;

  constructor(sqlite: BetterSqlite3.Database) {
    this.product = sqlite.prepare(upsertSql('products', 'sku', PRODUCT_COLUMNS));
    this.customer = sqlite.prepare(upsertSql('customers', 'id', CUSTOMER_COLUMNS, { keep: ['created_at'], touch: ['updated_at'] }));
    this.order = sqlite.prepare(upsertSql('orders', 'id', ORDER_COLUMNS));
    this.ledger = sqlite.prepare(appendSql('ledger', LEDGER_COLUMNS));
    this.suppression = sqlite.prepare(appendSql('suppressions', SUPPRESSION_COLUMNS));
    // One bound JSON array instead of one placeholder per key: no limit on the number of keys.
    this.existingIn = {
      customers: sqlite.prepare('SELECT id FROM customers WHERE id IN (SELECT value FROM json_each(?))').pluck(),
      products: sqlite.prepare('SELECT sku FROM products WHERE sku IN (SELECT value FROM json_each(?))').pluck(),
    };
    this.writeBatch = sqlite.transaction((batch: BulkBatch) => this.writeRows(batch));
  }

  async existing(table: 'customers' | 'products', keys: readonly string[]): Promise<Set<string>> {
    if (keys.length === 0) return new Set();
    return new Set(this.existingIn[table].all(JSON.stringify(keys)) as string[]);
  }

  async write(batch: BulkBatch): Promise<WrittenCounts> {
    return this.writeBatch(batch);
  }

  async close(): Promise<void> {
    // Statements belong to the shared connection; nothing to release.
  }

  // Referenced rows first (products, customers), so the foreign keys of orders and the ledger hold.
  private writeRows(b: BulkBatch): WrittenCounts {
    const n = emptyCounts();
    for (const r of b.products) n.product += this.product.run(r.sku, r.name, r.brand, r.category).changes;
    for (const r of b.customers) {
      n.customer += this.customer.run(
        r.id, r.kind, r.name, r.email, r.phone, r.emails, r.phones, r.street, r.postal_code, r.city, r.country, r.postal_key, r.locale, r.created_at, r.updated_at,
      ).changes;
    }
    for (const r of b.orders) {
      n.order += this.order.run(r.id, r.customer_id, r.sku, r.started_at, r.ended_at, r.sold_via, r.opt_out_offered).changes;
    }
    for (const r of b.ledger) {
      const changed = this.ledger.run(
        r.customer_id, r.kind, r.purpose, r.channel, r.value, r.at, r.recorded_at, r.source, r.notice_version, r.notice_locale, r.evidence_ref, r.fingerprint,
      ).changes;
      if (r.kind === 'objection') n.objection += changed;
      else n.consent += changed;
    }
    for (const r of b.suppressions) {
      n.suppression += this.suppression.run(r.channel, r.address, r.reason, r.at, r.valid_until, r.recorded_at, r.source, r.fingerprint).changes;
    }
    return n;
  }
}
