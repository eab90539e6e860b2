/// <reference lib="dom" />
/**
 * The suppression list in Chromium (playwright-core, Debian's /usr/bin/chromium): a DPO searches it
 * with the filters in the URL, adds a manual suppression, lifts it with a note, and is refused a
 * hard bounce's lift without one (the sentence at the note field); an agent sees the list without
 * the forms, and the server refuses an agent's change and a marketer's read; axe-core at 1280 and
 * 320 px. Runs against the built console (`npm run build`).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleDeps, createApp, type App } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import type { Instant } from '../../src/core/records.ts';
import { buildServer } from '../../src/http/server.ts';
import { consoleBuildDir } from '../../src/http/routes/console.ts';
import { createConsoleUser } from '../../src/use-cases/console-users.ts';
import { CHROMIUM, docsScreenshot, PASSWORD, SKIP_REASON as skipReason, seriousViolations, signIn } from './support.ts';

async function accessibleAtBothWidths(page: Page): Promise<void> {
  for (const width of [1280, 320]) {
    await page.setViewportSize({ width, height: 900 });
    expect(await seriousViolations(page)).toEqual([]);
  }
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
  await page.setViewportSize({ width: 1280, height: 900 });
}

/** Status of a request made from the signed-in page, with the session's CSRF token. */
async function statusFromPage(page: Page, method: string, url: string, body?: object): Promise<number> {
  return page.evaluate(
    async ([method, url, body]) => {
      const session = (await (await fetch('/v1/session')).json()) as { csrfToken: string };
      const init: RequestInit = { method, headers: { 'content-type': 'application/json', 'x-csrf-token': session.csrfToken } };
      if (body !== null) init.body = JSON.stringify(body);
      return (await fetch(url, init)).status;
    },
    [method, url, body ?? null] as const,
  );
}

