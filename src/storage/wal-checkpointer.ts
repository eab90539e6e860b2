/**
 * SQLite's write-ahead log copied back into the database file by a thread of its own. SQLite does
 * this "checkpoint" inside the commit that grows the log past `wal_autocheckpoint` pages: on the
 * event loop, with the database file's fsync, while every request waits. A server's audit commits
 * (one per group of requests) then stalled for milliseconds: at 100 pages a checkpoint came every
 * few commits and made an audit entry cost ~250 µs of wall time instead of ~40 µs.
 *
 * Here a second connection runs `PRAGMA wal_checkpoint(PASSIVE)` every `intervalMs` (PASSIVE: it
 * never waits for, nor blocks, readers and writers; SQLite docs, "wal_checkpoint"). The serving
 * connection keeps a high `wal_autocheckpoint` (SAFETY_NET_PAGES) as a safety net: if the thread
 * fell behind or died, the log would still be checkpointed, only on the event loop again.
 * Durability does not change: a commit is as durable as before (WAL, synchronous=NORMAL) whichever
 * connection later copies it into the database file.
 *
 * The same thread folds the audit journal into audit_log (audit-journal.ts, decision 0032) before
 * each checkpoint, at most FOLD_MAX_ROWS entries per transaction: the index work of audit entries
 * is done here rather than in the commits the requests wait for. Meanwhile the serving connection's
 * audit commits wait for the lock with timers (sql-audit-log.ts), not on the event loop.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type BetterSqlite3 from 'better-sqlite3';
import { FOLD_MAX_ROWS, FOLD_SQL } from './audit-journal.ts';

/** The serving connection's own checkpoint limit while the thread runs (pages of 4 KiB: 40 MiB). */
export const SAFETY_NET_PAGES = 10_000;

/**
 * The thread, as plain CommonJS evaluated by the worker (the same under tsx and in the built
 * dist/): it opens the file, checkpoints on a timer, and closes its connection when told to stop.
 */
const THREAD = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { fileMustExist: true });
db.pragma('synchronous = NORMAL');
db.pragma('busy_timeout = 5000');
const sql = workerData.foldSql;
const foldOnce = sql === null ? null : (() => {
  const through = db.prepare(sql.through).pluck();
  const move = db.prepare(sql.move);
  const remove = db.prepare(sql.remove);
  return db.transaction((max) => {
    const last = through.get(max);
    if (last === null) return 0;
    const moved = move.run(last).changes;
    remove.run(last);
    return moved;
  });
})();
const timer = setInterval(() => {
  try {
    if (foldOnce !== null) while (foldOnce.immediate(workerData.foldMaxRows) === workerData.foldMaxRows);
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (err) { parentPort.postMessage({ error: String(err && err.message) }); }
}, workerData.intervalMs);
parentPort.on('message', () => { clearInterval(timer); db.close(); parentPort.close(); });
`;

export interface WalCheckpointer {
  /** Stops the thread (after a last checkpoint of its timer, if one is running) and closes its connection. */
  close(): Promise<void>;
}

/**
 * Starts checkpointing `path` (a database file in WAL mode, open on `serving`) off the event loop,
 * with `foldAuditJournal` folding Lupa's audit journal too (a store migrated past 0048), and raises `serving`'s own `wal_autocheckpoint` to SAFETY_NET_PAGES. The thread does not keep
 * the process alive. `onError` hears of a failed checkpoint (the next one is tried all the same).
 */
export function startWalCheckpointer(
  serving: BetterSqlite3.Database,
  path: string,
  opts: { intervalMs?: number; onError?: (message: string) => void; foldAuditJournal?: boolean } = {},
): WalCheckpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(THREAD, { eval: true, workerData: { driver, path, intervalMs: opts.intervalMs ?? 100, foldSql: opts.foldAuditJournal === true ? FOLD_SQL : null, foldMaxRows: FOLD_MAX_ROWS },
  });
  worker.unref();
  let exited = false;
  worker.once('exit', () => (exited = true));
  worker.on('error', (err) => opts.onError?.(err.message));
  worker.on('message', (msg: { error?: string }) => {
    if (msg.error !== undefined) opts.onError?.(msg.error);
  });
  const previous = serving.pragma('wal_autocheckpoint', { simple: true }) as number;
  serving.pragma(`wal_autocheckpoint = ${SAFETY_NET_PAGES}`);
  let closed: Promise<void> | null = null;
  return {
    close() {
      closed ??= new Promise<void>((resolve) => {
        if (serving.open) serving.pragma(`wal_autocheckpoint = ${previous}`);
        if (exited) return resolve();
        // Waited for, the thread keeps the process alive until it is gone (else a process with
        // nothing else to do would end right here, with its closing unfinished).
        worker.ref();
        worker.once('exit', () => resolve());
        worker.postMessage('stop');
      });
      return closed;
    },
  };
}
