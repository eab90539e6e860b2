/**
 * On SQLite audit entries are committed to a journal without secondary indexes and folded into
 * audit_log in bulk (decision 0032). Whatever the journal still holds, every read of the log sees
 * every entry committed before it, in one id order, whichever process wrote it.
 */
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../composition-root.ts';
import { loadConfig } from '../config.ts';
import type { AuditEntry } from '../core/ports.ts';
import type { CustomerId, Instant } from '../core/records.ts';
import { twoAppsOnOneSqliteFile, type TestStore, type TwoApps } from '../../test/support/stores.ts';

const AT = '2025-03-01T10:00:00.000Z' as Instant;
const entry = (customerId: string, n: number): AuditEntry => ({ at: AT, actor: `key-${n}`, role: 'agent', action: 'customers.read', customerId, detail: { n } });

describe('audit journal [sqlite]', () => {
  let store: TestStore;
  /** The server, writing entries. */
  let server: App;
  /** Another process on the same file (the CLI, a worker). */
  let other: App;

  const rows = (app: App, table: 'audit_log' | 'audit_journal'): number => {
    if (app.database.dialect !== 'sqlite') throw new Error('sqlite only');
    return app.database.sqlite.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
  };

  let apps: TwoApps;
  beforeAll(async () => {
    apps = await twoAppsOnOneSqliteFile();
    ({ store, server, other } = apps);
  });
  afterAll(() => apps.close());

  it('commits entries to the journal, and a read by another process sees them all, in order', async () => {
    await Promise.all([1, 2, 3].map((n) => server.stores.audit.record(entry('J1', n))));
    // Committed, not yet folded: the journal holds them, audit_log does not.
    expect(rows(server, 'audit_journal')).toBe(3);
    expect(rows(server, 'audit_log')).toBe(0);
    const trail = await other.stores.audit.forCustomer('J1' as CustomerId);
    expect(trail.map((e) => e.detail)).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
    expect(rows(server, 'audit_journal')).toBe(0);
  });

  it('keeps one id order across entries already folded and entries still in the journal', async () => {
    await server.stores.audit.record(entry('J2', 10));
    await other.stores.audit.forCustomer('J2' as CustomerId); // folds
    await server.stores.audit.record(entry('J2', 11));
    expect(rows(server, 'audit_journal')).toBe(1);
    const page = await other.stores.registerReads.auditEntries({ customerId: 'J2' as CustomerId }, { limit: 10, after: null });
    expect(page.map((e) => e.detail)).toEqual([{ n: 11 }, { n: 10 }]);
    expect(page[0]!.id).toBeGreaterThan(page[1]!.id);
    // Newest first across all customers, too: the entry of J2 just written is the newest of all.
    const newest = await server.stores.registerReads.auditEntries({}, { limit: 1, after: null });
    expect(newest[0]!.detail).toEqual({ n: 11 });
  });

  it('folds in the background while entries arrive, and leaves nothing in the journal on close', async () => {
    for (let n = 20; n < 30; n++) await server.stores.audit.record(entry('J3', n));
    await expect.poll(() => rows(server, 'audit_journal'), { timeout: 20_000, interval: 50 }).toBe(0);
    const config = loadConfig({ LUPA_DATABASE_URL: store.url, LUPA_LOG_LEVEL: 'silent' });
    const cli = await createApp(config);
    await cli.stores.audit.record(entry('J4', 40));
    expect(rows(cli, 'audit_journal')).toBe(1);
    await cli.close();
    expect(rows(server, 'audit_journal')).toBe(0);
    expect((await server.stores.audit.forCustomer('J4' as CustomerId)).map((e) => e.detail)).toEqual([{ n: 40 }]);
  });

  it('refuses to change a journal entry, as it does for the log', async () => {
    await server.stores.audit.record(entry('J5', 50));
    const database = server.database;
    if (database.dialect !== 'sqlite') throw new Error('sqlite only');
    expect(() => database.sqlite.exec("UPDATE audit_journal SET actor = 'someone else'")).toThrow(/AUDIT_APPEND_ONLY/);
  });

  it('waits for another writer\'s lock without holding up the event loop', async () => {
    const path = store.url.slice('sqlite:'.length);
    const holder = new BetterSqlite3(path);
    try {
      holder.exec('BEGIN IMMEDIATE');
      let written = false;
      const recording = server.stores.audit.record(entry('J6', 60)).then(() => (written = true));
      // Timers still run while the entry waits: the event loop is free.
      await new Promise((resolve) => setTimeout(resolve, 30));
      expect(written).toBe(false);
      holder.exec('COMMIT');
      await recording;
      // The connection's own wait for locks is as configured again for every other write.
      const database = server.database;
      if (database.dialect !== 'sqlite') throw new Error('sqlite only');
      expect(database.sqlite.pragma('busy_timeout', { simple: true })).toBe(5000);
      expect((await server.stores.audit.forCustomer('J6' as CustomerId)).map((e) => e.detail)).toEqual([{ n: 60 }]);
    } finally {
      holder.close();
    }
  });

  it("reads the log while another connection holds the write lock: at once with an empty journal, else waiting on timers", async () => {
    await other.stores.audit.forCustomer('J8' as CustomerId); // the journal folded: empty
    const holder = new BetterSqlite3(store.url.slice('sqlite:'.length));
    try {
      holder.exec('BEGIN IMMEDIATE');
      // Nothing to fold: the read takes no lock and answers while the lock is held.
      expect(await server.stores.audit.forCustomer('J8' as CustomerId)).toEqual([]);
      holder.exec("INSERT INTO audit_journal (at, actor, role, action, customer_id, detail) VALUES ('2025-03-01T10:00:00.000Z', 'key-80', 'agent', 'customers.read', 'J8', '{\"n\":80}')");
      holder.exec('COMMIT');
      holder.exec('BEGIN IMMEDIATE');
      let read = false;
      const reading = server.stores.registerReads.auditEntries({ customerId: 'J8' as CustomerId }, { limit: 10, after: null }).then((rows) => ((read = true), rows));
      let ticks = 0;
      // Timers keep firing while the read waits for the lock to fold the entry: the event loop is free.
      for (let i = 0; i < 5; i++) await new Promise((resolve) => setTimeout(resolve, 5)).then(() => ticks++);
      expect({ ticks, read }).toEqual({ ticks: 5, read: false });
      holder.exec('COMMIT');
      expect((await reading).map((e) => e.detail)).toEqual([{ n: 80 }]);
    } finally {
      if (holder.inTransaction) holder.exec('ROLLBACK');
      holder.close();
    }
  });

  it('is folded by a server\'s checkpoint thread', async () => {
    const config = loadConfig({ LUPA_DATABASE_URL: store.url, LUPA_LOG_LEVEL: 'silent' });
    const served = await createApp(config);
    try {
      if (served.database.dialect !== 'sqlite') throw new Error('sqlite only');
      served.database.checkpointOffThread();
      for (let n = 70; n < 80; n++) await served.stores.audit.record(entry('J7', n));
      await expect.poll(() => rows(other, 'audit_journal'), { timeout: 20_000, interval: 50 }).toBe(0);
      expect(rows(other, 'audit_log')).toBeGreaterThanOrEqual(10);
    } finally {
      await served.close();
    }
  });
});
