/** Applies the numbered SQL migrations of the store's dialect that have not run yet. Migrations are frozen once merged. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Database } from './database.ts';

const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));

export async function migrate(database: Database): Promise<string[]> {
  const dir = join(MIGRATIONS_DIR, database.dialect);
  const files = readdirSync(dir).filter((f) => f.endsWith('.sql')).sort();
  const applied: string[] = [];
  if (database.dialect === 'sqlite') {
    const sqlite = database.sqlite;
    sqlite.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version TEXT PRIMARY KEY, applied_at TEXT NOT NULL)');
    const done = new Set(sqlite.prepare('SELECT version FROM schema_migrations').pluck().all() as string[]);
    for (const file of files) {
      if (done.has(file)) continue;
      const sql = readFileSync(join(dir, file), 'utf8');
      sqlite.transaction(() => {
        sqlite.exec(sql);
        sqlite.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)').run(file, new Date().toISOString());
      })();
      applied.push(file);
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
    for (const file of files) {
      if (done.has(file)) continue;
      const sql = readFileSync(join(dir, file), 'utf8');
      await client.query('BEGIN');
      try {
        await client.query(sql);
        await client.query('INSERT INTO schema_migrations (version, applied_at) VALUES ($1, now())', [file]);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK');
        throw err;
      }
      applied.push(file);
    }
    return applied;
  } finally {
    await client.query('SELECT pg_advisory_unlock(hashtext($1))', [`lupa-migrate:${database.schema ?? 'public'}`]).catch(() => undefined);
    client.release();
  }
}
