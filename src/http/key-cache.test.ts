/**
 * API keys kept in memory for LUPA_KEY_CACHE_SECONDS: a key revoked by another process (the CLI,
 * another server) is refused once that bound has passed, and not before; revoked through the server's
 * own store, at once. The clock is the app's, injected: no test waits for real seconds.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createApp, type App } from '../composition-root.ts';
import { loadConfig } from '../config.ts';
import type { Instant } from '../core/records.ts';
import { toInstant } from '../core/time.ts';
import { createApiKey, revokeApiKey } from '../use-cases/api-keys.ts';
import { describeOnStore, freshStore, type TestStore } from '../../test/support/stores.ts';
import { buildServer } from './server.ts';

for (const kind of ['sqlite', 'postgres'] as const) {
  describeOnStore(kind, 'the API-key cache', () => {
    let store: TestStore;
    /** Stands for another process on the same database: the `lupa keys revoke` command. */
    let cli: App;
    let clock = Date.parse('2026-03-02T08:00:00.000Z');
    const now = (): Instant => toInstant(clock);

    beforeAll(async () => {
      store = await freshStore(kind);
      cli = await createApp(loadConfig({ LUPA_DATABASE_URL: store.url, LUPA_LOG_LEVEL: 'silent' }), now);
    });
    afterAll(async () => {
      await cli.close();
      await store.drop();
    });

    /** Runs `body` with a server whose cache has this bound and a key it has seen once (answered 200). */
    async function withServerAndKey(cacheSeconds: string, body: (s: { app: App; id: string; status(): Promise<number> }) => Promise<void>): Promise<void> {
      const app = await createApp(loadConfig({ LUPA_DATABASE_URL: store.url, LUPA_LOG_LEVEL: 'silent', LUPA_KEY_CACHE_SECONDS: cacheSeconds }), now);
      const server = await buildServer(app);
      try {
        const created = await createApiKey({ apiKeys: cli.stores.apiKeys, now }, { name: `cache ${cacheSeconds}`, role: 'analyst' });
        const status = async (): Promise<number> => (await server.inject({ url: '/v1/products', headers: { authorization: `Bearer ${created.key}` } })).statusCode;
        expect(await status()).toBe(200);
        await body({ app, id: created.id, status });
      } finally {
        await server.close();
        await app.close();
      }
    }
    const revokeElsewhere = (id: string): Promise<void> => revokeApiKey({ apiKeys: cli.stores.apiKeys, now }, { id });

    it('refuses a key revoked elsewhere once LUPA_KEY_CACHE_SECONDS have passed since it was last read, not before', () =>
      withServerAndKey('30', async (s) => {
        const readAt = clock;
        await revokeElsewhere(s.id);
        clock = readAt + 29_999;
        expect(await s.status()).toBe(200);
        clock = readAt + 30_000;
        expect(await s.status()).toBe(401);
      }));

    it('with LUPA_KEY_CACHE_SECONDS=0, refuses a key revoked elsewhere at once', () =>
      withServerAndKey('0', async (s) => {
        await revokeElsewhere(s.id);
        expect(await s.status()).toBe(401);
      }));

    it('refuses a key revoked through the server’s own store at once, whatever the bound', () =>
      withServerAndKey('300', async (s) => {
        await revokeApiKey({ apiKeys: s.app.stores.apiKeys, now }, { id: s.id });
        expect(await s.status()).toBe(401);
      }));

    it('refuses a bound out of range, naming the variable', () => {
      expect(() => loadConfig({ LUPA_KEY_CACHE_SECONDS: '301' })).toThrow(/LUPA_KEY_CACHE_SECONDS/);
    });
  });
}
