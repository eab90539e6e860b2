/**
 * The audit log of reads and changes of personal data by people (API keys). Insert-only.
 * On SQLite entries are appended to `audit_journal` (no secondary indexes) and moved into
 * `audit_log` in bulk by `fold()`: on a timer while entries arrive, before every read of the log,
 * and on close, so a read always sees every entry committed before it (decision 0032).
 * PostgreSQL writes into `audit_log` directly.
 */
import type { Kysely, Selectable } from 'kysely';
import type { AuditEntry, AuditLog } from '../core/ports.ts';
import type { CustomerId, Instant } from '../core/records.ts';
import type { Database } from './database.ts';
import type { AuditLogTable, Schema } from './schema.ts';
import { FOLD_MAX_ROWS, journalFolder, type JournalFolder } from './audit-journal.ts';
import { writerWaitingOnTimers } from './sqlite-lock-wait.ts';

/** Writes a batch of entries in one transaction. */
type AuditBatchWriter = (entries: readonly AuditEntry[]) => Promise<void>;

/**
 * How often a process without the off-thread fold (wal-checkpointer.ts) folds the journal while
 * entries arrive (ms): the CLI and workers; a server folds in its checkpoint thread.
 */
const FOLD_INTERVAL_MS = 250;

export class SqlAuditLog implements AuditLog {
  private readonly db: Kysely<Schema>;
  private readonly writeBatch: AuditBatchWriter;
  /** SQLite: the journal's folds (audit-journal.ts). */
  private readonly folder: JournalFolder | null;
  /** The background fold running now, if any (one at a time). */
  private folding: Promise<void> | null = null;
  private foldTimer: NodeJS.Timeout | null = null;
  private readonly foldedOffThread: () => boolean = () => false;

  constructor(database: Database) {
    this.db = database.db;
    if (database.dialect === 'sqlite') {
      this.writeBatch = sqliteAuditWriter(database.sqlite);
      this.folder = journalFolder(database.sqlite);
      this.foldedOffThread = () => database.maintainedOffThread;
    } else {
      this.writeBatch = postgresAuditWriter(database.pool);
      this.folder = null;
    }
  }

  async record(e: AuditEntry): Promise<void> {
    await this.recordMany([e]);
  }

  /**
   * Several entries in one commit, by a statement prepared once: a batch's SQL does not depend on
   * its size (every request of a busy API writes through here, GroupCommitAuditLog).
   */
  async recordMany(entries: readonly AuditEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await this.writeBatch(entries);
    const folder = this.folder;
    if (folder !== null && this.foldTimer === null && !this.foldedOffThread()) {
      // Folds in the background while entries keep coming, waiting for locks on timers. The timer
      // does not keep a process alive: whatever it leaves is folded by the next read or close.
      this.foldTimer = setInterval(() => {
        this.folding ??= folder
          .foldAll()
          .catch(() => undefined) // tried again at the next tick, and by every read
          .finally(() => (this.folding = null));
      }, FOLD_INTERVAL_MS).unref();
    }
  }

  /**
   * Moves every journal entry into audit_log (SQLite; nothing to do on PostgreSQL), including
   * entries other processes wrote to the same file; called before the log is read. Waits for
   * another connection's lock on timers, not on the event loop; an empty journal takes no lock.
   * Errors: SQLITE_BUSY when the lock stays taken for LOCK_WAIT_MS (sqlite-lock-wait.ts).
   */
  async fold(): Promise<void> {
    await this.folder?.foldAll();
  }

  /** Stops the background folding and folds what is left (waiting inside SQLite: the process is closing). */
  async close(): Promise<void> {
    this.stopFolding();
    await this.folding;
    if (this.folder !== null) while (this.folder.foldSome(FOLD_MAX_ROWS) > 0);
  }

  private stopFolding(): void {
    if (this.foldTimer !== null) clearInterval(this.foldTimer);
    this.foldTimer = null;
  }

  async forCustomer(customerId: CustomerId): Promise<AuditEntry[]> {
    await this.fold();
    const rows = await this.db.selectFrom('audit_log').selectAll().where('customer_id', '=', customerId).orderBy('id').execute();
    return rows.map(auditEntryFromRow);
  }
}

/** A stored audit row as an entry (SQLite keeps `detail` as JSON text, PostgreSQL as jsonb). */
export function auditEntryFromRow(r: Selectable<AuditLogTable>): AuditEntry {
  return {
    at: r.at as Instant,
    actor: r.actor,
    role: r.role,
    action: r.action,
    customerId: r.customer_id,
    detail: typeof r.detail === 'string' ? (JSON.parse(r.detail) as Record<string, unknown>) : r.detail,
  };
}

/** An entry's values in the order of the INSERTs' columns (at, actor, role, action, customer_id, detail). */
const AUDIT_COLUMNS: ((e: AuditEntry) => string | null)[] = [(e) => e.at, (e) => e.actor, (e) => e.role, (e) => e.action, (e) => e.customerId, (e) => JSON.stringify(e.detail)];

type Sqlite = Extract<Database, { dialect: 'sqlite' }>['sqlite'];

/**
 * SQLite: one prepared INSERT into the journal run per entry inside one transaction, waiting for
 * another connection's lock on timers (sqlite-lock-wait.ts), not on the event loop.
 */
function sqliteAuditWriter(sqlite: Sqlite): AuditBatchWriter {
  const insert = sqlite.prepare('INSERT INTO audit_journal (at, actor, role, action, customer_id, detail) VALUES (?, ?, ?, ?, ?, ?)');
  return writerWaitingOnTimers(
    sqlite,
    sqlite.transaction((entries: readonly AuditEntry[]) => {
      for (const e of entries) insert.run(...AUDIT_COLUMNS.map((column) => column(e)));
    }),
  );
}

/** PostgreSQL: one named statement with one array per column, however large the batch. */
function postgresAuditWriter(pool: Extract<Database, { dialect: 'postgres' }>['pool']): AuditBatchWriter {
  return async (entries) => {
    await pool.query({
      name: 'lupa-audit-insert',
      text: `INSERT INTO audit_log (at, actor, role, action, customer_id, detail)
             SELECT * FROM unnest($1::timestamptz[], $2::text[], $3::text[], $4::text[], $5::text[], $6::jsonb[])`,
      values: AUDIT_COLUMNS.map((column) => entries.map(column)),
    });
  };
}
