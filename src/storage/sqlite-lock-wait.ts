/**
 * A write that waits for another connection's lock without holding up the event loop. SQLite's
 * own busy handler sleeps inside the call (up to `busy_timeout`), and with it every request of
 * the server; a server's own thread folds the audit journal (decision 0032), and other processes
 * (the CLI, workers) write to the same file. The hot group commits (audit entries, tracking hits,
 * site events) instead try the lock without waiting and, when it is taken, try again after a
 * timer, so other requests are answered meanwhile.
 */
import type BetterSqlite3 from 'better-sqlite3';

/** How long a write waits for the lock in all before it fails with SQLITE_BUSY (ms), as `busy_timeout`. */
export const LOCK_WAIT_MS = 5000;

/**
 * `transaction` (a better-sqlite3 transaction function) run as BEGIN IMMEDIATE, waiting for a
 * taken lock with 1 ms timers for at most LOCK_WAIT_MS. Inside a transaction already open on the
 * connection it runs at once (the lock is then the caller's business).
 * Errors: SQLITE_BUSY after LOCK_WAIT_MS; whatever the transaction throws (it is rolled back).
 */
export function writerWaitingOnTimers<A>(
  sqlite: BetterSqlite3.Database,
  transaction: BetterSqlite3.Transaction<(arg: A) => unknown>,
): (arg: A) => Promise<void> {
  const busyTimeout = sqlite.pragma('busy_timeout', { simple: true }) as number;
  /** True when written; false when the lock was taken (nothing written). */
  const tryWrite = (arg: A): boolean => {
    if (sqlite.inTransaction) {
      transaction(arg);
      return true;
    }
    // Not a statement prepared once: SQLite applies busy_timeout when the pragma is prepared.
    sqlite.pragma('busy_timeout = 0');
    try {
      transaction.immediate(arg);
      return true;
    } catch (err) {
      if ((err as { code?: string }).code === 'SQLITE_BUSY') return false;
      throw err;
    } finally {
      sqlite.pragma(`busy_timeout = ${busyTimeout}`);
    }
  };
  return async (arg) => {
    const started = Date.now();
    while (!tryWrite(arg)) {
      if (Date.now() - started >= LOCK_WAIT_MS) throw Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  };
}
