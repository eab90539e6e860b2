/// <reference lib="dom" />
/**
 * What the console's browser suites share: where Chromium is, whether a suite runs (skipped with
 * the reason when Chromium is absent, unless LUPA_TEST_BROWSER=1 makes that a failure), axe-core's
 * check, and signing in through the sign-in page.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
const required = process.env.LUPA_TEST_BROWSER === '1';
/** Null when the suite runs; else why it is skipped. */
export const SKIP_REASON = existsSync(CHROMIUM) || required ? null : `skipped: no ${CHROMIUM} (apt-get install -y chromium), and LUPA_TEST_BROWSER is not 1`;
export const PASSWORD = 'browser test passphrase';

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

/**
 * A new browser context signed in as `${role}@lupa.example` (English unless `locale` says otherwise;
 * the machine's time zone unless `timezoneId` names one), on the first screen.
 */
export async function signIn(browser: Browser, base: string, role: string, locale = 'en-GB', timezoneId?: string): Promise<Page> {
  const context = await browser.newContext({ locale, ...(timezoneId === undefined ? {} : { timezoneId }) });
  const page = await context.newPage();
  await page.goto(`${base}/`);
  await page.getByLabel('Email').fill(`${role}@lupa.example`);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation').waitFor();
  return page;
}

/** With LUPA_SCREENSHOTS=1, where the browser suites photograph the screens docs/console.md shows. */
const DOCS_IMAGES = process.env.LUPA_SCREENSHOTS === '1' ? new URL('../../docs/images/', import.meta.url) : null;

/** The page as docs/console.md shows it (`docs/images/NAME.png`), only when LUPA_SCREENSHOTS=1: ordinary runs change no committed file. */
export async function docsScreenshot(page: Page, name: string): Promise<void> {
  if (DOCS_IMAGES === null) return;
  await page.mouse.move(0, 0);
  await page.screenshot({ path: new URL(`${name}.png`, DOCS_IMAGES).pathname, fullPage: true });
}
