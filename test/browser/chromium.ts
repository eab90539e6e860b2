/// <reference lib="dom" />
/**
 * What the console's browser suites share: Debian's Chromium (skipped, with the reason in the
 * title, when it is missing and LUPA_TEST_BROWSER is not 1) and axe-core's verdict on a page.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
const required = process.env.LUPA_TEST_BROWSER === '1';
/** Why the browser suites are skipped, or null when they run. */
export const skipReason = existsSync(CHROMIUM) || required ? null : `skipped: no ${CHROMIUM} (apt-get install -y chromium), and LUPA_TEST_BROWSER is not 1`;

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
