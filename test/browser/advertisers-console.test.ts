/**
 * Audiences for advertisers in Chromium: a marketer offers a segment under a public name and sees
 * the size advertisers see; a wrong field is named in Finnish; the link made for an advertiser opens
 * a page in Swedish that lists the segment and names no one; an analyst reads but cannot offer.
 * axe-core on the screen and on the advertisers' page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserSkipReason, seriousViolations, startConsole, type ConsoleHarness } from './console-harness.ts';

(browserSkipReason === null ? describe : describe.skip)(`audiences for advertisers in Chromium${browserSkipReason === null ? '' : ` (${browserSkipReason})`}`, () => {
  let h: ConsoleHarness;
  beforeAll(async () => {
    h = await startConsole({ customers: 400 });
    const segment = await h.app.stores.segments.create({ name: 'Everyone with an order (internal)', description: null, rule: { orders: {} }, createdBy: 'test', at: h.app.now() });
    await h.app.stores.segments.recompute(segment.id, h.app.now());
  }, 120_000);
  afterAll(async () => h?.close());

  it('lets a marketer offer a segment, names a wrong field in Finnish, and makes a link that opens in Swedish', async () => {
    const page = await h.signedIn('marketer');
    await page.getByLabel('Language', { exact: true }).first().selectOption('fi');
    await page.getByRole('navigation').getByRole('link', { name: 'Mainostajille' }).click();
    await page.getByRole('heading', { name: 'Yleisöt mainostajille', level: 1 }).waitFor();
    await page.getByRole('combobox', { name: 'Segmentti' }).selectOption({ label: 'Everyone with an order (internal)' });
    await page.getByRole('textbox', { name: 'Mainostajien näkemä nimi' }).fill('   ');
    await page.getByRole('textbox', { name: 'Kuvaus' }).fill('Kaikki tilaajat');
    await page.getByRole('button', { name: 'Tarjoa', exact: true }).click();
    await page.getByText('Anna 1–100 merkin nimi.').waitFor();
    await page.getByRole('textbox', { name: 'Mainostajien näkemä nimi' }).fill('Tilaajat');
    await page.getByRole('button', { name: 'Tarjoa', exact: true }).click();
    const row = page.getByRole('row', { name: /Tilaajat/ });
    await row.waitFor();
    const members = (await h.app.stores.segments.list()).find((s) => s.name.endsWith('(internal)'))?.memberCount ?? 0;
    expect(members).toBeGreaterThanOrEqual(100);
    expect(await row.innerText()).toContain(`noin ${new Intl.NumberFormat('fi-FI').format(Math.round(members / 100) * 100)}`);
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByRole('button', { name: 'Tee linkki' }).click();
    const link = page.getByRole('status').getByRole('link');
    await link.waitFor();
    const url = new URL(await link.innerText());
    const advertiser = await h.browser.newPage();
    await advertiser.goto(`${h.base}${url.pathname}?lang=sv`);
    await advertiser.getByRole('heading', { name: 'Målgrupper för annonsörer' }).waitFor();
    const text = await advertiser.locator('main').innerText();
    expect(text).toContain('Tilaajat');
    expect(text).not.toContain('internal');
    expect(await seriousViolations(advertiser)).toEqual([]);
    await advertiser.close();
    await page.context().close();
  });

  it('shows an analyst the offered segments without the means to change them', async () => {
    const page = await h.signedIn('analyst');
    await page.getByRole('navigation').getByRole('link', { name: 'For advertisers' }).click();
    await page.getByRole('row', { name: /Tilaajat/ }).waitFor();
    expect(await page.getByRole('button', { name: 'Offer', exact: true }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /Withdraw/ }).count()).toBe(0);
    await page.context().close();
  });
});
