/**
 * Kysely's SQLite dialect with every transaction begun IMMEDIATE. Other connections write to the
 * same file while a server runs (its thread folding the audit journal, decision 0032; the site
 * events' writer thread; the CLI): a deferred transaction that reads and then writes fails at its
 * first write with SQLITE_BUSY_SNAPSHOT, at once and without retrying, when another connection
 * committed after its read (SQLite docs, "isolation" and "lang_transaction"). Taking the write lock
 * at BEGIN makes it wait for the lock (busy_timeout) instead.
 */
import { CompiledQuery, SqliteDialect, SqliteDriver, type DatabaseConnection, type Driver, type SqliteDialectConfig } from 'kysely';

class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

export class ImmediateSqliteDialect extends SqliteDialect {
  private readonly settings: SqliteDialectConfig;

  constructor(config: SqliteDialectConfig) {
    super(config);
    this.settings = config;
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.settings);
  }
}
