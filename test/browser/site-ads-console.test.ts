/**
 * The console's "Site ads" screen in Chromium: a marketer creates an ad (a target off the company's
 * sites is named at its field, in Finnish), stops it, and reads its report with people and
 * aggregate apart and charts with their tables; an analyst reads without the means to change.
 * axe-core on the screen.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserSkipReason, seriousViolations, startConsole, type ConsoleHarness } from './console-harness.ts';
import { reportWindow } from '../../src/core/site-ads/site-ads.ts';

/** The report's period as the console writes it in `locale`: the API's default window (UTC days). */
function period(now: string, locale: string): string {
  const { fromDay, toDay } = reportWindow(now as Parameters<typeof reportWindow>[0], {});
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).formatRange(new Date(`${fromDay}T12:00:00Z`), new Date(`${toDay}T12:00:00Z`));
}

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
    await page.getByRole('textbox', { name: 'Tuote (SKU)' }).fill('NO-SUCH-SKU');
    await page.getByRole('textbox', { name: 'Mainospaikat' }).fill('front-top, article-side');
    await page.getByRole('button', { name: 'Luo mainos' }).click();
    // The server names the target only (its first wrong field); the console finds the product itself: both at once.
    await page.getByText('Kohteen on oltava oman sivustomme sivu.').waitFor();
    await page.getByText('Tällä SKU:lla ei ole tuotetta.').waitFor();
    await page.getByRole('alert').filter({ hasText: 'Mainosta ei luotu: katso Kohdesivu, Tuote (SKU).' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('textbox', { name: 'Tuote (SKU)' }).fill('');
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
    // The period in the language's own form, the API's default (UTC days), not ISO dates.
    await page.getByRole('heading', { name: `Raportti ${period(h.app.now(), 'fi')}` }).waitFor();
    // By day and by placement, clicks too are people and aggregate apart, as in the totals.
    const dayRow = page.getByRole('region', { name: 'Taulukko: Päivittäin' }).getByRole('row', { name: new Intl.DateTimeFormat('fi', { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(`${day}T12:00:00Z`)) });
    expect(await dayRow.innerText()).toMatch(/10\s+40\s+3\s+2/);
    const placementTable = page.getByRole('region', { name: 'Taulukko: Mainospaikoittain' });
    expect(await placementTable.getByRole('columnheader').allInnerTexts()).toEqual(expect.arrayContaining(['Klikkaukset, henkilöt', 'Klikkaukset, yhteismäärät']));
    expect(await placementTable.getByRole('row', { name: /front-top/ }).innerText()).toMatch(/10\s+40\s+3\s+2/);
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByRole('button', { name: 'Pysäytä Print trial' }).click();
    await page.getByRole('button', { name: 'Käynnistä Print trial' }).waitFor();
    expect((await h.app.stores.siteAds.list())[0]?.active).toBe(false);
    await page.context().close();
  }, 60_000);

  it('shows an analyst the ads and reports without the means to change them', async () => {
    const page = await h.signedIn('analyst');
    await page.getByRole('navigation').getByRole('link', { name: 'Site ads' }).click();
    await page.getByRole('row', { name: /Print trial/ }).waitFor();
    await page.getByRole('heading', { name: 'By day' }).waitFor();
    await page.getByRole('heading', { name: `Report ${period(h.app.now(), 'en-GB')}` }).waitFor();
    await page.getByLabel('Language', { exact: true }).first().selectOption('sv');
    await page.getByRole('heading', { name: `Rapport ${period(h.app.now(), 'sv')}` }).waitFor();
    expect(await page.getByRole('button', { name: 'Create the ad' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /Start|Stop/ }).count()).toBe(0);
    await page.context().close();
  }, 60_000);
});
