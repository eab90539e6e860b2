/**
 * A customer's decision records (what `decide` reads: the customer, orders with categories, the
 * ledger, the suppressions of its address) kept in memory between reads, on SQLite, and exact at
 * every read: before each read the cache catches up with the register's change marks
 * (`audience_dirty`, written by triggers on every table a decision reads, in the writer's own
 * transaction, whichever process wrote) and forgets every customer marked since it last looked.
 * So a withdrawal, an objection or a suppression committed before a request starts is always seen
 * by it, as without the cache; there is no time window (decision 0031).
 *
 * What keeps it exact:
 *  - Marks are read by their `seq`, which AUTOINCREMENT never hands out twice (migration 0047).
 *  - When marks it has not seen were already consumed by a summary refresh (fewer rows than seqs),
 *    it forgets everything rather than guess.
 *  - A read is kept only if no catch-up moved the marks while it was awaited (another request's
 *    catch-up could have consumed a mark of that customer before its entry existed).
 *  - Inside a transaction of its own connection it neither reads nor fills the cache: that
 *    transaction's marks could still be rolled back, and with them the seqs it saw.
 *  - Requests arriving together share one catch-up: each waits for a check that runs after it
 *    arrived (in the event loop's check phase, after the I/O that brought the requests in), so the
 *    check still sees everything committed before any of them started. One statement reads the
 *    marks' high-water seq and the catalogue's version (migration 0049); the products are kept in
 *    memory and read again when that version moved.
 * The cached records are shared between readers: callers treat them as read-only, as they treat
 * every record the stores return.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { DecisionRecords, DecisionRecordsAndProduct, DecisionRecordsStore } from '../core/ports.ts';
import type { CustomerId, Product, Sku } from '../core/records.ts';
import { productFromRow } from './row-mappers.ts';
import type { ProductsTable } from './schema.ts';
import type { SqliteDecisionRecords } from './sql-decision-records.ts';
import { DecisionRecordsLru, type ChannelKey } from './decision-records-lru.ts';

/** The marks' high-water seq, as every statement here reads it (0: no mark was ever made). */
const MARKED_THROUGH = "coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'audience_dirty'), 0)";

/** Product by sku, as the catalogue held them at `version`. */
interface Products {
  version: number;
  bySku: Map<string, Product>;
}

export class CachedDecisionRecords implements DecisionRecordsStore {
  private readonly entries: DecisionRecordsLru;
  /** The highest mark seq this cache has accounted for. */
  private seen: number;
  /**
   * Counts the catch-ups that moved `seen`. A read is kept only if none happened while it was
   * awaited: such a catch-up may have consumed a mark of this very customer, committed by another
   * process after the read, before there was an entry to forget.
   */
  private generation = 0;
  private readonly markedThrough: BetterSqlite3.Statement;
  private readonly markedThroughAndCatalogue: BetterSqlite3.Statement;
  private readonly marksBetween: BetterSqlite3.Statement;
  private readonly allProducts: BetterSqlite3.Statement;
  private products: Products = { version: -1, bySku: new Map() };
  /** The catch-up the requests of this event-loop turn wait for (true: the cache may be used). */
  private pending: Promise<boolean> | null = null;

  /**
   * `capacity`: customers kept at most (LUPA_DECISION_CACHE_CUSTOMERS); 0 turns the cache off.
   * The least recently read are dropped first.
   */
  constructor(
    private readonly store: SqliteDecisionRecords,
    private readonly sqlite: BetterSqlite3.Database,
    private readonly capacity: number,
  ) {
    this.markedThrough = sqlite.prepare(`SELECT ${MARKED_THROUGH}`).pluck();
    this.markedThroughAndCatalogue = sqlite.prepare(`SELECT ${MARKED_THROUGH} AS through, (SELECT version FROM catalogue_version) AS catalogue`);
    this.allProducts = sqlite.prepare('SELECT sku, name, brand, category FROM products');
    this.marksBetween = sqlite.prepare('SELECT customer_id FROM audience_dirty WHERE seq > ? AND seq <= ?').pluck();
    this.seen = this.markedThrough.get() as number;
    this.entries = new DecisionRecordsLru(capacity);
  }

  async recordsFor(customerId: CustomerId, channel: ChannelKey): Promise<DecisionRecords | null> {
    return (await this.recordsAndProduct(customerId, channel, null)).records;
  }

  async recordsAndProduct(customerId: CustomerId, channel: ChannelKey, sku: Sku | null): Promise<DecisionRecordsAndProduct> {
    if (!this.usable() || !(await this.caughtUp())) return this.store.recordsAndProduct(customerId, channel, sku);
    const product = sku === null ? null : (this.products.bySku.get(sku) ?? undefined);
    const cached = this.entries.get(customerId, channel);
    if (cached !== undefined) return { records: cached, product };
    const generation = this.generation;
    const records = await this.store.recordsFor(customerId, channel);
    if (generation === this.generation) this.entries.set(customerId, channel, records);
    return { records, product };
  }

  /**
   * Waits for a catch-up that runs after this call (shared by the calls of the same event-loop
   * turn): false when this connection is inside a transaction by then, and the cache must be
   * bypassed.
   */
  private caughtUp(): Promise<boolean> {
    this.pending ??= new Promise<boolean>((resolve, reject) => {
      setImmediate(() => {
        this.pending = null;
        if (!this.usable()) return resolve(false);
        try {
          const row = this.markedThroughAndCatalogue.get() as { through: number; catalogue: number };
          this.catchUp(row.through);
          if (row.catalogue !== this.products.version) this.products = { version: row.catalogue, bySku: this.readProducts() };
          resolve(true);
        } catch (err) {
          reject(err);
        }
      });
    });
    return this.pending;
  }

  private readProducts(): Map<string, Product> {
    const rows = this.allProducts.all() as ProductsTable[];
    return new Map(rows.map((row) => [row.sku, productFromRow(row)]));
  }

  /** How many customers are cached now (for tests and the health of the cache). */
  get size(): number {
    return this.entries.size;
  }

  /** False when the cache must be bypassed for this read. */
  private usable(): boolean {
    return this.capacity > 0 && !this.sqlite.inTransaction;
  }

  /** Forgets the customers marked after `seen` up to `through` (everyone, when marks are missing). */
  private catchUp(through: number): void {
    if (through === this.seen) return;
    this.generation += 1;
    const changed = through > this.seen && through - this.seen <= this.capacity ? (this.marksBetween.all(this.seen, through) as string[]) : null;
    // Fewer marks than seqs: a refresh consumed some before this cache saw them.
    if (changed === null || changed.length < through - this.seen) this.entries.clear();
    else for (const id of changed) this.entries.forget(id);
    this.seen = through;
  }
}
