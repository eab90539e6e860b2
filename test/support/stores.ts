/**
 * Runs a suite on every store: SQLite always, PostgreSQL when LUPA_TEST_POSTGRES_URL is set
 * (CI sets it, so there the PostgreSQL suites fail, never skip, when the server is unreachable).
 * Each suite gets a fresh database: a temporary SQLite file, or a new PostgreSQL schema.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe } from 'vitest';
import { createApp, type App } from '../../src/composition-root.ts';
import { loadConfig } from '../../src/config.ts';
import type { Instant } from '../../src/core/records.ts';

export const POSTGRES_URL = process.env.LUPA_TEST_POSTGRES_URL;

export type StoreKind = 'sqlite' | 'postgres';

export interface TestStore {
  kind: StoreKind;
  url: string;
  drop(): Promise<void>;
}

let counter = 0;

export async function freshStore(kind: StoreKind): Promise<TestStore> {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'lupa-test-'));
    return { kind, url: `sqlite:${join(dir, 'lupa.db')}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  if (POSTGRES_URL === undefined) throw new Error('LUPA_TEST_POSTGRES_URL is not set');
  const schema = `t_${process.pid}_${Date.now().toString(36)}_${counter++}`;
  const sep = POSTGRES_URL.includes('?') ? '&' : '?';
  return {
    kind,
    url: `${POSTGRES_URL}${sep}schema=${schema}`,
    drop: async () => {
      const client = new pg.Client({ connectionString: POSTGRES_URL });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await client.end();
    },
  };
}

/** The stores the suites run on here: SQLite, and PostgreSQL when LUPA_TEST_POSTGRES_URL is set. */
export const STORE_KINDS: StoreKind[] = POSTGRES_URL === undefined ? ['sqlite'] : ['sqlite', 'postgres'];

/** Why the PostgreSQL suites are skipped, or null when they run. */
export const POSTGRES_SKIP_REASON = POSTGRES_URL === undefined ? 'skipped: set LUPA_TEST_POSTGRES_URL to run on PostgreSQL' : null;

/**
 * `describe` for a suite on `kind`, titled `name [kind]`. A PostgreSQL suite without
 * LUPA_TEST_POSTGRES_URL is reported as skipped, with the reason in its title, rather than left out
 * (a file that defined no test at all would fail the run).
 */
export function describeOnStore(kind: StoreKind, name: string, body: () => void): void {
  if (kind === 'postgres' && POSTGRES_SKIP_REASON !== null) describe.skip(`${name} [postgres] (${POSTGRES_SKIP_REASON})`, body);
  else describe(`${name} [${kind}]`, body);
}

/** describe() once per store kind, with a fresh App (migrated) available through `ctx.app`. */
export function describeEachStore(
  name: string,
  body: (ctx: { readonly app: App; readonly store: TestStore }) => void,
  opts: { now?: () => Instant; env?: Record<string, string> } = {},
): void {
  for (const kind of ['sqlite', 'postgres'] as const) {
    describeOnStore(kind, name, () => {
      let app: App | undefined;
      let store: TestStore | undefined;
      beforeAll(async () => {
        store = await freshStore(kind);
        app = await createApp(loadConfig({ LUPA_DATABASE_URL: store.url, LUPA_LOG_LEVEL: 'silent', ...opts.env }), opts.now);
      });
      afterAll(async () => {
        await app?.close();
        await store?.drop();
      });
      body({
        get app() {
          if (app === undefined) throw new Error('app not ready');
          return app;
        },
        get store() {
          if (store === undefined) throw new Error('store not ready');
          return store;
        },
      });
    });
  }
}

/** describe() once per store kind with a fresh, empty store for the suite (for suites that run `lupa` processes on it). */
export function describeEachStoreUrl(name: string, body: (store: () => TestStore) => void): void {
  for (const kind of ['sqlite', 'postgres'] as const) {
    describeOnStore(kind, name, () => {
      let store: TestStore | undefined;
      beforeAll(async () => {
        store = await freshStore(kind);
      });
      afterAll(async () => {
        await store?.drop();
      });
      body(() => {
        if (store === undefined) throw new Error('store not ready');
        return store;
      });
    });
  }
}

/** Two apps on one fresh store: a server, and another process on the same store (the CLI, a worker). */
export interface TwoApps {
  store: TestStore;
  server: App;
  other: App;
  close(): Promise<void>;
}

export function twoAppsOnOneSqliteFile(): Promise<TwoApps> {
  return twoAppsOnOneStore('sqlite');
}

export async function twoAppsOnOneStore(kind: StoreKind): Promise<TwoApps> {
  const store = await freshStore(kind);
  const config = loadConfig({ LUPA_DATABASE_URL: store.url, LUPA_LOG_LEVEL: 'silent' });
  const server = await createApp(config);
  const other = await createApp(config);
  return {
    store,
    server,
    other,
    async close() {
      await server.close();
      await other.close();
      await store.drop();
    },
  };
}
