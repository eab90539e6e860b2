/**
 * Bulk writes on SQLite with raw better-sqlite3 prepared statements. Kysely is bypassed on purpose:
 * building a query object per row costs more than the insert itself.
 *
 * Small imports write on the app's connection, one transaction per batch. Once a batch is large,
 * the writer moves to a worker thread with its own connection (the second half of this file):
 * - the inserts run while the main thread parses the next batch (about twice as fast on two cores);
 * - the thread commits every 200,000 rows, not per batch: with random-key indexes (e-mail, order id,
 *   fingerprint, …) each commit rewrites most pages of those indexes to the WAL whatever its size,
 *   so 10,000-row commits wrote ~13× the database size for a 2M-record file.
 * If the thread cannot start (e.g. tsx cannot be resolved), writing stays on the app's connection.
 */
import BetterSqlite3 from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { startEntryWorker } from '../../worker-threads.ts';
import {
  CUSTOMER_COLUMNS,
  LEDGER_COLUMNS,
  LEDGER_KIND_INDEX,
  ORDER_COLUMNS,
  PRODUCT_COLUMNS,
  SUPPRESSION_COLUMNS,
  batchRows,
  emptyCounts,
  type BulkBatch,
  type BulkWriter,
  type WrittenCounts,
} from './bulk-writer.ts';

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

