/**
 * A transaction on the app's SQLite connection that reads and then writes must not fail because
 * another connection (the audit journal's folding thread, the site events' writer, the CLI)
 * committed in between: it holds the write lock from its BEGIN.
 */
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createApp, type App } from '../composition-root.ts';
import { loadConfig } from '../config.ts';
import { freshStore, type TestStore } from '../../test/support/stores.ts';

let store: TestStore;
let app: App;
beforeAll(async () => {
  store = await freshStore('sqlite');
  app = await createApp(loadConfig({ LUPA_DATABASE_URL: store.url, LUPA_LOG_LEVEL: 'silent' }));
});
afterAll(async () => {
  await app.close();
  await store.drop();
});

it('reads and then writes in one transaction while another connection tries to write between the two', async () => {
  const other = new BetterSqlite3(store.url.slice('sqlite:'.length));
  other.pragma('busy_timeout = 0');
  try {
    await app.database.db.transaction().execute(async (trx) => {
      expect(await trx.selectFrom('products').selectAll().execute()).toEqual([]);
      // The other connection finds the lock taken (had it written, this transaction's write below
      // would fail at once with SQLITE_BUSY_SNAPSHOT: its read saw the database before that commit).
      expect(() => other.prepare("INSERT INTO products (sku, name, brand, category) VALUES ('X1', 'X', NULL, 'daily')").run()).toThrow(/locked/);
      await trx.insertInto('products').values({ sku: 'P1', name: 'Lehti', brand: null, category: 'daily' }).execute();
    });
    expect(other.prepare('SELECT sku FROM products').pluck().all()).toEqual(['P1']);
  } finally {
    other.close();
  }
});
