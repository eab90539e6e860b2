/**
 * The Models screen in Chromium: a marketer and an analyst reach it from the navigation and see each
 * model's card with its held-out AUC and the calibration chart with its table, its tenths' labels
 * drawn whole in each language; an agent has no link to it. axe-core at 1280 and 320 px. A marketer
 * trains a model from the screen (a status line while the request runs, then the new model's AUC,
 * size and calibration) and computes its scores, after which its card says it ranks offers; the
 * server's refusal is said under the field it names; an analyst may train too.
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
    // A churn model ranks no offers.
    expect(await card.getByText('Used for offers').count()).toBe(0);
    await page.getByRole('button', { name: `Show calibration: Model ${id}` }).click();
    const table = page.getByRole('region', { name: new RegExp(`Calibration of model ${id}`) });
    await table.getByRole('rowheader', { name: 'Tenth 10' }).waitFor();
    expect(await table.getByRole('row').count()).toBe(11);
    // How many outcomes the AUC rests on, with a caution when they are few.
    const stored = await h.app.stores.predictions.model(id);
    const bins = stored?.calibration ?? [];
    const outcomes = Math.round(bins.reduce((sum, b) => sum + b.customers * b.observed, 0));
    const measured = bins.reduce((sum, b) => sum + b.customers, 0);
    await page.getByText(`In the held-out period ${outcomes.toLocaleString('en')} of the ${measured.toLocaleString('en')} customers measured did what the model predicts.`).waitFor();
    expect(await page.getByText('Too few outcomes to judge this model').count()).toBe(outcomes < 30 ? 1 : 0);
    for (const width of [1280, 320]) {
      await page.setViewportSize({ width, height: 900 });
      expect(await seriousViolations(page)).toEqual([]);
    }
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
  }, 60_000);

  it('draws every tenth\'s label whole inside the calibration chart, in Finnish, Swedish and English', async () => {
    const page = await h.signedIn('analyst');
    await page.setViewportSize({ width: 1280, height: 900 });
    // Each language is chosen under the label of the one before it.
    const languages = [
      ['Language', 'fi', 'Mallit', 'Kymmenys 10'],
      ['Kieli', 'sv', 'Modeller', 'Tiondel 10'],
      ['Språk', 'en', 'Models', 'Tenth 10'],
    ] as const;
    for (const [choose, lang, nav, label] of languages) {
      await page.getByLabel(choose, { exact: true }).selectOption(lang);
      await page.getByRole('navigation').getByRole('link', { name: nav }).click();
      const chart = page.locator('figure .lupa-chart svg.recharts-surface', { has: page.locator('.recharts-yAxis') });
      await chart.getByText(label, { exact: true }).waitFor({ state: 'attached' });
      // Each label's left edge is inside the chart (an SVG cuts what lies outside it), and none is shortened.
      const labels = await chart.evaluate((svg) => {
        const left = svg.getBoundingClientRect().left;
        return Array.from(svg.querySelectorAll('text[text-anchor="end"]')).map((t) => ({ text: t.textContent, inside: t.getBoundingClientRect().left >= left }));
      });
      expect(labels.map((l) => l.text)).toEqual(Array.from({ length: 10 }, (_, i) => label.replace('10', String(i + 1))));
      expect(labels.filter((l) => !l.inside)).toEqual([]);
    }
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

  it('lets a marketer train a model, see it under way and its result, and compute its scores', async () => {
    const page = await h.signedIn('marketer');
    await page.getByRole('navigation').getByRole('link', { name: 'Models' }).click();
    const form = page.getByRole('form', { name: 'Train a model' });
    await form.getByLabel('What the model predicts').selectOption('propensity');
    await form.getByLabel('Product category').selectOption({ label: 'daily newspaper' });
    await form.getByLabel('Horizon (days)').fill('90');
    // A day in the future is refused, and said under its field.
    await form.getByLabel('Records as of (day)').fill('2099-01-01');
    await form.getByRole('button', { name: 'Train' }).click();
    await form.getByText('The day must not be in the future.').waitFor();
    await form.getByLabel('Records as of (day)').fill('2026-10-01');
    // The request is held until the status line has been seen, so the check cannot race it.
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/v1/predictions/models', async (route) => {
      if (route.request().method() === 'POST') await held;
      await route.continue();
    });
    await form.getByRole('button', { name: 'Train' }).click();
    await page.getByRole('status').getByText(/^Training the model/).waitFor();
    release();
    const done = page.getByRole('status').filter({ hasText: /^Model \d+ trained/ });
    await done.waitFor();
    const trainedId = Number(/^Model (\d+) trained/.exec((await done.textContent()) ?? '')?.[1]);
    expect(trainedId).toBeGreaterThan(id);
    expect(await done.textContent()).toMatch(/: AUC \d\.\d{3} · Learnt from [\d,]+ customers, measured on [\d,]+/);
    const stored = await h.app.stores.predictions.model(trainedId);
    expect([stored?.kind, stored?.category, stored?.horizonDays, stored?.asOf]).toEqual(['propensity', 'daily', 90, '2026-09-30T21:00:00.000Z']);
    const card = page.getByRole('listitem').filter({ hasText: `Model ${trainedId}` });
    await card.getByText('Propensity: daily newspaper within 90 days').waitFor();
    await page.getByRole('region', { name: new RegExp(`Calibration of model ${trainedId}`) }).getByRole('rowheader', { name: 'Tenth 10' }).waitFor();

    await card.getByText('No scores computed yet').waitFor();
    expect(await card.getByText('Used for offers').count()).toBe(0);
    await page.getByRole('button', { name: `Compute scores: Model ${trainedId}` }).click();
    const scored = page.getByText(new RegExp(`^Scores of model ${trainedId} computed for [\\d,]+ customers`));
    await scored.waitFor();
    await card.getByText(/^Scores computed /).waitFor();
    // Its scores now rank the daily papers' offers, and the card says so.
    await card.getByText('Used for offers').waitFor();
    await card.getByText('Its scores rank the offers in the category “daily newspaper”: the latest model of the category with scores computed.').waitFor();
    expect(await h.app.stores.predictions.model(trainedId).then((m) => m?.scoredAt)).not.toBeNull();
    expect(await seriousViolations(page)).toEqual([]);
  }, 120_000);

  it('lets an analyst train a model, and says in Finnish what is wrong with a horizon', async () => {
    const page = await h.signedIn('analyst');
    await page.getByLabel('Language').selectOption('fi');
    await page.getByRole('navigation').getByRole('link', { name: 'Mallit' }).click();
    const form = page.getByRole('form', { name: 'Opeta malli' });
    await form.getByLabel('Mitä malli ennustaa').selectOption('churn');
    await form.getByLabel('Aikaväli (päivää)').fill('kolme');
    await form.getByRole('button', { name: 'Opeta' }).click();
    await form.getByText(/^Anna aikaväli kokonaisina päivinä/).waitFor();
    await form.getByLabel('Aikaväli (päivää)').fill('60');
    await form.getByLabel('Tiedot päivältä').fill('2026-10-01');
    await form.getByRole('button', { name: 'Opeta' }).click();
    await page.getByRole('status').filter({ hasText: /^Malli \d+ opetettu/ }).waitFor();
  }, 120_000);
});
