/** The audit log of reads and changes of personal data by people (API keys). Insert-only. */
import type { Kysely, Selectable } from 'kysely';
import type { AuditEntry, AuditLog } from '../core/ports.ts';
import type { CustomerId, Instant } from '../core/records.ts';
import type { Database } from './database.ts';
import type { AuditLogTable, Schema } from './schema.ts';

/** Writes a batch of entries in one transaction. */
type AuditBatchWriter = (entries: readonly AuditEntry[]) => Promise<void>;

export class SqlAuditLog implements AuditLog {
  private readonly db: Kysely<Schema>;
  private readonly writeBatch: AuditBatchWriter;

  constructor(database: Database) {
    this.db = database.db;
    this.writeBatch = database.dialect === 'sqlite' ? sqliteAuditWriter(database.sqlite) : postgresAuditWriter(database.pool);
  }

  async record(e: AuditEntry): Promise<void> {
    await this.recordMany([e]);
  }

  /**
   * Several entries in one commit, by a statement prepared once: a batch's SQL does not depend on
   * its size (every request of a busy API writes through here, GroupCommitAuditLog).
   */
  async recordMany(entries: readonly AuditEntry[]): Promise<void> {
    if (entries.length > 0) await this.writeBatch(entries);
  }

  async forCustomer(customerId: CustomerId): Promise<AuditEntry[]> {
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

/** SQLite: one prepared INSERT run per entry inside one transaction. */
function sqliteAuditWriter(sqlite: Extract<Database, { dialect: 'sqlite' }>['sqlite']): AuditBatchWriter {
  const insert = sqlite.prepare('INSERT INTO audit_log (at, actor, role, action, customer_id, detail) VALUES (?, ?, ?, ?, ?, ?)');
  const writeAll = sqlite.transaction((entries: readonly AuditEntry[]) => {
    for (const e of entries) insert.run(...AUDIT_COLUMNS.map((column) => column(e)));
  });
  return async (entries) => writeAll(entries);
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
