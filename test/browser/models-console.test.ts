/**
 * The Models screen in Chromium: a marketer and an analyst reach it from the navigation and see each
 * model's card with its held-out AUC and the calibration chart with its table; an agent has no link
 * to it. axe-core at 1280 and 320 px.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trainModel } from '../../src/use-cases/predictions/predictions.ts';
import { browserSkipReason, seriousViolations, startConsole, type ConsoleHarness } from './console-harness.ts';

(browserSkipReason === null ? describe : describe.skip)(`the Models screen in Chromium${browserSkipReason === null ? '' : ` (${browserSkipReason})`}`, () => {
  let h: ConsoleHarness;
  let id = 0;
  beforeAll(async () => {
    h = await startConsole({ customers: 400 });
    const model = await trainModel({ predictions: h.app.stores.predictions, now: h.app.now }, { kind: 'churn', horizonDays: 90, asOf: '2026-10-01T00:00:00Z' });
    id = model.id;
  }, 120_000);
  afterAll(async () => h?.close());

  it('shows a marketer the model cards with AUC and the calibration as a chart and a table', async () => {
    const page = await h.signedIn('marketer');
    await page.getByRole('navigation').getByRole('link', { name: 'Models' }).click();
    await page.getByRole('heading', { name: 'Prediction models' }).waitFor();
    const card = page.getByRole('listitem').filter({ hasText: `Model ${id}` });
    await card.getByText(/^AUC \d\.\d{3}$/).waitFor();
    await card.getByText('Churn risk within 90 days').waitFor();
    await page.getByRole('button', { name: `Show calibration: Model ${id}` }).click();
    const table = page.getByRole('region', { name: new RegExp(`Calibration of model ${id}`) });
    await table.getByRole('rowheader', { name: 'Tenth 10' }).waitFor();
    expect(await table.getByRole('row').count()).toBe(11);
    for (const width of [1280, 320]) {
      await page.setViewportSize({ width, height: 900 });
      expect(await seriousViolations(page)).toEqual([]);
    }
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
  }, 60_000);

  it('shows it to an analyst, and gives an agent no way to it', async () => {
    const analyst = await h.signedIn('analyst');
    await analyst.getByRole('navigation').getByRole('link', { name: 'Models' }).click();
    await analyst.getByRole('heading', { name: 'Prediction models' }).waitFor();
    expect(await seriousViolations(analyst)).toEqual([]);
    const agent = await h.signedIn('agent');
    await agent.getByRole('navigation').getByRole('link', { name: 'Customers' }).waitFor();
    expect(await agent.getByRole('navigation').getByRole('link', { name: 'Models' }).count()).toBe(0);
  }, 60_000);
});
