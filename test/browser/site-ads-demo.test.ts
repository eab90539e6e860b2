/**
 * Own-product ads on the SDK's demo page (`/sdk/demo`) in real Chromium: the slot is filled with
 * the placement's ad, rendered as text (no markup from the server is parsed), linked through
 * Lupa's signed click redirect; the impression is sent only once half the ad has been visible for
 * a second, and without consent it is counted in aggregate, never kept per visitor.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { siteAdDeps, type App } from '../../src/composition-root.ts';
import { createSiteAd } from '../../src/use-cases/site-ads.ts';
import { PROCESS_TEST_TIMEOUT_MS } from '../support/processes.ts';
import { startSiteHarness, type SiteHarness } from './site-harness.ts';
import { SKIP_REASON } from './support.ts';

vi.setConfig({ testTimeout: PROCESS_TEST_TIMEOUT_MS, hookTimeout: PROCESS_TEST_TIMEOUT_MS });

describe.skipIf(SKIP_REASON !== null)(`an ad slot on the demo page, in Chromium${SKIP_REASON === null ? '' : ` (${SKIP_REASON})`}`, () => {
  let h: SiteHarness;
  let app: App;
  let browser: Browser;
  let base = '';
  let adId = 0;

  beforeAll(async () => {
    h = await startSiteHarness({ LUPA_SITE_ORIGINS: 'https://uutisvirta.fi' }, async (a) => {
      const ad = await createSiteAd(siteAdDeps(a), {
        name: 'Demo',
        headline: '<b>Uutisvirta</b> on paper',
        text: 'First month 9.90 €',
        imageUrl: null,
        targetUrl: 'https://uutisvirta.fi/tilaa',
        sku: null,
        placements: ['demo'],
        validFrom: null,
        validUntil: null,
        active: true,
      });
      adId = ad.id;
      // An ad whose image is not there: it is shown without the image's empty box.
      await createSiteAd(siteAdDeps(a), { name: 'No image', headline: 'Kotipiha', text: 'Spring', imageUrl: '/img/not-here.png', targetUrl: 'https://uutisvirta.fi/kotipiha', sku: null, placements: ['missing-image'], validFrom: null, validUntil: null, active: true });
    });
    ({ app, browser, base } = h);
  });

  afterAll(async () => h?.close());

  const today = () => app.now().slice(0, 10);
  const impressions = async (basis: 'people' | 'aggregate') =>
    (await app.stores.siteAds.report(adId, { fromDay: today(), toDay: today() })).filter((r) => r.basis === basis).reduce((n, r) => n + r.impressions, 0);

  it('fills the slot, and counts the impression in aggregate once half the ad was visible for a second', async () => {
    // A short window: the slot starts below the fold.
    const context = await browser.newContext({ viewport: { width: 800, height: 300 } });
    const page = await context.newPage();
    await page.goto(`${base}/sdk/demo`);
    await page.getByRole('button', { name: 'Reject all' }).click();
    const ad = page.locator('#ad-slot a.lupa-ad');
    await ad.waitFor();
    // The server's text is shown as text: its angle brackets are not markup.
    expect(await page.locator('#ad-slot .lupa-ad-headline').textContent()).toBe('<b>Uutisvirta</b> on paper');
    expect(await page.locator('#ad-slot b').count()).toBe(0);
    // Headline and text apart even without the site's styles.
    expect(await ad.textContent()).toMatch(/^<b>Uutisvirta<\/b> on paper \S/);
    expect(await ad.getAttribute('href')).toMatch(/\/a\/click\/[\w.-]+$/);
    expect(await ad.getAttribute('rel')).toBe('sponsored noopener');

    // Out of view for more than a second: no impression.
    await page.waitForTimeout(1500);
    expect(await page.locator('#ad-slot').getAttribute('data-lupa-impression')).toBeNull();
    expect(await impressions('aggregate')).toBe(0);

    await page.locator('#ad-slot').scrollIntoViewIfNeeded();
    await page.waitForSelector('#ad-slot[data-lupa-impression="sent"]');
    await expect.poll(() => impressions('aggregate'), { timeout: 5000 }).toBe(1);
    expect(await impressions('people')).toBe(0);
    expect(app.database.dialect === 'sqlite' ? app.database.sqlite.prepare("SELECT count(*) FROM site_events WHERE name LIKE 'ad_%'").pluck().get() : 0).toBe(0);
    expect(await context.cookies()).toEqual([]);
    await context.close();
  });

  it("counts a consenting visitor's impression under people", async () => {
    const context = await browser.newContext({ viewport: { width: 800, height: 2000 } });
    const page = await context.newPage();
    await page.goto(`${base}/sdk/demo`);
    await page.getByRole('button', { name: 'Accept all' }).click();
    await page.waitForSelector('#ad-slot[data-lupa-impression="sent"]');
    await expect.poll(() => impressions('people'), { timeout: 5000 }).toBe(1);
    expect(app.database.dialect === 'sqlite' ? app.database.sqlite.prepare("SELECT count(*) FROM site_events WHERE name = 'ad_impression'").pluck().get() : 1).toBe(1);
    await context.close();
  });

  it('reports an ad filled without consent without the visitor id that came while it was shown, and a slot filled again only for its new ad', async () => {
    // A short window: the demo's own slot stays below the fold, so every report is the extra slot's.
    const context = await browser.newContext({ viewport: { width: 800, height: 300 } });
    const page = await context.newPage();
    const beacons: { token: string; visitorId?: string }[] = [];
    page.on('request', (req) => {
      if (new URL(req.url()).pathname === '/v1/site-ads/impressions') beacons.push(JSON.parse(req.postData() ?? '{}') as { token: string; visitorId?: string });
    });
    await page.goto(`${base}/sdk/demo`);
    await page.getByRole('button', { name: 'Reject all' }).click();
    // A slot kept out of sight, filled twice while the visitor has no id: the first ad is replaced
    // before anyone could see it.
    await page.evaluate(async () => {
      const el = document.createElement('div');
      el.id = 'extra-slot';
      el.style.cssText = 'position:fixed;top:0;left:0;width:320px;height:120px;display:none;background:#fff';
      document.body.prepend(el);
      const sdk = (window as unknown as { lupa: { ads: { fill(e: HTMLElement, o: { placement: string }): Promise<unknown> } } }).lupa;
      await sdk.ads.fill(el, { placement: 'demo' });
      await sdk.ads.fill(el, { placement: 'demo' });
    });
    // Consent comes while the ad is there, then it is seen.
    await page.getByRole('button', { name: 'Change consent' }).click();
    await page.getByRole('button', { name: 'Accept all' }).click();
    await page.evaluate(() => {
      (document.getElementById('extra-slot') as HTMLElement).style.display = 'block';
    });
    await page.waitForSelector('#extra-slot[data-lupa-impression="sent"]');
    await expect.poll(() => beacons.length).toBeGreaterThanOrEqual(1);
    // Longer than the one second of visibility an unstopped watch of the replaced ad would need.
    await page.waitForTimeout(1500);
    expect(beacons).toHaveLength(1);
    expect(beacons[0]?.visitorId).toBeUndefined();
    await expect.poll(() => impressions('aggregate')).toBeGreaterThanOrEqual(1);
    await context.close();
  });

  type Sdk = { lupa: { ads: { fill(e: HTMLElement, o: { placement: string }): Promise<unknown> } } };
  const impressionOf = (page: Page, id: string) => page.locator(`#${id}`).getAttribute('data-lupa-impression');

  it('watches the ad, not its slot: no impression while the ad is out of view in a slot half in view', async () => {
    const context = await browser.newContext({ viewport: { width: 800, height: 300 } });
    const page = await context.newPage();
    await page.goto(`${base}/sdk/demo`);
    await page.getByRole('button', { name: 'Reject all' }).click();
    // The try-out: a 200 px slot holding a one-line ad, scrolled to -80..120 px of the window, so
    // 60 % of the slot is in view and none of the ad.
    const where = await page.evaluate(async () => {
      const slot = document.createElement('div');
      slot.id = 'tall-slot';
      slot.style.cssText = 'height:200px;margin:1200px 0';
      document.body.append(slot);
      await (window as unknown as Sdk).lupa.ads.fill(slot, { placement: 'demo' });
      (slot.querySelector('a.lupa-ad') as HTMLElement).style.display = 'block';
      window.scrollTo(0, slot.getBoundingClientRect().top + window.scrollY + 80);
      const box = (e: Element) => [Math.round(e.getBoundingClientRect().top), Math.round(e.getBoundingClientRect().bottom)];
      return { slot: box(slot), ad: box(slot.querySelector('a.lupa-ad') as Element) };
    });
    expect(where.slot).toEqual([-80, 120]);
    expect(where.ad[1]).toBeLessThanOrEqual(0);
    await page.waitForTimeout(1800);
    expect(await impressionOf(page, 'tall-slot')).toBeNull();
    // The ad itself in view: counted after its second.
    await page.evaluate(() => window.scrollBy(0, -100));
    await page.waitForSelector('#tall-slot[data-lupa-impression="sent"]');
    await context.close();
  });

  it('counts no impression for an ad of no area or one taken off the page within its second', async () => {
    const page = await browser.newPage();
    await page.goto(`${base}/sdk/demo`);
    await page.getByRole('button', { name: 'Reject all' }).click();
    // Two slots in view at the top of the window: one's ad has no height, the other's is removed.
    await page.evaluate(async () => {
      for (const id of ['flat-slot', 'gone-slot']) {
        const slot = document.createElement('div');
        slot.id = id;
        slot.style.cssText = 'height:120px';
        document.body.prepend(slot);
        await (window as unknown as Sdk).lupa.ads.fill(slot, { placement: 'demo' });
      }
      (document.querySelector('#flat-slot a.lupa-ad') as HTMLElement).style.cssText = 'display:block;height:0;overflow:hidden';
      setTimeout(() => document.querySelector('#gone-slot a.lupa-ad')?.remove(), 400);
    });
    await page.waitForTimeout(1800);
    expect([await impressionOf(page, 'flat-slot'), await impressionOf(page, 'gone-slot')]).toEqual([null, null]);
    // The flat ad given its height while in view (no threshold crossed): counted after its second.
    await page.evaluate(() => {
      (document.querySelector('#flat-slot a.lupa-ad') as HTMLElement).style.cssText = 'display:block';
    });
    await page.waitForSelector('#flat-slot[data-lupa-impression="sent"]');
    await page.close();
  });

  it('leaves out an image that does not load, showing the headline and text', async () => {
    const page = await browser.newPage();
    await page.goto(`${base}/sdk/demo`);
    await page.getByRole('button', { name: 'Reject all' }).click();
    await page.evaluate(async () => {
      const el = document.createElement('div');
      el.id = 'image-slot';
      document.body.prepend(el);
      await (window as unknown as { lupa: { ads: { fill(e: HTMLElement, o: { placement: string }): Promise<unknown> } } }).lupa.ads.fill(el, { placement: 'missing-image' });
    });
    await page.locator('#image-slot .lupa-ad-headline').getByText('Kotipiha').waitFor();
    await expect.poll(() => page.locator('#image-slot img').count()).toBe(0);
    await page.close();
  });
});
