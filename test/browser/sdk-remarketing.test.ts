/**
 * lupa.remarketing() on the SDK's demo page in real Chromium: a visitor who accepts is on the list
 * made from their page view, gets it from lupa.remarketing() and in the dataLayer as the
 * `lupa_remarketing` event; after they reject, nothing is asked, the answer is empty and nothing
 * more is pushed.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { App } from '../../src/composition-root.ts';
import { PROCESS_TEST_TIMEOUT_MS } from '../support/processes.ts';
import { startSiteHarness, type SiteHarness } from './site-harness.ts';
import { SKIP_REASON } from './support.ts';

vi.setConfig({ testTimeout: PROCESS_TEST_TIMEOUT_MS, hookTimeout: PROCESS_TEST_TIMEOUT_MS });

describe.skipIf(SKIP_REASON !== null)(`lupa.remarketing() on the demo page, in Chromium${SKIP_REASON === null ? '' : ` (${SKIP_REASON})`}`, () => {
  let h: SiteHarness;
  let app: App;
  let browser: Browser;
  let base = '';

  beforeAll(async () => {
    h = await startSiteHarness();
    ({ app, browser, base } = h);
  });

  afterAll(async () => h?.close());

  const sentBatches = (page: Page, n: number) => page.waitForFunction((count) => Number(document.body.dataset.sent ?? '0') >= count, n);
  const remarketing = (page: Page) => page.evaluate(() => (window as unknown as { lupa: { remarketing(): Promise<unknown> } }).lupa.remarketing());
  const pushed = (page: Page) => page.evaluate(() => ((window as unknown as { dataLayer: unknown[] }).dataLayer).filter((e) => (e as { event?: string }).event === 'lupa_remarketing'));

  it("answers a consenting visitor's lists and pushes them to the dataLayer; nothing after a refusal", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${base}/sdk/demo`);
    await page.getByRole('button', { name: 'Accept all' }).click();
    await sentBatches(page, 1);
    const deps = { remarketing: app.stores.remarketing, now: app.now };
    const { createRemarketingList } = await import('../../src/use-cases/remarketing.ts');
    const list = await createRemarketingList(deps, { name: 'demo-readers', event: 'page_view', withinDays: 1, site: 'demo.lupa' }, 'test');
    expect(list.members).toBe(1);
    expect(await remarketing(page)).toEqual([{ id: list.id, name: 'demo-readers' }]);
    expect(await pushed(page)).toEqual([{ event: 'lupa_remarketing', lupa_lists: ['demo-readers'], lupa_list_ids: [list.id] }]);

    const asked: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/v1/remarketing/')) asked.push(r.url());
    });
    await page.getByRole('button', { name: 'Change consent' }).click();
    await page.getByRole('button', { name: 'Reject all' }).click();
    expect(await remarketing(page)).toEqual([]);
    expect(asked).toEqual([]);
    expect(await pushed(page)).toHaveLength(1);
    await context.close();
  });
});
