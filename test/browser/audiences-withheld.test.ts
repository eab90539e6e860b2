/**
 * Withheld counts in Chromium: an analyst's audience of a small segment shows each count the server
 * withholds as "withheld" in the tables (never a false 0), with the note saying why.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserSkipReason, startConsole, type ConsoleHarness } from './console-harness.ts';

(browserSkipReason === null ? describe : describe.skip)(`withheld counts in Chromium${browserSkipReason === null ? '' : ` (${browserSkipReason})`}`, () => {
  let h: ConsoleHarness;
  let segment = 0;
  beforeAll(async () => {
    h = await startConsole({ customers: 400 });
    // The customers of the most common city: a group where some reasons count only a few.
    const all = await h.app.stores.customers.searchCustomers({ limit: 400 });
    const cities = new Map<string, number>();
    for (const c of all) if (c.address !== null) cities.set(c.address.city, (cities.get(c.address.city) ?? 0) + 1);
    const city = [...cities.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? '';
    segment = (await h.app.stores.segments.create({ name: 'One city', description: null, rule: { attribute: 'city', equals: city }, createdBy: 'test', at: h.app.now() })).id;
    await h.app.stores.segments.recompute(segment, h.app.now());
  }, 120_000);
  afterAll(async () => h?.close());

  it('says "withheld" where the server withholds a count', async () => {
    const page = await h.signedIn('analyst');
    const answer = await page.evaluate(async (id) => (await fetch(`/v1/audience?purpose=marketing&channel=email&segment=${id}`)).json(), segment);
    const withheld = [...Object.entries(answer.byBasis as Record<string, number | null>), ...Object.entries(answer.blocked as Record<string, number | null>)].filter(([, n]) => n === null);
    expect(withheld.length).toBeGreaterThan(0);
    await page.goto(`${h.base}/audiences?purpose=marketing&channel=email&segment=${segment}`);
    await page.getByText(/Counts of fewer than 5 people are withheld/).waitFor();
    const cells = await page.locator('table tbody tr td').allInnerTexts();
    expect(cells.filter((c) => c.trim() === 'withheld').length).toBe(withheld.length);
    expect(cells).not.toContain('0');
    await page.context().close();
  });
});
