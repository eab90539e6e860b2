/**
 * Offers in Chromium: a marketer reads the catalogue with acceptance rates, is told in their
 * language which fields of a new offer are wrong, all at once, and saves it; an agent on a
 * customer's page sees the customer's ranked phone offers and records an answer with a button
 * named for its offer (fi/sv/en), announced in the status message. axe-core at 1280 and 320 px.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CustomerId } from '../../src/core/records.ts';
import { saveDemoOffers } from '../../src/demo/demo-offers.ts';
import { browserSkipReason, seriousViolations, startConsole, type ConsoleHarness } from './console-harness.ts';

(browserSkipReason === null ? describe : describe.skip)(`offers in Chromium${browserSkipReason === null ? '' : ` (${browserSkipReason})`}`, () => {
  let h: ConsoleHarness;
  let customer = '';
  beforeAll(async () => {
    h = await startConsole({ customers: 300 });
    const ids = (await h.app.stores.customers.searchCustomers({ limit: 60 })).map((c) => c.id);
    await saveDemoOffers(h.app.stores.offers, ids, h.app.now());
    // A customer the phone may be used for, with at least one offer to make.
    for (const id of ids) {
      const { rankOffers } = await import('../../src/use-cases/offers/rank-offers.ts');
      const r = await rankOffers({ ...h.app.stores, settings: h.app.settings, minGroup: 5 }, { customerId: id as CustomerId, channel: 'phone', at: h.app.now() });
      if (r.offers.length > 0) {
        customer = id;
        break;
      }
    }
  }, 120_000);
  afterAll(async () => h?.close());

  it('shows a marketer the catalogue, names every wrong field of a new offer at once in Finnish, and saves it', async () => {
    const page = await h.signedIn('marketer');
    await page.getByLabel('Language', { exact: true }).first().selectOption('fi');
    await page.getByRole('navigation').getByRole('link', { name: 'Tarjoukset' }).click();
    await page.getByRole('heading', { name: 'Tarjoukset', level: 1 }).waitFor();
    await page.getByRole('region', { name: 'Tarjoukset' }).getByRole('cell', { name: /UV-DIGI-12/ }).first().waitFor();
    await page.getByRole('textbox', { name: 'Koodi', exact: true }).fill('UUSI-1');
    await page.getByRole('textbox', { name: 'Nimi', exact: true }).fill('Uusi tarjous');
    await page.getByRole('combobox', { name: 'Tuote', exact: true }).selectOption('KPH-MAG');
    await page.getByRole('textbox', { name: 'Hinta (€)', exact: true }).fill('kolme');
    for (const [label, text] of [['Kuvaus suomeksi', 'a'], ['Kuvaus ruotsiksi', 'b'], ['Kuvaus englanniksi', 'c']] as const) await page.getByRole('textbox', { name: label, exact: true }).fill(text);
    // A misspelt placeholder would reach customers as written. Both wrong fields are named at once,
    // each under its field in Finnish, and nothing is sent until both are mended.
    await page.getByRole('textbox', { name: 'Kuvaus ruotsiksi', exact: true }).fill('{product} för {prize}');
    await page.getByRole('button', { name: 'Tallenna tarjous' }).click();
    await page.getByText('Anna hinta euroina, esim. 59,00.').waitFor();
    await page.getByText('Kohtaa {prize} ei täytetä: käytä {product}, {price} tai {period}.').waitFor();
    expect(await h.app.stores.offers.catalogue(h.app.now())).not.toContainEqual(expect.objectContaining({ code: 'UUSI-1' }));
    await page.getByRole('textbox', { name: 'Hinta (€)', exact: true }).fill('19,90');
    await page.getByRole('textbox', { name: 'Kuvaus ruotsiksi', exact: true }).fill('{product} för {price}');
    await page.getByRole('button', { name: 'Tallenna tarjous' }).click();
    await page.getByRole('status').getByText('Tarjous UUSI-1 tallennettiin.').waitFor();
    // Saved: the form is empty again for the next offer.
    expect(await page.getByRole('textbox', { name: 'Koodi', exact: true }).inputValue()).toBe('');
    for (const width of [1280, 320]) {
      await page.setViewportSize({ width, height: 900 });
      expect(await seriousViolations(page)).toEqual([]);
    }
  }, 60_000);

  it("shows an agent a customer's phone offers and records an answer", async () => {
    expect(customer).not.toBe('');
    const page = await h.signedIn('agent');
    await page.goto(`${h.base}/customers/${customer}`);
    const section = page.getByRole('region', { name: 'Offers' });
    await section.getByRole('listitem').first().waitFor();
    // The offer by its heading: the list is ranked again after an answer and may change order.
    const heading = (await section.getByRole('listitem').first().locator('p').first().innerText()).replace(/^\d+\.\s*/, '');
    const first = section.getByRole('listitem').filter({ hasText: heading });
    // Every card has the same two buttons: each is named with the offer it answers, in the page's language.
    const name = heading.split(' — ')[0] ?? '';
    const names = await section.getByRole('button').evaluateAll((buttons) => buttons.map((b) => b.getAttribute('aria-label') ?? b.textContent));
    const cards = await section.getByRole('listitem').count();
    expect(new Set(names).size).toBe(2 * cards);
    expect(names).toContain(`Declined: ${name}`);
    await page.getByLabel('Language').selectOption('fi');
    await page.getByRole('region', { name: 'Tarjoukset' }).getByRole('button', { name: `Hyväksyi: ${name}`, exact: true }).waitFor();
    await page.getByLabel('Kieli').selectOption('sv');
    await page.getByRole('region', { name: 'Erbjudanden' }).getByRole('button', { name: `Antog: ${name}`, exact: true }).waitFor();
    await page.getByLabel('Språk').selectOption('en');
    await section.getByRole('button', { name: `Accepted: ${name}`, exact: true }).click();
    await section.getByRole('status').getByText(/“Accepted” recorded for/).waitFor();
    // Answered: ranked again, the offer is either gone (shown too recently to make again) or shows
    // its answer in place of the buttons; either way it cannot be recorded twice.
    await expect.poll(async () => (await first.count()) === 0 || (await first.getByText('Answer recorded: Accepted').count()) === 1).toBe(true);
    expect(await first.getByRole('button', { name: /^Accepted/ }).count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
    const agentNav = page.getByRole('navigation');
    expect(await agentNav.getByRole('link', { name: 'Offers' }).count()).toBe(1);
  }, 60_000);
});
