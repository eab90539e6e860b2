/**
 * A console suite's whole setting (the pieces are in support.ts): a demo store with one console user
 * per role, the server with the built console, Chromium, and a signed-in page per role.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM, docsScreenshot, PASSWORD, SKIP_REASON, seriousViolations, signIn } from './support.ts';
import { consoleDeps, createApp, type App } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { ROLES } from '../../src/core/access.ts';
import type { MessageSender } from '../../src/core/email-message.ts';
import { demoToNdjson } from '../../src/demo/generate-demo.ts';
import { buildServer } from '../../src/http/server.ts';
import { consoleBuildDir } from '../../src/http/routes/console.ts';
import { runImport } from '../../src/import/run-import.ts';
import { createConsoleUser } from '../../src/use-cases/console-users.ts';

/** Null when the browser suites run; otherwise why they are skipped (CI sets LUPA_TEST_BROWSER=1: never skipped). */
export const browserSkipReason = SKIP_REASON;
export { docsScreenshot, seriousViolations };

export interface ConsoleHarness {
  app: App;
  base: string;
  browser: Browser;
  /** A new browser context signed in as `<role>@lupa.example`, at the first screen. */
  signedIn(role: string, locale?: string): Promise<Page>;
  close(): Promise<void>;
}

/**
 * A demo store of `customers` (SQLite in a temporary folder), a user per role, the server (with
 * `mailer` for the mail it sends, and `env` added to its settings, e.g. an ad platform's) and Chromium.
 */
export async function startConsole(opts: { customers: number; mailer?: (app: App) => MessageSender; env?: Record<string, string> }): Promise<ConsoleHarness> {
  const build = consoleBuildDir();
  if (build === null) throw new Error('the console is not built: run npm run build (web/dist/index.html is missing)');
  const dir = mkdtempSync(join(tmpdir(), 'lupa-console-'));
  const app = await createApp(loadConfig({ LUPA_DATABASE_URL: `sqlite:${join(dir, 'lupa.db')}`, LUPA_LOG_LEVEL: 'silent', LUPA_PASSWORD_SCRYPT_LOG_N: '14', ...opts.env }));
  await runImport({ database: app.database, settings: app.settings, now: app.now }, { stream: Readable.from(demoToNdjson({ customers: opts.customers, seed: 1 })), format: 'ndjson' });
  for (const role of ROLES) await createConsoleUser(consoleDeps(app), { email: `${role}@lupa.example`, role, password: PASSWORD });
  const server: FastifyInstance = await buildServer(app, { consoleDir: build, ...(opts.mailer === undefined ? {} : { mailer: opts.mailer(app) }) });
  const base = await server.listen({ host: '127.0.0.1', port: 0 });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  return {
    app,
    base,
    browser,
    signedIn: (role, locale) => signIn(browser, base, role, locale),
    async close() {
      await browser.close();
      await server.close();
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
