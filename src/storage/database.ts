/**
 * Opens the store named by a URL: `sqlite:PATH` (the embedded default) or `postgres://…`
 * (production). A `?schema=NAME` on a PostgreSQL URL keeps all tables in that schema.
 */
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { DomainError } from '../core/errors.ts';
import { ImmediateSqliteDialect } from './immediate-sqlite-dialect.ts';
import type { Schema } from './schema.ts';
import { startWalCheckpointer, type WalCheckpointer } from './wal-checkpointer.ts';

export type Dialect = 'sqlite' | 'postgres';

export type Database =
  | {
      dialect: 'sqlite';
      db: Kysely<Schema>;
      sqlite: BetterSqlite3.Database;
      /**
       * Checkpoints the write-ahead log from a thread of its own from now on, not inside commits on
       * the event loop (wal-checkpointer.ts); for a server. Once is enough; no-op for `:memory:`.
       */
      checkpointOffThread(onError?: (message: string) => void): void;
      /** True once checkpointOffThread started its thread (which also folds the audit journal). */
      readonly maintainedOffThread: boolean;
      close(): Promise<void>;
    }
  | { dialect: 'postgres'; db: Kysely<Schema>; pool: pg.Pool; schema: string | null; close(): Promise<void> };

// PostgreSQL returns times as ISO text and 64-bit integers as numbers, like SQLite does.
pg.types.setTypeParser(1184, (v) => new Date(v).toISOString()); // timestamptz
pg.types.setTypeParser(1114, (v) => new Date(`${v}Z`).toISOString()); // timestamp
pg.types.setTypeParser(20, (v) => Number(v)); // int8 (counts, bigserial)

export function openDatabase(url: string): Database {
  if (url.startsWith('sqlite:')) return openSqlite(url.slice('sqlite:'.length));
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) return openPostgres(url);
  throw new DomainError('CONFIG_INVALID', `database URL must start with sqlite: or postgres:// (got ${JSON.stringify(url.split(':')[0])})`, {
    field: 'LUPA_DATABASE_URL',
  });
}

function openSqlite(path: string): Database {
  if (path === '') throw new DomainError('CONFIG_INVALID', 'sqlite: URL needs a file path, e.g. sqlite:./data/lupa.db', { field: 'LUPA_DATABASE_URL' });
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new BetterSqlite3(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  // PostgreSQL's md5(text) → hex, so that SQL drawing a seeded sample reads the same on both stores.
  sqlite.function('md5', { deterministic: true }, (value: unknown) => (value === null ? null : createHash('md5').update(String(value)).digest('hex')));
  sqlite.pragma('cache_size = -262144'); // 256 MiB page cache: audiences scan whole tables
  // Small, frequent checkpoints: the commit that crosses the limit copies the WAL into the database
  // inside a request. At SQLite's default of 1,000 pages that stalled decide's p99 at ~10 ms; at 100
  // pages it is 2.7–3.8 ms (`npm run bench -- --only decide-http`), the pixel benchmark unchanged.
  // A server moves them off the event loop altogether (checkpointOffThread, wal-checkpointer.ts).
  sqlite.pragma('wal_autocheckpoint = 100');
  // temp_store stays FILE here: with MEMORY, grouping a million audience rows took 1.5 s instead of
  // 0.9 s. (The bulk writer's connection keeps its statement journals in memory.)
  const db = new Kysely<Schema>({ dialect: new ImmediateSqliteDialect({ database: withStatementCache(sqlite) }) });
  let checkpointer: WalCheckpointer | null = null;
  return {
    dialect: 'sqlite',
    db,
    sqlite,
    checkpointOffThread(onError) {
      if (path !== ':memory:') checkpointer ??= startWalCheckpointer(sqlite, path, { foldAuditJournal: true, ...(onError === undefined ? {} : { onError }) });
    },
    get maintainedOffThread() {
      return checkpointer !== null;
    },
    async close() {
      await checkpointer?.close();
      await db.destroy();
    },
  };
}

/**
 * Kysely prepares every query anew; on SQLite preparing costs more than running a point lookup.
 * Statements are kept by their SQL text (Kysely runs one query at a time on the connection, so a
 * statement is never used by two queries at once). The cache is bounded: ad-hoc SQL cannot grow it.
 */
function withStatementCache(sqlite: BetterSqlite3.Database, limit = 500): BetterSqlite3.Database {
  const cache = new Map<string, BetterSqlite3.Statement>();
  const prepare = (source: string): BetterSqlite3.Statement => {
    let statement = cache.get(source);
    if (statement === undefined) {
      statement = sqlite.prepare(source);
      if (cache.size >= limit) cache.clear();
      cache.set(source, statement);
    }
    return statement;
  };
  return new Proxy(sqlite, {
    get(target, property, receiver) {
      if (property === 'prepare') return prepare;
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

function openPostgres(url: string): Database {
  const parsed = new URL(url);
  const schema = parsed.searchParams.get('schema');
  parsed.searchParams.delete('schema');
  if (schema !== null && !/^[a-z_][a-z0-9_]*$/.test(schema)) {
    throw new DomainError('CONFIG_INVALID', 'schema must be a lowercase SQL identifier', { field: 'LUPA_DATABASE_URL' });
  }
  const pool = new pg.Pool({
    connectionString: parsed.toString(),
    max: 10,
    ...(schema === null ? {} : { options: `-c search_path=${schema}` }),
  });
  const db = new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) });
  return {
    dialect: 'postgres',
    db,
    pool,
    schema,
    async close() {
      await db.destroy();
      // Kysely ends the pool only if it used it; bulk writers may have used it alone.
      if (!pool.ended) await pool.end();
    },
  };
}
