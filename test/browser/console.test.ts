/// <reference lib="dom" />
/**
 * The console in a real browser (Debian's Chromium through playwright-core): the sign-in contract,
 * what each role sees, the agent's look-up of a customer, sign-out, the languages, and axe-core on
 * each screen. Runs against the built console (web/dist, built by `npm install`/`npm run build`).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleDeps, createApp, type App } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { demoToNdjson } from '../../src/demo/generate-demo.ts';
import { buildServer } from '../../src/http/server.ts';
import { consoleBuildDir } from '../../src/http/routes/console.ts';
import { runImport } from '../../src/import/run-import.ts';
import { createConsoleUser } from '../../src/use-cases/console-users.ts';
import { foldName } from '../../src/core/name-words.ts';

const CHROMIUM = '/usr/bin/chromium';
const required = process.env.LUPA_TEST_BROWSER === '1';
const skipReason = existsSync(CHROMIUM) || required ? null : `skipped: no ${CHROMIUM} (apt-get install -y chromium), and LUPA_TEST_BROWSER is not 1`;
const PASSWORD = 'browser test passphrase';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core's serious and critical violations on the page as it stands (WCAG 2.1 A and AA rules). */
async function seriousViolations(page: Page): Promise<string[]> {
  // Evaluated through the debugging protocol, which the console's CSP (script-src 'self') does not govern.
  await page.evaluate(axeSource);
  const result = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, opts: object): Promise<{ violations: { id: string; impact: string | null; nodes: unknown[] }[] }> } }).axe;
    return axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
  });
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.nodes.length})`);
}

(skipReason === null ? describe : describe.skip)(`the console in Chromium${skipReason === null ? '' : ` (${skipReason})`}`, () => {
  let dir: string;
  let app: App;
  let server: FastifyInstance;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    const build = consoleBuildDir();
    if (build === null) throw new Error('the console is not built: run npm run build (web/dist/index.html is missing)');
    dir = mkdtempSync(join(tmpdir(), 'lupa-console-'));
    app = await createApp(loadConfig({ LUPA_DATABASE_URL: `sqlite:${join(dir, 'lupa.db')}`, LUPA_LOG_LEVEL: 'silent', LUPA_PASSWORD_SCRYPT_LOG_N: '14' }));
    await runImport({ database: app.database, settings: app.settings, now: app.now }, { stream: Readable.from(demoToNdjson({ customers: 60, seed: 1 })), format: 'ndjson' });
    for (const role of ['admin', 'agent', 'analyst'] as const) await createConsoleUser(consoleDeps(app), { email: `${role}@lupa.example`, role, password: PASSWORD });
    server = await buildServer(app, { consoleDir: build });
    base = await server.listen({ host: '127.0.0.1', port: 0 });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function signedIn(role: string, locale = 'en-GB'): Promise<Page> {
    const context = await browser.newContext({ locale });
    const page = await context.newPage();
    await page.goto(`${base}/`);
    await page.getByLabel('Email').fill(`${role}@lupa.example`);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('navigation').waitFor();
    return page;
  }

  it('signs in through the fields named Email and Password and the button Sign in, and shows the sections of the role', async () => {
    const admin = await signedIn('admin');
    const nav = admin.getByRole('navigation');
    for (const name of ['Campaigns', 'Audiences', 'Customers']) await expect(nav.getByRole('link', { name }).count()).resolves.toBe(1);
    const analyst = await signedIn('analyst');
    const analystNav = analyst.getByRole('navigation');
    await expect(analystNav.getByRole('link', { name: 'Audiences' }).count()).resolves.toBe(1);
    await expect(analystNav.getByRole('link', { name: 'Customers' }).count()).resolves.toBe(0);
    // Hiding the link is not the protection: the server refuses the analyst's own session.
    const status = await analyst.evaluate(async () => (await fetch('/v1/customers/C0000001')).status);
    expect(status).toBe(403);
  }, 120_000);

  it('refuses a wrong password with a sentence, not a code', async () => {
    const page = await (await browser.newContext({ locale: 'en-GB' })).newPage();
    await page.goto(`${base}/sign-in`);
    await page.getByLabel('Email').fill('agent@lupa.example');
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('The e-mail or the password is wrong');
    expect(await alert.textContent()).not.toContain('SIGN_IN_FAILED');
  }, 60_000);

  it("lets an agent find a customer and see the 'may we?' grid, audited under the agent's user", async () => {
    const page = await signedIn('agent');
    await page.getByRole('navigation').getByRole('link', { name: 'Customers' }).click();
    await page.getByLabel('Search by').selectOption('id');
    await page.getByLabel('Search for').fill('C0000002');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('heading', { name: 'May we?' }).waitFor();
    await page.getByText('SERVICE_MESSAGE').first().waitFor();
    expect(await page.getByRole('row', { name: /service messages/ }).getByText('allowed').count()).toBe(4);
    const agentId = (await app.stores.consoleUsers.userByEmail('agent@lupa.example'))?.id;
    const audit = await app.stores.audit.forCustomer('C0000002' as never);
    expect(audit.some((e) => e.actor === agentId)).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
  }, 120_000);

  it('lets an agent find a customer by surname then first name typed without ä, ö or å, with the hint beside the field', async () => {
    const wanted = await app.stores.customers.getCustomer('C0000004' as never);
    const typed = foldName(wanted?.name ?? '').split(' ').reverse().join(' ');
    const page = await signedIn('agent');
    await page.getByRole('navigation').getByRole('link', { name: 'Customers' }).click();
    await page.getByText('Any words of the name in any order').waitFor();
    await page.getByLabel('Search for').fill(typed);
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('link', { name: 'C0000004' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
  }, 120_000);

  it('lets an agent record an objection said on the phone: appended with source agent and the note, and the grid changes', async () => {
    const page = await signedIn('agent');
    await page.goto(`${base}/customers/C0000003`);
    await page.getByRole('heading', { name: 'May we?' }).waitFor();
    const marketingRow = page.getByRole('row', { name: /^marketing/ });
    await marketingRow.getByText('SERVICE_MESSAGE').or(marketingRow.getByText(/CONSENT_GRANTED|SOFT_OPT_IN|OPT_OUT_REGIME|NO_LEGAL_BASIS|BUSINESS_CUSTOMER/)).first().waitFor();
    // Nothing chosen and no note: nothing can be appended by a stray click.
    expect(await page.getByRole('button', { name: 'Record' }).isDisabled()).toBe(true);
    await page.getByLabel('What the customer said').selectOption('objectMarketing');
    await page.getByLabel(/^Note/).fill('Said on the phone 30.11. not to send any marketing');
    await page.getByRole('button', { name: 'Record' }).click();
    await page.getByRole('status').waitFor();
    await marketingRow.getByText(/OBJECTED/).first().waitFor();
    expect(await marketingRow.getByText('allowed', { exact: true }).count()).toBe(0);
    const ledger = await app.stores.ledger.historyOf('C0000003' as never);
    const last = ledger.at(-1);
    expect(last).toMatchObject({ kind: 'objection', scope: 'direct_marketing', source: 'agent', evidenceRef: 'Said on the phone 30.11. not to send any marketing' });
    expect(await seriousViolations(page)).toEqual([]);
  }, 120_000);

  it('signs out on the server: the page returns to sign-in and the old cookie opens nothing', async () => {
    const page = await signedIn('admin');
    const cookie = (await page.context().cookies()).find((c) => c.name === 'lupa_session');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    const res = await fetch(`${base}/v1/session`, { headers: { cookie: `lupa_session=${cookie?.value ?? ''}` } });
    expect(res.status).toBe(401);
  }, 60_000);

  it('speaks Finnish to a Finnish browser, and remembers a chosen language', async () => {
    const page = await (await browser.newContext({ locale: 'fi-FI' })).newPage();
    await page.goto(`${base}/sign-in`);
    await page.getByLabel('Sähköposti').waitFor();
    expect(await page.getByRole('button', { name: 'Kirjaudu' }).count()).toBe(1);
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('fi');
    await page.getByLabel('Kieli').selectOption('sv');
    await page.reload();
    await page.getByLabel('E-post').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
  }, 60_000);

  it('passes axe-core on the sign-in page and the audience explorer, also at 320 px without sideways scrolling', async () => {
    const page = await signedIn('admin');
    await page.goto(`${base}/audiences?purpose=marketing&channel=email`);
    await page.getByText('Allowed by legal basis', { exact: true }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 320, height: 640 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    // Wide tables scroll in their own box, not the page (a customer's grid and the campaign list).
    for (const url of ['/customers/C0000005', '/campaigns']) {
      await page.goto(`${base}${url}`);
      await page.getByRole('heading', { level: 1 }).waitFor();
      await page.waitForLoadState('networkidle');
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), url).toBe(true);
      expect(await seriousViolations(page), url).toEqual([]);
    }
    const signIn = await (await browser.newContext({ locale: 'en-GB', viewport: { width: 320, height: 640 } })).newPage();
    await signIn.goto(`${base}/sign-in`);
    await signIn.getByLabel('Email').waitFor();
    expect(await seriousViolations(signIn)).toEqual([]);
    expect(await signIn.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
  }, 120_000);
});
