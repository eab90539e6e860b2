/**
 * The Remarketing screen in Chromium: a marketer creates a list in Finnish (a wrong name is named
 * under its field) and sees its size rounded as their role sees it; an analyst reads the list
 * without the means to create or refresh. axe-core on the screen.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Instant } from '../../src/core/records.ts';
import type { VisitorEvent } from '../../src/core/site-events/site-events.ts';
import { browserSkipReason, seriousViolations, startConsole, type ConsoleHarness } from './console-harness.ts';

(browserSkipReason === null ? describe : describe.skip)(`the Remarketing screen in Chromium${browserSkipReason === null ? '' : ` (${browserSkipReason})`}`, () => {
  let h: ConsoleHarness;
  beforeAll(async () => {
    h = await startConsole({ customers: 20 });
    const at = new Date(Date.now() - 3_600_000).toISOString() as Instant;
    // Twelve consenting visitors started an order on /tilaa; none finished.
    const events: VisitorEvent[] = Array.from({ length: 12 }, (_, i) => ({ site: 'uutisvirta.fi', visitorId: `vis_console_${String(i).padStart(8, '0')}`, type: 'track', name: 'subscription_started', page: '/tilaa', slot: null, props: null, clientAt: null, at }));
    await h.app.stores.siteEvents.append({ events, counts: [], identifications: [] });
    await h.app.stores.siteEvents.flush();
  }, 120_000);
  afterAll(async () => h?.close());

  it('lets a marketer create a list in Finnish, naming a wrong field, and shows its rounded size', async () => {
    const page = await h.signedIn('marketer');
    await page.getByLabel('Language', { exact: true }).first().selectOption('fi');
    await page.getByRole('navigation').getByRole('link', { name: 'Uudelleenmarkkinointi' }).click();
    await page.getByRole('heading', { name: 'Uudelleenmarkkinoinnin listat', level: 1 }).waitFor();
    await page.getByRole('textbox', { name: 'Nimi', exact: true }).fill('huono nimi');
    await page.getByRole('textbox', { name: 'Tapahtuma', exact: true }).fill('subscription_started');
    await page.getByRole('textbox', { name: 'Sivut polun alla', exact: true }).fill('/tilaa');
    await page.getByRole('textbox', { name: 'Eikä tehnyt sen jälkeen', exact: true }).fill('subscription_completed');
    await page.getByRole('button', { name: 'Luo', exact: true }).click();
    await page.getByText('Anna 1–80 merkin nimi', { exact: false }).waitFor();
    await page.getByRole('textbox', { name: 'Nimi', exact: true }).fill('tilaus-kesken');
    await page.getByRole('button', { name: 'Luo', exact: true }).click();
    const row = page.getByRole('row', { name: /tilaus-kesken/ });
    await row.waitFor();
    // 12 visitors, shown to a marketer rounded to a multiple of 5.
    expect(await row.innerText()).toContain('noin 10');
    expect(await row.innerText()).toContain('eikä sen jälkeen subscription_completed');
    expect(await seriousViolations(page)).toEqual([]);
    await page.context().close();
  });

  it('shows an analyst the lists without the means to change them', async () => {
    const page = await h.signedIn('analyst');
    await page.getByRole('navigation').getByRole('link', { name: 'Remarketing' }).click();
    await page.getByRole('row', { name: /tilaus-kesken/ }).waitFor();
    expect(await page.getByRole('button', { name: 'Create', exact: true }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /Refresh/ }).count()).toBe(0);
    await page.context().close();
  });
});
