/**
 * Folding SQLite's audit journal into audit_log (migration 0048, decision 0032): the oldest
 * entries moved with their ids, in one transaction, so a crash leaves each entry in one table or
 * the other, never both or neither. The statements are shared with the thread that folds off the
 * event loop (wal-checkpointer.ts), which cannot import this module.
 */
import type BetterSqlite3 from 'better-sqlite3';
import { writerWaitingOnTimers } from './sqlite-lock-wait.ts';

/** The statements of one fold, in order: `through` (bound: how many), `move` and `remove` (bound: the last id). */
export const FOLD_SQL = {
  through: 'SELECT max(id) FROM (SELECT id FROM audit_journal ORDER BY id LIMIT ?)',
  move: 'INSERT INTO audit_log (id, at, actor, role, action, customer_id, detail) SELECT id, at, actor, role, action, customer_id, detail FROM audit_journal WHERE id <= ? ORDER BY id',
  remove: 'DELETE FROM audit_journal WHERE id <= ?',
} as const;

/** At most how many entries one fold moves: the write lock is held for about this many rows. */
export const FOLD_MAX_ROWS = 100;

export interface JournalFolder {
  /** Moves up to `max` entries and returns how many it moved; waits for a taken lock inside SQLite (busy_timeout). */
  foldSome(max: number): number;
  /**
   * Moves every entry, waiting for a taken lock on timers (sqlite-lock-wait.ts), so the event loop
   * keeps answering; an empty journal costs one read and takes no lock.
   * Errors: SQLITE_BUSY after LOCK_WAIT_MS.
   */
  foldAll(): Promise<void>;
}

/** The folds on `sqlite`. */
export function journalFolder(sqlite: BetterSqlite3.Database): JournalFolder {
  const any = sqlite.prepare('SELECT EXISTS (SELECT 1 FROM audit_journal)').pluck();
  const through = sqlite.prepare(FOLD_SQL.through).pluck();
  const move = sqlite.prepare(FOLD_SQL.move);
  const remove = sqlite.prepare(FOLD_SQL.remove);
  const fold = sqlite.transaction((max: number): number => {
    const last = through.get(max) as number | null;
    if (last === null) return 0;
    const moved = move.run(last).changes;
    remove.run(last);
    return moved;
  });
  const foldWaiting = writerWaitingOnTimers(sqlite, fold);
  return {
    // IMMEDIATE: the write lock first. A deferred transaction that read the journal and then found
    // another connection had written since would fail at once (SQLITE_BUSY_SNAPSHOT), not wait.
    foldSome: (max) => (sqlite.inTransaction ? fold(max) : fold.immediate(max)),
    async foldAll() {
      while (any.get() === 1) await foldWaiting(FOLD_MAX_ROWS);
    },
  };
}
