/**
 * The browser SDK's demo page (`/sdk/demo`) in real Chromium against a local server: a visitor who
 * refuses gets no cookie, nothing in localStorage and no per-visitor row (their events are only
 * counted), and Consent Mode says denied; a visitor who accepts gets the first-party cookie, rows
 * under it, a sign-in that stitches them to the customer, and Meta hashes equal to the server's
 * for the shared vectors (Chromium's Web Crypto). The page passes axe-core's serious checks.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { App } from '../../src/composition-root.ts';
import { parseCountry } from '../../src/core/ad-audiences/identifiers.ts';
import type { CustomerId, Instant } from '../../src/core/records.ts';
import { hashIdentifiers } from '../../src/use-cases/ad-audiences/hashed-identifiers.ts';
import { issueIdentifyToken } from '../../src/use-cases/site-events/identify-tokens.ts';
import { META_IDENTIFIER_VECTORS } from '../support/meta-identifier-vectors.ts';
import { PROCESS_TEST_TIMEOUT_MS } from '../support/processes.ts';
import { startSiteHarness, type SiteHarness } from './site-harness.ts';
import { seriousViolations, SKIP_REASON } from './support.ts';

vi.setConfig({ testTimeout: PROCESS_TEST_TIMEOUT_MS, hookTimeout: PROCESS_TEST_TIMEOUT_MS });

const DAY = { from: '2000-01-01T00:00:00.000Z' as Instant, to: '2100-01-01T00:00:00.000Z' as Instant };

describe.skipIf(SKIP_REASON !== null)(`lupa.js on its demo page, in Chromium${SKIP_REASON === null ? '' : ` (${SKIP_REASON})`}`, () => {
  let h: SiteHarness;
  let app: App;
  let browser: Browser;
  let base = '';

  beforeAll(async () => {
    h = await startSiteHarness({}, async (a) => {
      await a.stores.customers.insertCustomer({ id: 'W1' as CustomerId, kind: 'person', name: 'Web Visitor', emails: [], phones: [], address: null, locale: 'fi', createdAt: a.now(), updatedAt: a.now() });
    });
    ({ app, browser, base } = h);
  });

  afterAll(async () => h?.close());

  /** Waits until the page has seen `n` batches answered. */
  const sentBatches = (page: Page, n: number) => page.waitForFunction((count) => Number(document.body.dataset.sent ?? '0') >= count, n);
  const countRows = (): number => (app.database.dialect === 'sqlite' ? (app.database.sqlite.prepare('SELECT count(*) FROM site_events').pluck().get() as number) : -1);

  it('leaves a visitor who refuses without cookie, storage or per-visitor row, and with denied signals', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${base}/sdk/demo`);
    expect(await seriousViolations(page)).toEqual([]);
    // Before the banner answers, nothing is stored and nothing is sent.
    expect(await page.evaluate(() => document.cookie)).toBe('');
    await page.getByRole('button', { name: 'Reject all' }).click();
    await sentBatches(page, 1);
    await page.getByRole('button', { name: 'Send an event' }).click();
    await sentBatches(page, 2);
    expect(await page.evaluate(() => [document.cookie, localStorage.length, sessionStorage.length])).toEqual(['', 0, 0]);
    expect((await context.cookies()).length).toBe(0);
    const signals = await page.evaluate(() => ((window as unknown as { dataLayer: ArrayLike<unknown>[] }).dataLayer).map((e) => Array.from(e)));
    expect(signals.at(-1)).toEqual(['consent', 'update', { ad_storage: 'denied', ad_user_data: 'denied', ad_personalization: 'denied', analytics_storage: 'denied' }]);
    expect(await page.locator('#sent').textContent()).not.toContain('visitorId');
    expect(await page.evaluate(() => (window as unknown as { lupa: { hashForMeta(i: object): Promise<unknown> } }).lupa.hashForMeta({ email: 'a@b.fi' }))).toBeNull();
    expect(countRows()).toBe(0);
    const counts = await app.stores.siteEvents.counts(DAY);
    expect(counts.map((c) => [c.page, c.name, c.count])).toEqual([
      ['/sdk/demo', 'demo_click', 1],
      ['/sdk/demo', 'page_view', 1],
    ]);
    await context.close();
  });

  it('sends the page view that waited for consent and the events tracked right after it in one request', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const batches: { events: { type: string; name?: string }[] }[] = [];
    page.on('request', (req) => {
      if (req.method() === 'POST' && new URL(req.url()).pathname === '/v1/events') batches.push(JSON.parse(req.postData() ?? '{}') as (typeof batches)[number]);
    });
    await page.goto(`${base}/sdk/demo`);
    // The page view waits for the banner; the page tracks as soon as it answers, and again 30 ms
    // later (the try-out saw the waiting page view and the first track go as two requests).
    await page.evaluate(async () => {
      const sdk = (window as unknown as { lupa: { consent(c: object): unknown; track(name: string): void } }).lupa;
      sdk.consent({ site_ads: false });
      sdk.track('right_after');
      await new Promise((resolve) => setTimeout(resolve, 30));
      sdk.track('a_moment_later');
    });
    await sentBatches(page, 1);
    // Longer than the demo's flushMs (200): a second request would have gone by now.
    await page.waitForTimeout(600);
    expect(batches.map((b) => b.events.map((e) => e.name ?? e.type))).toEqual([['page', 'right_after', 'a_moment_later']]);
    await context.close();
  });

  it('gives a visitor who accepts the cookie, rows under it, a sign-in, and the server\'s hashes', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${base}/sdk/demo`);
    await page.getByRole('button', { name: 'Accept all' }).click();
    await sentBatches(page, 1);
    const cookies = await context.cookies();
    expect(cookies.map((c) => [c.name, c.sameSite])).toEqual([['lupa_vid', 'Lax']]);
    const visitorId = cookies[0]?.value ?? '';
    expect(await page.evaluate(() => localStorage.length)).toBe(0);
    // The banner's answer again (as on every page load) a second later: the cookie keeps its
    // expiry; it was written anew each time, so that its thirteen months never ran out.
    await page.waitForTimeout(1100);
    await page.evaluate(() => (window as unknown as { lupa: { consent(c: object): unknown } }).lupa.consent({ site_ads: true, ad_audience: true, analytics: true }));
    expect((await context.cookies()).map((c) => [c.value, c.expires])).toEqual([[visitorId, cookies[0]?.expires]]);
    const signals = await page.evaluate(() => ((window as unknown as { dataLayer: ArrayLike<unknown>[] }).dataLayer).map((e) => Array.from(e)));
    expect(signals.at(-1)).toEqual(['consent', 'update', { ad_storage: 'granted', ad_user_data: 'granted', ad_personalization: 'granted', analytics_storage: 'granted' }]);

    const { token } = await issueIdentifyToken({ signer: app.signer, customers: app.stores.customers, now: app.now, ttlSeconds: 300 }, 'W1');
    await page.getByLabel('Identify token').fill(token);
    await page.getByRole('button', { name: 'Identify' }).click();
    await sentBatches(page, 2);
    expect(await page.locator('#identified').textContent()).toContain('signed in');
    expect(await app.stores.siteEvents.customerOfVisitor(visitorId)).toBe('W1');
    const events = await app.stores.siteEvents.eventsOfCustomer('W1', { limit: 10 });
    expect(events.map((e) => [e.visitorId, e.name, e.page])).toEqual([[visitorId, 'page_view', '/sdk/demo']]);

    const browserHashes = await page.evaluate(
      (vectors) => Promise.all(vectors.map((v) => (window as unknown as { lupa: { hashForMeta(i: object): Promise<unknown> } }).lupa.hashForMeta(v))),
      META_IDENTIFIER_VECTORS as unknown as object[],
    );
    expect(browserHashes).toEqual(META_IDENTIFIER_VECTORS.map((v) => hashIdentifiers('meta', { email: v.email, phone: v.phone, country: parseCountry(v.country) })));
    // The built lupa.js carries the phone plans derived at build time: an Estonian number of 9
    // digits, which the server does not upload, is not hashed; one of 8 is, as the server does.
    const estonian = await page.evaluate(() =>
      Promise.all(['50 123 4567', '5012 3456'].map((phone) => (window as unknown as { lupa: { hashForMeta(i: object): Promise<unknown> } }).lupa.hashForMeta({ phone, country: 'EE' }))),
    );
    expect(estonian).toEqual(['50 123 4567', '5012 3456'].map((phone) => hashIdentifiers('meta', { phone, country: 'EE' })));
    expect(estonian[0]).toEqual({ email: null, phone: null });

    // Withdrawing removes the cookie at once; later events are counted only.
    await page.getByRole('button', { name: 'Change consent' }).click();
    await page.getByRole('button', { name: 'Reject all' }).click();
    expect(await context.cookies()).toEqual([]);
    await context.close();
  });
});
