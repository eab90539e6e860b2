/// <reference lib="dom" />
/**
 * What every console browser suite needs: Debian's Chromium (or a skip reason when it is absent and
 * not required), a demo store with one console user per role, the server with the built console, a
 * signed-in page per role, and axe-core's serious and critical violations on a page.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type Page } from 'playwright-core';
import { consoleDeps, createApp, type App } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { ROLES } from '../../src/core/access.ts';
import { demoToNdjson } from '../../src/demo/generate-demo.ts';
import { buildServer } from '../../src/http/server.ts';
import { consoleBuildDir } from '../../src/http/routes/console.ts';
import { runImport } from '../../src/import/run-import.ts';
import { createConsoleUser } from '../../src/use-cases/console-users.ts';

const CHROMIUM = '/usr/bin/chromium';
export const PASSWORD = 'browser test passphrase';

/** Null when the browser suites run; otherwise why they are skipped (CI sets LUPA_TEST_BROWSER=1: never skipped). */
export const browserSkipReason =
  existsSync(CHROMIUM) || process.env.LUPA_TEST_BROWSER === '1' ? null : `skipped: no ${CHROMIUM} (apt-get install -y chromium), and LUPA_TEST_BROWSER is not 1`;

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core's serious and critical violations on the page as it stands (WCAG 2.1 A and AA rules). */
export async function seriousViolations(page: Page): Promise<string[]> {
  // Evaluated through the debugging protocol, which the console's CSP (script-src 'self') does not govern.
  await page.evaluate(axeSource);
  const result = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, opts: object): Promise<{ violations: { id: string; impact: string | null; nodes: unknown[] }[] }> } }).axe;
    return axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
  });
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.nodes.length})`);
}

export interface ConsoleHarness {
  app: App;
  base: string;
  browser: Browser;
  /** A new browser context signed in as `<role>@lupa.example`, at the first screen. */
  signedIn(role: string, locale?: string): Promise<Page>;
  close(): Promise<void>;
}

/** A demo store of `customers` (SQLite in a temporary folder), a user per role, the server and Chromium. */
export async function startConsole(opts: { customers: number }): Promise<ConsoleHarness> {
  const build = consoleBuildDir();
  if (build === null) throw new Error('the console is not built: run npm run build (web/dist/index.html is missing)');
  const dir = mkdtempSync(join(tmpdir(), 'lupa-console-'));
  const app = await createApp(loadConfig({ LUPA_DATABASE_URL: `sqlite:${join(dir, 'lupa.db')}`, LUPA_LOG_LEVEL: 'silent', LUPA_PASSWORD_SCRYPT_LOG_N: '14' }));
  await runImport({ database: app.database, settings: app.settings, now: app.now }, { stream: Readable.from(demoToNdjson({ customers: opts.customers, seed: 1 })), format: 'ndjson' });
  for (const role of ROLES) await createConsoleUser(consoleDeps(app), { email: `${role}@lupa.example`, role, password: PASSWORD });
  const server: FastifyInstance = await buildServer(app, { consoleDir: build });
  const base = await server.listen({ host: '127.0.0.1', port: 0 });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  return {
    app,
    base,
    browser,
    async signedIn(role, locale = 'en-GB') {
      const page = await (await browser.newContext({ locale })).newPage();
      await page.goto(`${base}/`);
      await page.getByLabel('Email').fill(`${role}@lupa.example`);
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('navigation').waitFor();
      return page;
    },
    async close() {
      await browser.close();
      await server.close();
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
