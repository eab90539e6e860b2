/**
 * The administrator's screens in Chromium: a new user's one-time link sets a password and the person
 * signs in; a new API key is shown once and works, and stops working when revoked; the settings show
 * the readiness report and the configuration without a secret; other roles see none of it and the
 * server refuses them. axe-core on each screen at 1280 and 320 px.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserSkipReason, docsScreenshot, seriousViolations, startConsole, type ConsoleHarness } from './console-harness.ts';

(browserSkipReason === null ? describe : describe.skip)(`the admin's console screens in Chromium${browserSkipReason === null ? '' : ` (${browserSkipReason})`}`, () => {
  let h: ConsoleHarness;
  beforeAll(async () => {
    h = await startConsole({ customers: 20 });
  }, 120_000);
  afterAll(async () => h?.close());

  it('creates a user whose one-time link sets a password the person then signs in with', async () => {
    const page = await h.signedIn('admin');
    await page.getByRole('navigation').getByRole('link', { name: 'Users' }).click();
    await page.getByLabel('E-mail').fill('uusi.agentti@lupa.example');
    await page.getByLabel('Role').selectOption('agent');
    await page.getByRole('button', { name: 'Create user' }).click();
    const link = page.getByRole('textbox', { name: 'Link for uusi.agentti@lupa.example to set a password' });
    await link.waitFor();
    const url = await link.inputValue();
    expect(url).toMatch(/\/set-password#token=[A-Za-z0-9_-]{20,}$/);
    await page.getByRole('cell', { name: 'uusi.agentti@lupa.example', exact: true }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);

    const person = await (await h.browser.newContext({ locale: 'en-GB' })).newPage();
    await person.goto(url.replace(/^https?:\/\/[^/]+/, h.base));
    await person.getByLabel('New password', { exact: true }).fill('a passphrase of my own');
    await person.getByLabel('New password again').fill('a passphrase of my own');
    await person.getByRole('button', { name: 'Set password' }).click();
    await person.getByText('Your password is set').waitFor();
    await person.goto(`${h.base}/sign-in`);
    await person.getByLabel('Email').fill('uusi.agentti@lupa.example');
    await person.getByLabel('Password').fill('a passphrase of my own');
    await person.getByRole('button', { name: 'Sign in' }).click();
    await person.getByRole('navigation').getByRole('link', { name: 'Customers' }).waitFor();

    // Disabled, the person's session ends at once: the next read is refused.
    await page.getByRole('button', { name: 'Disable uusi.agentti@lupa.example' }).click();
    await page.getByRole('button', { name: /Disable now: uusi.agentti@lupa.example/ }).click();
    await page.getByRole('row', { name: /uusi.agentti@lupa.example.*disabled/ }).waitFor();
    expect(await person.evaluate(async () => (await fetch('/v1/customers?name=a')).status)).toBe(401);
  }, 120_000);

  it('shows a new API key once, which works until it is revoked', async () => {
    const page = await h.signedIn('admin');
    await page.getByRole('navigation').getByRole('link', { name: 'API keys' }).click();
    await page.getByLabel('Name').fill('crm-sync');
    await page.getByLabel('Role').selectOption('analyst');
    await page.getByRole('button', { name: 'Create key' }).click();
    const box = page.getByRole('textbox', { name: 'The key “crm-sync”' });
    await box.waitFor();
    const key = await box.inputValue();
    expect(key).toMatch(/^lupa_/);
    const call = () => fetch(`${h.base}/v1/campaigns`, { headers: { authorization: `Bearer ${key}` } }).then((r) => r.status);
    expect(await call()).toBe(200);
    await page.reload();
    expect(await page.content()).not.toContain(key);
    await page.getByRole('button', { name: 'Revoke the key crm-sync' }).click();
    await page.getByRole('button', { name: 'Revoke now: the key crm-sync' }).click();
    await page.getByText(/revoked/).first().waitFor();
    expect(await call()).toBe(401);
    for (const width of [1280, 320]) {
      await page.setViewportSize({ width, height: 800 });
      expect(await seriousViolations(page)).toEqual([]);
    }
  }, 120_000);

  it('shows the readiness report and the configuration in force, with the signing secret never on the page', async () => {
    const page = await h.signedIn('admin');
    await page.getByRole('navigation').getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('heading', { name: 'Sending readiness' }).waitFor();
    await page.getByText(/Items marked as warnings would block real sending/).waitFor();
    await page.getByRole('cell', { name: 'LUPA_SOFT_OPT_IN_MONTHS' }).waitFor();
    await page.getByRole('row', { name: /LUPA_SECRET/ }).waitFor();
    await docsScreenshot(page, 'console-settings');
    if (h.app.config.LUPA_SECRET !== undefined) expect(await page.content()).not.toContain(h.app.config.LUPA_SECRET);
    for (const width of [1280, 320]) {
      await page.setViewportSize({ width, height: 800 });
      expect(await seriousViolations(page)).toEqual([]);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
    }
    // The items in the reader's language: the server sends them as phrases.
    await page.getByText('mail goes to the development inbox').first().waitFor();
    await page.getByLabel('Language').selectOption('fi');
    await page.getByText('posti menee kehityspostilaatikkoon').first().waitFor();
    expect(await page.getByText('mail goes to the development inbox').count()).toBe(0);
    await page.getByLabel('Kieli').selectOption('sv');
    await page.getByText('e-posten går till utvecklingsinkorgen').first().waitFor();
  }, 120_000);

  it('loads the console’s own styles: the skip link is off screen until focused, the navigation has no bullets', async () => {
    const page = await h.signedIn('admin');
    const skip = page.getByRole('link', { name: 'Skip to content' });
    expect((await skip.boundingBox())?.x ?? 0).toBeLessThan(0);
    expect(await page.locator('nav ul').evaluate((ul) => getComputedStyle(ul).listStyleType)).toBe('none');
    await skip.focus();
    expect((await skip.boundingBox())?.x ?? -1).toBeGreaterThanOrEqual(0);
  }, 60_000);

  it('shows other roles no admin section, and the server refuses them', async () => {
    for (const role of ['marketer', 'agent', 'dpo', 'analyst']) {
      const page = await h.signedIn(role);
      const nav = page.getByRole('navigation');
      for (const name of ['Users', 'API keys', 'Settings']) await expect(nav.getByRole('link', { name }).count()).resolves.toBe(0);
      const statuses = await page.evaluate(async () => Promise.all(['/v1/users', '/v1/api-keys', '/v1/admin/config'].map(async (u) => (await fetch(u)).status)));
      expect(statuses).toEqual([403, 403, 403]);
      // Reached by its address, the screen says the role may not use it instead of showing a form that cannot work.
      await page.goto(`${h.base}/admin/users`);
      await page.getByText('Your role may not do this').waitFor();
      expect(await page.getByRole('button', { name: 'Create user' }).count()).toBe(0);
      await page.context().close();
    }
  }, 120_000);
});
