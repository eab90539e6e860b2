/**
 * The Ad audiences screen in Chromium: a marketer reaches it from the navigation, creates an
 * audience, opens it and is told in words that the platform is not set up when syncing; an analyst
 * reads it without the controls; an agent has no link to it. axe-core at 1280 and 320 px.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserSkipReason, seriousViolations, startConsole, type ConsoleHarness } from './console-harness.ts';

(browserSkipReason === null ? describe : describe.skip)(`the Ad audiences screen in Chromium${browserSkipReason === null ? '' : ` (${browserSkipReason})`}`, () => {
  let h: ConsoleHarness;
  beforeAll(async () => {
    h = await startConsole({ customers: 300 });
  }, 120_000);
  afterAll(async () => h?.close());

  it('lets a marketer create an audience and says why a sync cannot run', async () => {
    const page = await h.signedIn('marketer');
    await page.getByRole('navigation').getByRole('link', { name: 'Ad audiences' }).click();
    await page.getByRole('heading', { name: 'Ad audiences', level: 1 }).waitFor();
    await page.getByText('No ad audiences yet.').waitFor();
    await page.getByLabel('Name').fill('Kestotilaajat Metaan');
    await page.getByLabel('Audience id on the platform').fill('23851234567890123');
    await page.getByRole('button', { name: 'Create' }).click();
    await page.getByRole('link', { name: 'Kestotilaajat Metaan' }).click();
    await page.getByRole('heading', { name: 'Kestotilaajat Metaan' }).waitFor();
    await page.getByText('Not synced yet.').waitFor();
    await page.getByRole('button', { name: 'Sync now' }).click();
    await page.getByRole('alert').filter({ hasText: 'This platform is not set up on the server' }).waitFor();
    // Nothing was attempted, so nothing is recorded.
    expect(await page.getByText('Not synced yet.').count()).toBe(1);
    for (const width of [1280, 320]) {
      await page.setViewportSize({ width, height: 900 });
      expect(await seriousViolations(page)).toEqual([]);
    }
  }, 60_000);

  it('shows it to an analyst without the controls, and gives an agent no way to it', async () => {
    const analyst = await h.signedIn('analyst');
    await analyst.getByRole('navigation').getByRole('link', { name: 'Ad audiences' }).click();
    await analyst.getByRole('link', { name: 'Kestotilaajat Metaan' }).waitFor();
    expect(await analyst.getByRole('button', { name: 'Create' }).count()).toBe(0);
    expect(await seriousViolations(analyst)).toEqual([]);
    const agent = await h.signedIn('agent');
    await agent.getByRole('navigation').getByRole('link', { name: 'Customers' }).waitFor();
    expect(await agent.getByRole('navigation').getByRole('link', { name: 'Ad audiences' }).count()).toBe(0);
  }, 60_000);
});
