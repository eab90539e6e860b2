/**
 * Interests in the console, in Chromium: an agent sees a customer's stated and inferred interests
 * and records what the customer said (announced, shown at once, audited); the segment builder
 * offers an interest condition and counts it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CustomerId } from '../../src/core/records.ts';
import { saveDemoInterests } from '../../src/demo/demo-interests.ts';
import { browserSkipReason, seriousViolations, startConsole, type ConsoleHarness } from './console-harness.ts';

(browserSkipReason === null ? describe : describe.skip)(`interests in the console in Chromium${browserSkipReason === null ? '' : ` (${browserSkipReason})`}`, () => {
  let h: ConsoleHarness;
  let inferredFor = '';
  beforeAll(async () => {
    h = await startConsole({ customers: 60 });
    await saveDemoInterests(h.app.stores.interests, 60, h.app.now());
    await h.app.stores.interests.refreshInferred(h.app.now(), 180);
    const row = await h.app.database.db.selectFrom('inferred_interests' as never).select('customer_id' as never).orderBy('customer_id' as never).executeTakeFirstOrThrow();
    inferredFor = (row as { customer_id: string }).customer_id;
  }, 120_000);
  afterAll(async () => h?.close());

  it('shows an agent what the customer stated and what we infer, and records what they said', async () => {
    const page = await h.signedIn('agent');
    await page.goto(`${h.base}/customers/C0000007`);
    const stated = page.getByRole('region', { name: 'What the customer told us' });
    await stated.getByRole('cell', { name: 'History' }).waitFor();
    await page.getByLabel('Topic').selectOption({ label: 'Sport' });
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Record interest' }).click();
    await page.getByRole('status').getByText('Recorded: interested in Sport.').waitFor();
    await stated.getByRole('cell', { name: 'Sport' }).waitFor();
    const audit = await h.app.stores.audit.forCustomer('C0000007' as CustomerId);
    expect(audit.map((e) => e.action)).toEqual(expect.arrayContaining(['interests.read', 'interests.record']));

    await page.goto(`${h.base}/customers/${inferredFor}`);
    await page.getByRole('region', { name: 'What we infer from the products they tried' }).getByRole('cell').first().waitFor();
  }, 120_000);

  it('offers an interest condition in the segment builder', async () => {
    const page = await h.signedIn('marketer');
    await page.goto(`${h.base}/segments/new`);
    const kind = page.getByLabel('Condition 1', { exact: true });
    await kind.waitFor();
    await kind.selectOption('interestStated');
    await page.getByLabel('Value of condition 1').selectOption({ label: 'History' });
    expect(await seriousViolations(page)).toEqual([]);
  }, 120_000);
});
