import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, expect, it } from 'vitest';
import { writerWaitingOnTimers } from './sqlite-lock-wait.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function twoConnections(): { serving: BetterSqlite3.Database; other: BetterSqlite3.Database } {
  const dir = mkdtempSync(join(tmpdir(), 'lupa-lock-'));
  dirs.push(dir);
  const serving = new BetterSqlite3(join(dir, 'lupa.db'));
  serving.pragma('journal_mode = WAL');
  serving.pragma('busy_timeout = 5000');
  serving.exec('CREATE TABLE t (n INTEGER NOT NULL)');
  return { serving, other: new BetterSqlite3(join(dir, 'lupa.db')) };
}

it("waits for another connection's lock on timers, and writes once it is free", async () => {
  const { serving, other } = twoConnections();
  const insert = serving.prepare('INSERT INTO t (n) VALUES (?)');
  const write = writerWaitingOnTimers(serving, serving.transaction((n: number) => void insert.run(n)));
  other.exec('BEGIN IMMEDIATE');
  let done = false;
  const writing = write(1).then(() => (done = true));
  let ticks = 0;
  // Timers keep firing while the write waits: the event loop is free (SQLite's own handler would sleep in it).
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setTimeout(resolve, 5)).then(() => ticks++);
  expect({ ticks, done }).toEqual({ ticks: 5, done: false });
  other.exec('COMMIT');
  await writing;
  expect(serving.prepare('SELECT n FROM t').pluck().all()).toEqual([1]);
  expect(serving.pragma('busy_timeout', { simple: true })).toBe(5000);
  other.close();
  serving.close();
});

it('rolls back and reports what the transaction throws, and runs inside an open transaction at once', async () => {
  const { serving, other } = twoConnections();
  const insert = serving.prepare('INSERT INTO t (n) VALUES (?)');
  const write = writerWaitingOnTimers(
    serving,
    serving.transaction((n: number) => {
      insert.run(n);
      if (n < 0) throw new Error('negative');
    }),
  );
  await expect(write(-1)).rejects.toThrow('negative');
  serving.exec('BEGIN');
  await write(2);
  serving.exec('COMMIT');
  expect(serving.prepare('SELECT n FROM t').pluck().all()).toEqual([2]);
  other.close();
  serving.close();
});
