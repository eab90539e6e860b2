import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, expect, it, vi } from 'vitest';
import { SAFETY_NET_PAGES, startWalCheckpointer } from './wal-checkpointer.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function walDatabase(): { sqlite: BetterSqlite3.Database; path: string } {
  const dir = mkdtempSync(join(tmpdir(), 'lupa-wal-'));
  dirs.push(dir);
  const path = join(dir, 'lupa.db');
  const sqlite = new BetterSqlite3(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('wal_autocheckpoint = 100');
  sqlite.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, text TEXT NOT NULL)');
  return { sqlite, path };
}

it('copies the log into the database file from its own thread, with the serving connection checkpointing only past the safety net', async () => {
  const { sqlite, path } = walDatabase();
  const checkpointer = startWalCheckpointer(sqlite, path, { intervalMs: 20 });
  expect(sqlite.pragma('wal_autocheckpoint', { simple: true })).toBe(SAFETY_NET_PAGES);
  const before = statSync(path).size;
  // About 2 MiB in 20 commits: far below the safety net, so this connection checkpoints none of it.
  const insert = sqlite.prepare('INSERT INTO t (text) VALUES (?)');
  for (let commit = 0; commit < 20; commit++) sqlite.transaction(() => { for (let i = 0; i < 100; i++) insert.run('x'.repeat(1000)); })();
  expect(statSync(path).size).toBe(before);
  // The thread's checkpoint grows the database file by the pages it copies.
  await vi.waitFor(() => expect(statSync(path).size).toBeGreaterThan(before + 1_000_000), { timeout: 20_000, interval: 20 });
  await checkpointer.close();
  expect(sqlite.pragma('wal_autocheckpoint', { simple: true })).toBe(100);
  expect(sqlite.prepare('SELECT COUNT(*) FROM t').pluck().get()).toBe(2000);
  sqlite.close();
});

it('reports a checkpoint it could not run, and closes even when its thread has ended', async () => {
  const { sqlite, path } = walDatabase();
  const errors: string[] = [];
  const checkpointer = startWalCheckpointer(sqlite, join(path, 'not-a-file'), { intervalMs: 20, onError: (m) => errors.push(m) });
  await vi.waitFor(() => expect(errors.length).toBeGreaterThan(0), { timeout: 20_000, interval: 20 });
  await checkpointer.close();
  expect(sqlite.pragma('wal_autocheckpoint', { simple: true })).toBe(100);
  sqlite.close();
});

it('finishes closing in a process that has nothing else to do (the thread is waited for, not left to end it)', async () => {
  const { sqlite, path } = walDatabase();
  sqlite.close();
  const fixture = fileURLToPath(new URL('../../test/fixtures/wal-checkpointer-close.ts', import.meta.url));
  const result = await new Promise<{ code: number; stdout: string }>((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', fixture, path], (err, stdout) => resolve({ code: err === null ? 0 : Number(err.code), stdout }));
  });
  expect(result).toEqual({ code: 0, stdout: 'closed\n' });
});
