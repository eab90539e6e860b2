/**
 * For the tests of what runs on the company's sites (lupa.js, its demo page, ad slots): a fresh
 * SQLite store, Lupa's server on a free port without the console, and Chromium.
 */
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser } from 'playwright-core';
import { createApp, type App } from '../../src/composition-root.ts';
import { loadConfig } from '../../src/config.ts';
import { buildServer } from '../../src/http/server.ts';
import { freshStore } from '../support/stores.ts';
import { CHROMIUM } from './support.ts';

export interface SiteHarness {
  app: App;
  browser: Browser;
  /** The server's address, e.g. http://127.0.0.1:40123 */
  base: string;
  close(): Promise<void>;
}

/** `env` is added to the configuration; `seed` runs on the app before the server starts. */
export async function startSiteHarness(env: Record<string, string> = {}, seed?: (app: App) => Promise<void>): Promise<SiteHarness> {
  const store = await freshStore('sqlite');
  const app = await createApp(loadConfig({ LUPA_DATABASE_URL: store.url, LUPA_LOG_LEVEL: 'silent', ...env }));
  await seed?.(app);
  const server: FastifyInstance = await buildServer(app, { consoleDir: null });
  await server.listen({ port: 0, host: '127.0.0.1' });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  return {
    app,
    browser,
    base: `http://127.0.0.1:${(server.server.address() as AddressInfo).port}`,
    async close() {
      await browser.close();
      await server.close();
      await app.close();
      await store.drop();
    },
  };
}