(skipReason === null ? describe : describe.skip)(`the suppression list in Chromium${skipReason === null ? '' : ` (${skipReason})`}`, () => {
  let dir: string;
  let app: App;
  let server: FastifyInstance;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    const build = consoleBuildDir();
    if (build === null) throw new Error('the console is not built: run npm run build (web/dist/index.html is missing)');
    dir = mkdtempSync(join(tmpdir(), 'lupa-suppressions-console-'));
    app = await createApp(loadConfig({ LUPA_DATABASE_URL: `sqlite:${join(dir, 'lupa.db')}`, LUPA_LOG_LEVEL: 'silent', LUPA_PASSWORD_SCRYPT_LOG_N: '14' }));
    for (const role of ['dpo', 'agent', 'marketer'] as const) await createConsoleUser(consoleDeps(app), { email: `${role}@lupa.example`, role, password: PASSWORD });
    const at = '2026-10-01T08:00:00.000Z' as Instant;
    await app.stores.suppressions.add({ channel: 'email', address: 'palautui@example.fi', reason: 'hard_bounce', at, validUntil: null, source: 'dsn' });
    await app.stores.suppressions.add({ channel: 'email', address: 'peruttu@example.fi', reason: 'unsubscribe', at, validUntil: null, source: 'unsubscribe_link' });
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

  const signedIn = (role: string): Promise<Page> => signIn(browser, base, role, 'en-GB', 'Europe/Helsinki');

  it('lets a DPO add a manual suppression, find it by the start of its address in the URL, and lift it with a note', async () => {
    const page = await signedIn('dpo');
    await page.getByRole('navigation').getByRole('link', { name: 'Suppressions' }).click();
    await page.getByRole('heading', { level: 1, name: 'Suppressions' }).waitFor();

    await page.getByLabel('Channel', { exact: true }).last().selectOption('email');
    await page.getByRole('textbox', { name: /^Address/ }).last().fill('Kirje.Asiakas@Example.FI');
    await page.getByRole('textbox', { name: /^Why/ }).fill('Asked by letter of 3.11.2026 never to be sent marketing');
    await page.getByRole('button', { name: 'Add suppression' }).click();
    const status = page.getByRole('status').filter({ hasText: 'was added' });
    await status.waitFor();
    expect(await status.textContent()).toMatch(/^Suppression #\d+ was added for kirje\.asiakas@example\.fi\.$/);
    // The status takes the focus, so a keyboard or screen-reader user hears it.
    expect(await page.evaluate(() => document.activeElement?.getAttribute('role'))).toBe('status');

    const search = page.getByRole('search');
    await search.getByLabel('Address', { exact: true }).fill('kirje.');
    await search.getByLabel('State').selectOption('active');
    await search.getByRole('button', { name: 'Apply' }).click();
    await expect.poll(() => new URL(page.url()).search).toBe('?address=kirje.&state=active');
    const row = page.getByRole('row', { name: /kirje\.asiakas@example\.fi.*Added by hand.*dpo@lupa\.example.*Asked by letter/ });
    await row.waitFor();
    // Polled: the filtered list may still be replacing the whole one when the address has the filter.
    await expect.poll(() => page.getByRole('row').count(), { timeout: 15_000 }).toBe(2);
    await docsScreenshot(page, 'console-suppressions');
    await accessibleAtBothWidths(page);

    // Keyboard only: the row's Lift button, then the note field it moves the focus to.
    await row.getByRole('button', { name: /^Lift suppression #\d+$/ }).focus();
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('TEXTAREA');
    await page.keyboard.type('The customer asked by phone to get offers again');
    await page.getByRole('button', { name: 'Lift suppression', exact: true }).click();
    await page.getByRole('status').filter({ hasText: /was lifted\.$/ }).waitFor();
    // Lifted, so no longer among the active ones; among the lifted with its note.
    await page.getByText('No suppressions match these filters.').waitFor();
    await page.goto(`${base}/suppressions?address=kirje.&state=lifted`);
    await page.getByRole('row', { name: /kirje\.asiakas@example\.fi.*Lifted.*The customer asked by phone/ }).waitFor();
    await accessibleAtBothWidths(page);
  }, 120_000);

  it('refuses to lift a hard bounce without a note, saying so at the note; an unsubscribe offers no lift', async () => {
    const page = await signedIn('dpo');
    await page.goto(`${base}/suppressions?reason=hard_bounce`);
    const row = page.getByRole('row', { name: /palautui@example\.fi/ });
    await row.getByRole('button', { name: /^Lift suppression/ }).click();
    await page.getByRole('button', { name: 'Lift suppression', exact: true }).click();
    const sentence = 'Write a note saying why this suppression is lifted: it cannot be lifted without one.';
    await page.getByText(sentence).waitFor();
    // Next to the field: the note field is described by the error.
    const note = page.getByRole('textbox', { name: 'Why it is lifted' });
    expect(await note.getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByText('SUPPRESSION_LIFT_NEEDS_NOTE').count()).toBe(0);
    await accessibleAtBothWidths(page);
    expect((await app.stores.suppressions.forAddress('email', 'palautui@example.fi'))[0]?.liftedAt).toBeNull();

    await page.goto(`${base}/suppressions?reason=unsubscribe`);
    const unsubscribed = page.getByRole('row', { name: /peruttu@example\.fi/ });
    await unsubscribed.waitFor();
    expect(await unsubscribed.getByRole('button').count()).toBe(0);
    expect(await unsubscribed.getByText('Cannot be lifted here').count()).toBe(1);
  }, 120_000);

  it('shows an agent the list without the forms, refuses an agent’s change and hides the list from a marketer', async () => {
    const agent = await signedIn('agent');
    await agent.getByRole('navigation').getByRole('link', { name: 'Suppressions' }).click();
    await agent.getByRole('row', { name: /palautui@example\.fi/ }).waitFor();
    expect(await agent.getByRole('button', { name: 'Add suppression' }).count()).toBe(0);
    expect(await agent.getByRole('button', { name: /^Lift suppression/ }).count()).toBe(0);
    expect(await statusFromPage(agent, 'POST', '/v1/suppressions', { channel: 'email', address: 'x@example.fi', note: 'x' })).toBe(403);
    expect(await statusFromPage(agent, 'POST', '/v1/suppressions/1/lift', { note: 'x' })).toBe(403);

    const marketer = await signedIn('marketer');
    expect(await marketer.getByRole('navigation').getByRole('link', { name: 'Suppressions' }).count()).toBe(0);
    expect(await statusFromPage(marketer, 'GET', '/v1/suppressions')).toBe(403);
    expect(await statusFromPage(marketer, 'POST', '/v1/suppressions', { channel: 'email', address: 'x@example.fi', note: 'x' })).toBe(403);
  }, 120_000);
});
