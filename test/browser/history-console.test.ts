/**
 * The customer's history in the console, in Chromium: an agent sees one timeline across the
 * sources, newest first, loads older entries a page at a time, narrows it with the filter chips
 * (Finnish texts too), every page read audited; a marketer gets no History section.
 */
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CustomerId } from '../../src/core/records.ts';
import type { TimelineTables } from '../../src/storage/timeline/source.ts';
import { seedHistory } from '../support/timeline-fixture.ts';
import { browserSkipReason, seriousViolations, startConsole, type ConsoleHarness } from './console-harness.ts';

const CUSTOMER = 'C0000003';

(browserSkipReason === null ? describe : describe.skip)(`the customer's history in Chromium${browserSkipReason === null ? '' : ` (${browserSkipReason})`}`, () => {
  let h: ConsoleHarness;
  beforeAll(async () => {
    h = await startConsole({ customers: 10 });
    const customer = await h.app.stores.customers.getCustomer(CUSTOMER as CustomerId);
    await seedHistory(h.app.database.db as unknown as Kysely<TimelineTables>, { customerId: CUSTOMER, email: customer?.emails[0] ?? 'x@example.fi', rounds: 5, newest: Date.parse('2026-11-20T10:00:00.000Z') });
  }, 120_000);
  afterAll(async () => h?.close());

  it('shows an agent one timeline that pages with "Load more" and narrows by kind, each page audited', async () => {
    const page = await h.signedIn('agent');
    await page.goto(`${h.base}/customers/${CUSTOMER}`);
    const history = page.getByRole('list', { name: 'History', exact: true });
    const entries = history.locator('.lupa-timeline-entry');
    await entries.first().waitFor();
    expect(await entries.count()).toBe(25);
    // Newest first: the seeded history's newest minute, every source at the same time.
    const texts = await entries.allTextContents();
    expect(texts.some((x) => /Offer “Three months” shown/.test(x))).toBe(true);
    expect(texts.some((x) => /Ticket #\d+ solved: Question 0/.test(x))).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('heading', { name: 'History', exact: true }).scrollIntoViewIfNeeded();

    await page.getByRole('button', { name: 'Load more' }).click();
    await history.locator('.lupa-timeline-entry').nth(25).waitFor();
    expect(await entries.count()).toBe(50);

    // Mantine's chip is a label over a visually hidden checkbox: a person clicks the label.
    await page.locator('label', { hasText: 'Calls and recordings' }).click();
    expect(await page.getByRole('checkbox', { name: 'Calls and recordings' }).isChecked()).toBe(true);
    await page.waitForFunction(() => {
      const list = document.querySelector('ol[aria-label="History"]');
      const shown = Array.from(list?.querySelectorAll('.lupa-timeline-entry') ?? [], (li) => li.textContent ?? '');
      return shown.length === 15 && shown.every((x) => /call|Call recorded|Sale of/.test(x));
    });
    expect(await page.getByRole('button', { name: 'Load more' }).count()).toBe(0);
    // Each recording with its player (the audio is read, and audited, only when played).
    expect(await history.getByLabel(/^Play the call recorded /).count()).toBe(5);
    expect(await seriousViolations(page)).toEqual([]);

    const audit = await h.app.stores.audit.forCustomer(CUSTOMER as CustomerId);
    const reads = audit.filter((e) => e.action === 'customers.timeline');
    expect(reads.map((e) => e.detail['kinds'])).toEqual(['all', 'all', 'call,recording,phone_sale']);
    expect(reads.every((e) => e.role === 'agent')).toBe(true);
  }, 120_000);

  it('speaks Finnish to a Finnish agent', async () => {
    const page = await h.signedIn('agent');
    await page.goto(`${h.base}/customers/${CUSTOMER}`);
    await page.getByLabel('Language').selectOption('fi');
    await page.getByRole('heading', { name: 'Historia', exact: true }).waitFor();
    await page.getByRole('list', { name: 'Historia', exact: true }).getByText(/Tarjous ”Three months” näytetty/).first().waitFor();
    expect(await page.getByRole('button', { name: 'Lataa lisää' }).count()).toBe(1);
  }, 120_000);

  it('shows a marketer no history, and the server refuses the marketer the timeline', async () => {
    const page = await h.signedIn('marketer');
    const status = await page.evaluate(async (id) => (await fetch(`/v1/customers/${id}/timeline`)).status, CUSTOMER);
    expect(status).toBe(403);
  }, 120_000);
});