function appendSql(table: string, columns: readonly string[]): string {
  return `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')}) ON CONFLICT (fingerprint) DO NOTHING`;
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
  // Values are bound by index from the flat arrays (see BulkBatch): no per-row array or object.
  writeRows(b: BulkBatch): WrittenCounts {
    const n = emptyCounts();
    let v = b.products;
    for (let i = 0; i < v.length; i += PRODUCT_COLUMNS.length) n.product += this.product.run(v[i], v[i + 1], v[i + 2], v[i + 3]).changes;
    v = b.customers;
    for (let i = 0; i < v.length; i += CUSTOMER_COLUMNS.length) {
      n.customer += this.customer.run(
        v[i], v[i + 1], v[i + 2], v[i + 3], v[i + 4], v[i + 5], v[i + 6], v[i + 7], v[i + 8], v[i + 9], v[i + 10], v[i + 11], v[i + 12], v[i + 13], v[i + 14], v[i + 15],
      ).changes;
    }
    v = b.orders;
    for (let i = 0; i < v.length; i += ORDER_COLUMNS.length) {
      n.order += this.order.run(v[i], v[i + 1], v[i + 2], v[i + 3], v[i + 4], v[i + 5], v[i + 6]).changes;
    }
    v = b.ledger;
    for (let i = 0; i < v.length; i += LEDGER_COLUMNS.length) {
      const changed = this.ledger.run(
        v[i], v[i + 1], v[i + 2], v[i + 3], v[i + 4], v[i + 5], v[i + 6], v[i + 7], v[i + 8], v[i + 9], v[i + 10], v[i + 11],
      ).changes;
      if (v[i + LEDGER_KIND_INDEX] === 'objection') n.objection += changed;
      else n.consent += changed;
    }
    v = b.suppressions;
    for (let i = 0; i < v.length; i += SUPPRESSION_COLUMNS.length) {
      n.suppression += this.suppression.run(v[i], v[i + 1], v[i + 2], v[i + 3], v[i + 4], v[i + 5], v[i + 6], v[i + 7]).changes;
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
    if (this.thread === null && !this.threadUnavailable && batchRows(batch) >= this.threadFromRows) {
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

// ---- The writer thread -------------------------------------------------------------------------

/** Rows per commit in the writer thread (about a second of work; other writers wait at most that long). */
const THREAD_COMMIT_ROWS = 200_000;
/** An open transaction is committed when no batch arrived for this long (a slow upload must not hold the lock). */
const THREAD_IDLE_COMMIT_MS = 50;
/** Pause after each commit so that other writers (the server's connection) get the lock now and then. */
const THREAD_PAUSE_AFTER_COMMIT_MS = 10;

type Request = { op: 'write'; batch: BulkBatch } | { op: 'close' };
type ToThread = Request & { id: number };
type Done = { id: number; ok: true; counts: WrittenCounts | null };
type FromThread = { op: 'ready' } | Done | { id: number; ok: false; message: string; code: string | undefined };

interface WriterThread {
  write(batch: BulkBatch): Promise<WrittenCounts>;
  close(): Promise<void>;
}

/**
 * Starts a worker on the thread's entry point (sqlite-bulk-writer-thread), which runs `serveBulkWrites`.
 * Built (dist/, see bin/build.mjs), the entry is a JavaScript file beside this code. Run from the
 * TypeScript source (tsx, Vitest), the worker registers tsx itself, however the parent was started.
 */
// async: a synchronous throw (e.g. tsx not resolvable) must become a rejection, which means "fall back".
async function startWriterThread(path: string): Promise<WriterThread> {
  const workerData = { lupaBulkWriterPath: path };
  const worker = startEntryWorker(import.meta.url, 'sqlite-bulk-writer-thread', workerData);
  const pending = new Map<number, { resolve: (m: Done) => void; reject: (e: Error) => void }>();
  let next = 0;
  let dead: Error | null = null;

  const call = (msg: Request): Promise<Done> =>
    new Promise((resolve, reject) => {
      if (dead !== null) return reject(dead);
      const id = next++;
      pending.set(id, { resolve, reject });
      worker.postMessage({ ...msg, id });
    });

  return new Promise((resolveStart, rejectStart) => {
    const fail = (err: Error): void => {
      dead ??= err;
      rejectStart(err);
      for (const p of pending.values()) p.reject(err);
      pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the SQLite writer thread exited (${code})`)));
    worker.on('message', (m: FromThread) => {
      if ('op' in m) {
        resolveStart({
          write: async (batch) => (await call({ op: 'write', batch })).counts ?? emptyCounts(),
          close: async () => {
            await call({ op: 'close' });
            await worker.terminate();
          },
        });
        return;
      }
      const p = pending.get(m.id);
      pending.delete(m.id);
      if (m.ok) p?.resolve(m);
      else p?.reject(Object.assign(new Error(m.message), { code: m.code }));
    });
  });
}

/**
 * Runs in the writer thread: one connection, one transaction open across batches. Any failure rolls
 * back every batch since the last commit and is reported; the importer then fails the whole import.
 */
export function serveBulkWrites(): void {
  const port = parentPort;
  const path = (workerData as { lupaBulkWriterPath?: unknown } | null)?.lupaBulkWriterPath;
  if (port === null || typeof path !== 'string') throw new Error('serveBulkWrites runs only in the writer thread');
  const sqlite = new BetterSqlite3(path);
  // The same settings as the app's connection (storage/database.ts) …
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  // … except the cache, which holds the pages of one commit (allocated only as used, freed at the
  // end), and checkpoints: fewer, larger ones (400 MB of WAL), so a page changed by several commits
  // is copied once. Together they made a 5M-record import 10% faster than 512 MB / 200 MB.
  sqlite.pragma('cache_size = -1048576');
  sqlite.pragma('wal_autocheckpoint = 100000');
  // Triggers make each insert a statement transaction with its own journal: keep those in memory.
  sqlite.pragma('temp_store = MEMORY');
  const statements = new SqliteBatchStatements(sqlite);
  const pause = new Int32Array(new SharedArrayBuffer(4));
  let open = false;
  let uncommitted = 0;
  let idle: NodeJS.Timeout | undefined;
  let deferred: unknown = null; // a failed idle commit, reported with the next message
  let committing = false; // still true after a failed COMMIT: the open batches are lost

  const commit = (): void => {
    clearTimeout(idle);
    if (!open) return;
    open = false;
    uncommitted = 0;
    committing = true;
    sqlite.exec('COMMIT');
    committing = false;
    Atomics.wait(pause, 0, 0, THREAD_PAUSE_AFTER_COMMIT_MS);
  };

  const write = (batch: BulkBatch): WrittenCounts => {
    if (!open) {
      sqlite.exec('BEGIN IMMEDIATE');
      open = true;
    }
    // No savepoint per batch: it would copy every touched page to a sub-journal, which costs more
    // than the inserts. A failing batch rolls back everything since the last commit instead.
    const counts = statements.writeRows(batch);
    uncommitted += batchRows(batch);
    if (uncommitted >= THREAD_COMMIT_ROWS) commit();
    else {
      clearTimeout(idle);
      idle = setTimeout(() => {
        try {
          commit();
        } catch (err) {
          deferred = err;
        }
      }, THREAD_IDLE_COMMIT_MS);
    }
    return counts;
  };

  port.on('message', (msg: ToThread) => {
    let reply: FromThread;
    try {
      if (deferred !== null) throw deferred;
      const counts = msg.op === 'write' ? write(msg.batch) : (commit(), null);
      reply = { id: msg.id, ok: true, counts };
    } catch (err) {
      // After a failed commit every batch since the last commit is lost, not only this one.
      const lost = committing || sqlite.inTransaction;
      if (sqlite.inTransaction) {
        try {
          sqlite.exec('ROLLBACK');
        } catch {
          // The transaction may already be gone (SQLite rolls back itself after some I/O errors).
        }
      }
      committing = false;
      deferred = null;
      open = false;
      uncommitted = 0;
      const code = typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : undefined;
      const message = (err instanceof Error ? err.message : String(err)) + (lost ? ' (the batches since the last commit were rolled back)' : '');
      reply = { id: msg.id, ok: false, message, code };
    }
    if (msg.op === 'close') {
      // The WAL grew to hundreds of MB; hand it back rather than leave the file that large on disk.
      // Best effort: with readers active SQLite just reports "busy" and the WAL stays.
      if (reply.ok) sqlite.pragma('wal_checkpoint(TRUNCATE)');
      sqlite.close();
    }
    port.postMessage(reply);
  });
  port.postMessage({ op: 'ready' } satisfies FromThread);
}
