/**
 * Applies the migrations that have not run yet, in version order: the numbered SQL files of the
 * store's dialect and the data steps below (work SQL cannot do, such as computing canonical
 * addresses). Migrations are frozen once merged; each version is recorded in schema_migrations.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { canonicaliseStoredAddresses } from './canonical-addresses.ts';
import type { Database } from './database.ts';
import { fillNameWords } from './name-words-fill.ts';

const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));

/**
 * Data steps, by version. A step commits its own batches, so it must be idempotent: the version is
 * recorded after it ends, and a step cut short runs again from the start.
 */
const DATA_STEPS: Record<string, (database: Database) => Promise<unknown>> = {
  '0012_canonical_addresses': canonicaliseStoredAddresses,
  // After 0023_customer_name_words.sql ('.' sorts before '_'), which adds the column it fills.
  '0023_customer_name_words_fill': fillNameWords,
};

type Step = { version: string; sql: string } | { version: string; run: (database: Database) => Promise<unknown> };

function steps(database: Database): Step[] {
  const dir = join(MIGRATIONS_DIR, database.dialect);
  const sqlSteps: Step[] = readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .map((f) => ({ version: f, sql: readFileSync(join(dir, f), 'utf8') }));
  const dataSteps: Step[] = Object.entries(DATA_STEPS).map(([version, run]) => ({ version, run }));
  return [...sqlSteps, ...dataSteps].sort((a, b) => (a.version < b.version ? -1 : 1));
}

export async function migrate(database: Database): Promise<string[]> {
  const applied: string[] = [];
  if (database.dialect === 'sqlite') {
    const sqlite = database.sqlite;
    sqlite.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version TEXT PRIMARY KEY, applied_at TEXT NOT NULL)');
    const done = new Set(sqlite.prepare('SELECT version FROM schema_migrations').pluck().all() as string[]);
    const record = sqlite.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)');
    for (const step of steps(database)) {
      if (done.has(step.version)) continue;
      if ('sql' in step) {
        sqlite.transaction(() => {
          sqlite.exec(step.sql);
          record.run(step.version, new Date().toISOString());
        })();
      } else {
        await step.run(database);
        record.run(step.version, new Date().toISOString());
      }
      applied.push(step.version);
    }
    return applied;
  }
  const client = await database.pool.connect();
  try {
    if (database.schema !== null) await client.query(`CREATE SCHEMA IF NOT EXISTS ${database.schema}`);
    // One migrator per schema at a time, also when several workers start together.
    const lockKey = `lupa-migrate:${database.schema ?? 'public'}`;
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [lockKey]);
    await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (version TEXT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL)');
    const done = new Set((await client.query<{ version: string }>('SELECT version FROM schema_migrations')).rows.map((r) => r.version));
    for (const step of steps(database)) {
      if (done.has(step.version)) continue;
      if ('sql' in step) {
        await client.query('BEGIN');
        try {
          await client.query(step.sql);
          await client.query('INSERT INTO schema_migrations (version, applied_at) VALUES ($1, now())', [step.version]);
          await client.query('COMMIT');
        } catch (err) {
          await client.query('ROLLBACK');
          throw err;
        }
      } else {
        // The step uses the pool's other connections; this one keeps holding the migration lock.
        await step.run(database);
        await client.query('INSERT INTO schema_migrations (version, applied_at) VALUES ($1, now())', [step.version]);
      }
      applied.push(step.version);
    }
    return applied;
  } finally {
    await client.query('SELECT pg_advisory_unlock(hashtext($1))', [`lupa-migrate:${database.schema ?? 'public'}`]).catch(() => undefined);
    client.release();
  }
}
