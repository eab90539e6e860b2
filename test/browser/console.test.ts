/// <reference lib="dom" />
/**
 * The console in a real browser (Debian's Chromium through playwright-core): the sign-in contract,
 * what each role sees, the agent's look-up of a customer, sign-out, the languages, and axe-core on
 * each screen. Runs against the built console (web/dist, built by `npm install`/`npm run build`).
 */
import { mkdtempSync, rmSync } from 'node:fs';
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
import { CHROMIUM, PASSWORD, SKIP_REASON, seriousViolations, signIn } from './support.ts';

(SKIP_REASON === null ? describe : describe.skip)(`the console in Chromium${SKIP_REASON === null ? '' : ` (${SKIP_REASON})`}`, () => {
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

  const signedIn = (role: string, locale = 'en-GB'): Promise<Page> => signIn(browser, base, role, locale);

  it('signs in through the fields named Email and Password and the button Sign in, and shows the sections of the role', async () => {
    const admin = await signedIn('admin');
    const nav = admin.getByRole('navigation');
    // Exact names: "Audiences" is also part of "Ad audiences".
    for (const name of ['Campaigns', 'Audiences', 'Customers']) await expect(nav.getByRole('link', { name, exact: true }).count()).resolves.toBe(1);
    const analyst = await signedIn('analyst');
    const analystNav = analyst.getByRole('navigation');
    await expect(analystNav.getByRole('link', { name: 'Audiences', exact: true }).count()).resolves.toBe(1);
    await expect(analystNav.getByRole('link', { name: 'Customers' }).count()).resolves.toBe(0);
    // Hiding the link is not the protection: the server refuses the analyst's own session.
    const status = await analyst.evaluate(async () => (await fetch('/v1/customers/C0000001')).status);
    expect(status).toBe(403);
  }, 120_000);

  it('opens the sign-in page without a console error or a failing request: being signed out is not an error', async () => {
    const page = await (await browser.newContext({ locale: 'en-GB' })).newPage();
    const errors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    page.on('pageerror', (err) => errors.push(err.message));
    const failed: string[] = [];
    page.on('response', (res) => {
      if (res.status() >= 400) failed.push(`${res.status()} ${res.url()}`);
    });
    await page.goto(`${base}/`);
    await page.getByLabel('Email').waitFor();
    await page.waitForLoadState('networkidle');
    expect(errors).toEqual([]);
    expect(failed).toEqual([]);
  }, 60_000);

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

  it("lets an agent find a customer and see the 'may we?' grid in one request, in words, audited under the agent's user", async () => {
    const page = await signedIn('agent');
    const verdictRequests: string[] = [];
    page.on('request', (req) => {
      const path = new URL(req.url()).pathname;
      if (path === '/v1/decide' || path.endsWith('/permissions')) verdictRequests.push(path);
    });
    await page.getByRole('navigation').getByRole('link', { name: 'Customers' }).click();
    await page.getByLabel('Search by').selectOption('id');
    await page.getByLabel('Search for').fill('C0000002');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('heading', { name: 'May we?' }).waitFor();
    await page.getByText('Service message', { exact: true }).first().waitFor();
    // The grid fills in as its answer arrives: wait for all four cells rather than count at once.
    await expect.poll(() => page.getByRole('row', { name: /service messages/ }).getByText('allowed').count()).toBe(4);
    expect(verdictRequests).toEqual(['/v1/customers/C0000002/permissions']);
    // No code is shown raw: not a reason, a basis, a kind or a state.
    const text = (await page.locator('main').textContent()) ?? '';
    expect(text).not.toMatch(/\b[A-Z]+_[A-Z_]+\b/);
    expect(text).not.toMatch(/\b(person|business|soft_opt_in|field_sale)\b/);
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
    await marketingRow.getByText(/^(allowed|not allowed)$/).first().waitFor();
    // Nothing chosen and no note: nothing can be appended by a stray click.
    expect(await page.getByRole('button', { name: 'Record', exact: true }).isDisabled()).toBe(true);
    await page.getByLabel('What the customer said').selectOption('objectMarketing');
    await page.getByLabel(/^Note/).fill('Said on the phone 30.11. not to send any marketing');
    await page.getByRole('button', { name: 'Record', exact: true }).click();
    // Focus moves to the status message, which says what was recorded, in words.
    const status = page.getByRole('status').filter({ hasText: 'Recorded' });
    await status.waitFor();
    expect(await status.textContent()).toContain('Recorded: Objected to direct marketing.');
    expect(await status.evaluate((el) => el === document.activeElement || el.contains(document.activeElement))).toBe(true);
    await page.getByRole('list', { name: 'Consents and objections' }).getByText('Objected to direct marketing').first().waitFor();
    await marketingRow.getByText('Objected to direct marketing').first().waitFor();
    expect(await marketingRow.getByText('allowed', { exact: true }).count()).toBe(0);
    const ledger = await app.stores.ledger.historyOf('C0000003' as never);
    const last = ledger.at(-1);
    expect(last).toMatchObject({ kind: 'objection', scope: 'direct_marketing', source: 'agent', evidenceRef: 'Said on the phone 30.11. not to send any marketing' });
    expect(await seriousViolations(page)).toEqual([]);
    // "No more surveys": a research withdrawal on every channel (rule 11), as the survey e-mails promise.
    await page.getByLabel('What the customer said').selectOption('noSurveys');
    await page.getByLabel(/^Note/).fill('Replied to the CSAT mail: no more surveys');
    await page.getByRole('button', { name: 'Record', exact: true }).click();
    await expect.poll(async () => (await app.stores.ledger.historyOf('C0000003' as never)).at(-1)).toMatchObject({ kind: 'consent', purpose: 'research', channel: null, value: 'withdrawn', source: 'agent' });
    // The same line as a sentence in Finnish and Swedish.
    await page.getByLabel('Language').selectOption('fi');
    await page.getByRole('list', { name: 'Suostumukset ja vastustukset' }).getByText('Vastusti suoramarkkinointia').first().waitFor();
    await page.getByLabel('Kieli').selectOption('sv');
    await page.getByRole('list', { name: 'Samtycken och invändningar' }).getByText('Invände mot direktmarknadsföring').first().waitFor();
  }, 120_000);

  it("reads the customer's page again after an objection to profiling is recorded: the history shows it without a reload", async () => {
    const page = await signedIn('agent');
    await page.goto(`${base}/customers/C0000005`);
    const history = page.locator('section[aria-labelledby="history-title"]');
    await history.getByRole('heading', { name: 'History' }).waitFor();
    await page.getByLabel('What the customer said').selectOption('objectProfiling');
    await page.getByLabel(/^Note/).fill('Asked on the phone not to be profiled');
    await page.getByRole('button', { name: 'Record', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'Recorded' }).waitFor();
    // Without a reload: the history was the one read before the record.
    await history.getByText('Objected to profiling').first().waitFor({ timeout: 10_000 });
  }, 120_000);

  it('signs out on the server: the page returns to sign-in and the old cookie opens nothing', async () => {
    const page = await signedIn('admin');
    const cookie = (await page.context().cookies()).find((c) => c.name === 'lupa_session');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    const res = await fetch(`${base}/v1/session`, { headers: { cookie: `lupa_session=${cookie?.value ?? ''}` } });
    expect(await res.json()).toEqual({ signedIn: false });
    expect((await fetch(`${base}/v1/customers/C0000001`, { headers: { cookie: `lupa_session=${cookie?.value ?? ''}` } })).status).toBe(401);
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
