/**
 * The Ad audiences screen in Chromium: a marketer reaches it from the navigation, creates an
 * audience, opens it and is told in words that the platform is not set up when syncing; an analyst
 * reads it without the controls; an agent has no link to it. axe-core at 1280 and 320 px.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserSkipReason, seriousViolations, startConsole, type ConsoleHarness } from './console-harness.ts';
import { startGoogleStandIn, type StandIn } from '../support/ad-platform-stand-ins.ts';

const GOOGLE = { customerId: '1234567890', developerToken: 'developer-token', accessToken: 'google-token' };

(browserSkipReason === null ? describe : describe.skip)(`the Ad audiences screen in Chromium${browserSkipReason === null ? '' : ` (${browserSkipReason})`}`, () => {
  let h: ConsoleHarness;
  // Google is set up (its local stand-in, which finishes a job between two status polls); Meta is not.
  let google: StandIn;
  beforeAll(async () => {
    google = await startGoogleStandIn(GOOGLE);
    h = await startConsole({
      customers: 300,
      env: { LUPA_GOOGLE_ADS_API_URL: google.url, LUPA_GOOGLE_ADS_DEVELOPER_TOKEN: GOOGLE.developerToken, LUPA_GOOGLE_ADS_ACCESS_TOKEN: GOOGLE.accessToken, LUPA_GOOGLE_ADS_CUSTOMER_ID: GOOGLE.customerId },
    });
  }, 120_000);
  afterAll(async () => {
    await h?.close();
    await google?.close();
  });

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

  it("says in the console's language what a new audience lacks, and names the platforms in it", async () => {
    const page = await h.signedIn('marketer');
    await page.getByLabel('Language', { exact: true }).first().selectOption('fi');
    await page.getByRole('navigation').getByRole('link', { name: 'Mainosyleisöt' }).click();
    await page.getByRole('heading', { name: 'Mainosyleisöt', level: 1 }).waitFor();
    const platform = page.getByLabel('Alusta', { exact: true });
    expect(await platform.locator('option').allInnerTexts()).toEqual(['Meta (mukautettu yleisö)', 'Google (asiakaskohdistus)']);
    // Not the browser's own "Please fill out this field." (English whatever the console speaks).
    await page.getByRole('button', { name: 'Luo', exact: true }).click();
    await page.getByText('Anna yleisölle nimi (enintään 200 merkkiä).').waitFor();
    await page.getByText('Anna yleisön tunnus alustalla: vain numeroita, enintään 30.').waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('new-ad-audience-name');
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByLabel('Kieli').selectOption('sv');
    await page.getByText('Ge målgruppen ett namn (högst 200 tecken).').waitFor();
    expect(await page.getByLabel('Plattform', { exact: true }).locator('option').allInnerTexts()).toEqual(['Meta (anpassad målgrupp)', 'Google (kundmatchning)']);
    expect((await h.app.stores.adAudiences.list()).length).toBe(1);
    await page.context().close();
  }, 60_000);

  it('says what Sync now is waiting for while Google applies the job, and then the result', async () => {
    const page = await h.signedIn('marketer');
    await page.getByRole('navigation').getByRole('link', { name: 'Ad audiences' }).click();
    await page.getByLabel('Name').fill('Kestotilaajat Googleen');
    await page.getByLabel('Platform', { exact: true }).selectOption('google');
    await page.getByLabel('Audience id on the platform').fill('5550001234');
    await page.getByRole('button', { name: 'Create' }).click();
    await page.getByRole('link', { name: 'Kestotilaajat Googleen' }).click();
    await page.getByText('Not synced yet.').waitFor();
    await page.getByRole('button', { name: 'Sync now' }).click();
    // Google's job is done at the server's second status poll, seconds later: the page says why it waits, counting.
    const waiting = page.getByRole('status').filter({ hasText: 'Syncing with Google (customer match): the difference goes to Google as a job' });
    await waiting.waitFor({ timeout: 2_000 });
    await waiting.getByText(/\(\d+ seconds? so far\)/).waitFor({ timeout: 3_000 });
    expect(await page.getByRole('button', { name: 'Syncing…' }).isDisabled()).toBe(true);
    await page.getByRole('status').filter({ hasText: /^Synced: [\d,]+ identifiers added, 0 removed\.$/ }).waitFor({ timeout: 30_000 });
    expect(await waiting.count()).toBe(0);
    await page.getByRole('button', { name: 'Sync now' }).waitFor();
    expect(google.violations).toEqual([]);
    expect(await seriousViolations(page)).toEqual([]);
    await page.context().close();
  }, 60_000);
});
