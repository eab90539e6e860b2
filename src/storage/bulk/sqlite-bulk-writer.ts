/**
 * Bulk writes on SQLite with raw better-sqlite3 prepared statements. Kysely is bypassed on purpose:
 * building a query object per row costs more than the insert itself.
 *
 * Small imports write on the app's connection, one transaction per batch. Once a batch is large,
 * the writer moves to a worker thread with its own connection (see sqlite-writer-thread.ts): the
 * inserts then run while the main thread parses the next batch, and the thread commits every
 * ~50,000 rows, because with random-key indexes (e-mail, fingerprint, …) every commit rewrites
 * most touched index pages, so small commits multiply the bytes written several times over.
 */
import type BetterSqlite3 from 'better-sqlite3';
import { emptyCounts, type BulkBatch, type BulkWriter, type WrittenCounts } from './bulk-writer.ts';
import { startWriterThread, type WriterThread } from './sqlite-writer-thread.ts';

/**
 * INSERT … ON CONFLICT DO UPDATE that only updates when a compared column differs, so a re-import
 * of the same values changes nothing (`changes` is then 0) and `keep` columns (created_at) never move.
 */
export function upsertSql(table: string, key: string, columns: readonly string[], opts: { keep?: string[]; touch?: string[] } = {}): string {
  const fixed = new Set([key, ...(opts.keep ?? []), ...(opts.touch ?? [])]);
  const compared = columns.filter((c) => !fixed.has(c));
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

export function batchSize(b: BulkBatch): number {
  return b.products.length + b.customers.length + b.orders.length + b.ledger.length + b.suppressions.length;
}

/** The prepared statements of one connection; the caller owns the transaction. */
export class SqliteBatchStatements {
  private readonly product: BetterSqlite3.Statement;
  private readonly customer: BetterSqlite3.Statement;
  private readonly order: BetterSqlite3.Statement;
  private readonly ledger: BetterSqlite3.Statement;
  private readonly suppression: BetterSqlite3.Statement;

  constructor(sqlite: BetterSqlite3.Database) {
    this.product = sqlite.prepare(upsertSql('products', 'sku', PRODUCT_COLUMNS));
    this.customer = sqlite.prepare(upsertSql('customers', 'id', CUSTOMER_COLUMNS, { keep: ['created_at'], touch: ['updated_at'] }));
    this.order = sqlite.prepare(upsertSql('orders', 'id', ORDER_COLUMNS));
    this.ledger = sqlite.prepare(appendSql('ledger', LEDGER_COLUMNS));
    this.suppression = sqlite.prepare(appendSql('suppressions', SUPPRESSION_COLUMNS));
  }

  // Referenced rows first (products, customers), so the foreign keys of orders and the ledger hold.
  writeRows(b: BulkBatch): WrittenCounts {
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

export interface SqliteBulkWriterOptions {
  /** A batch of at least this many rows moves the writing to a worker thread; Infinity never does. */
  threadFromRows?: number;
}

export class SqliteBulkWriter implements BulkWriter {
  private readonly statements: SqliteBatchStatements;
  private readonly writeInTransaction: (batch: BulkBatch) => WrittenCounts;
  private readonly existingIn: Record<'customers' | 'products', BetterSqlite3.Statement>;
  private readonly threadFromRows: number;
  private thread: WriterThread | null = null;
  /** Set once a thread failed to start: keep writing here rather than retry per batch. */
  private threadUnavailable = false;

  constructor(
    private readonly sqlite: BetterSqlite3.Database,
    opts: SqliteBulkWriterOptions = {},
  ) {
    this.statements = new SqliteBatchStatements(sqlite);
    this.writeInTransaction = sqlite.transaction((batch: BulkBatch) => this.statements.writeRows(batch));
    // One bound JSON array instead of one placeholder per key: no limit on the number of keys.
    this.existingIn = {
      customers: sqlite.prepare('SELECT id FROM customers WHERE id IN (SELECT value FROM json_each(?))').pluck(),
      products: sqlite.prepare('SELECT sku FROM products WHERE sku IN (SELECT value FROM json_each(?))').pluck(),
    };
    // An in-memory database cannot be opened by a second connection.
    this.threadFromRows = sqlite.memory || sqlite.name === '' ? Infinity : (opts.threadFromRows ?? 5_000);
  }

  async existing(table: 'customers' | 'products', keys: readonly string[]): Promise<Set<string>> {
    if (keys.length === 0) return new Set();
    // Reads on the app's connection see what the writer thread has committed; rows of this import
    // it has not committed yet are never looked up here (the importer knows them already).
    return new Set(this.existingIn[table].all(JSON.stringify(keys)) as string[]);
  }

  async write(batch: BulkBatch): Promise<WrittenCounts> {
    if (this.thread === null && !this.threadUnavailable && batchSize(batch) >= this.threadFromRows) {
      this.thread = await startWriterThread(this.sqlite.name).catch(() => {
        this.threadUnavailable = true;
        return null;
      });
    }
    // Once the thread exists it holds the write lock between commits: everything goes through it.
    return this.thread === null ? this.writeInTransaction(batch) : this.thread.write(batch);
  }

  async close(): Promise<void> {
    await this.thread?.close();
    this.thread = null;
  }
}
