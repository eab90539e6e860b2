/**
 * The console's "Site ads" screen in Chromium: a marketer creates an ad (a target off the company's
 * sites is named at its field, in Finnish), stops it, and reads its report with people and
 * aggregate apart and charts with their tables; an analyst reads without the means to change.
 * axe-core on the screen.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserSkipReason, seriousViolations, startConsole, type ConsoleHarness } from './console-harness.ts';

(browserSkipReason === null ? describe : describe.skip)(`own-product ads in the console, in Chromium${browserSkipReason === null ? '' : ` (${browserSkipReason})`}`, () => {
  let h: ConsoleHarness;
  beforeAll(async () => {
    h = await startConsole({ customers: 50 });
  }, 120_000);
  afterAll(async () => h?.close());

  it('lets a marketer create and stop an ad, and read its report', async () => {
    const page = await h.signedIn('marketer');
    await page.getByLabel('Language', { exact: true }).first().selectOption('fi');
    await page.getByRole('navigation').getByRole('link', { name: 'Sivuston mainokset' }).click();
    await page.getByRole('heading', { name: 'Omien tuotteiden mainokset sivustoilla', level: 1 }).waitFor();
    await page.getByRole('textbox', { name: 'Nimi' }).fill('Print trial');
    await page.getByRole('textbox', { name: 'Otsikko' }).fill('Uutisvirta paperilla');
    await page.getByRole('textbox', { name: 'Teksti' }).fill('Ensimmäinen kuukausi 9,90 €');
    await page.getByRole('textbox', { name: 'Kohdesivu' }).fill('https://elsewhere.example/x');
    await page.getByRole('textbox', { name: 'Mainospaikat' }).fill('front-top, article-side');
    await page.getByRole('button', { name: 'Luo mainos' }).click();
    await page.getByText('Kohteen on oltava oman sivustomme sivu.').waitFor();
    await page.getByRole('textbox', { name: 'Kohdesivu' }).fill(`${h.app.publicUrl}/tilaa`);
    await page.getByRole('button', { name: 'Luo mainos' }).click();
    const row = page.getByRole('row', { name: /Print trial/ });
    await row.waitFor();
    expect(await row.innerText()).toContain('front-top, article-side');
    const [ad] = await h.app.stores.siteAds.list();
    expect(ad?.targetUrl).toBe(`${h.app.publicUrl}/tilaa`);
    const day = h.app.now().slice(0, 10);
    await h.app.stores.siteAds.count({ adId: ad?.id ?? 0, placement: 'front-top', day, basis: 'aggregate', impressions: 40, clicks: 2 });
    await h.app.stores.siteAds.count({ adId: ad?.id ?? 0, placement: 'front-top', day, basis: 'people', impressions: 10, clicks: 3 });
    await page.reload();
    await page.getByRole('row', { name: /Henkilöt/ }).waitFor();
    expect(await page.getByRole('row', { name: /Henkilöt/ }).innerText()).toMatch(/10\s+3\s+30/);
    expect(await page.getByRole('row', { name: /Yhteismäärinä/ }).innerText()).toMatch(/40\s+2\s+5/);
    await page.getByRole('heading', { name: 'Päivittäin' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByRole('button', { name: 'Pysäytä Print trial' }).click();
    await page.getByRole('button', { name: 'Käynnistä Print trial' }).waitFor();
    expect((await h.app.stores.siteAds.list())[0]?.active).toBe(false);
    await page.context().close();
  });

  it('shows an analyst the ads and reports without the means to change them', async () => {
    const page = await h.signedIn('analyst');
    await page.getByRole('navigation').getByRole('link', { name: 'Site ads' }).click();
    await page.getByRole('row', { name: /Print trial/ }).waitFor();
    await page.getByRole('heading', { name: 'By day' }).waitFor();
    expect(await page.getByRole('button', { name: 'Create the ad' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /Start|Stop/ }).count()).toBe(0);
    await page.context().close();
  });
});
