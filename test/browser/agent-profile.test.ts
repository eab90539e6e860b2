/**
 * An agent changes a customer's contact details in Chromium: a mistake is named by its field and
 * nothing changes; a good change is shown at once and audited under the agent with the fields'
 * names; roles that may not write customers get no edit button and a 403 from the server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CustomerId, Instant, OrderId, Sku } from '../../src/core/records.ts';
import { createCustomer } from '../../src/use-cases/customers.ts';
import { appendLedgerEntry } from '../../src/use-cases/ledger-entries.ts';
import { browserSkipReason, docsScreenshot, seriousViolations, startConsole, type ConsoleHarness } from './console-harness.ts';

(browserSkipReason === null ? describe : describe.skip)(`an agent edits contact details in Chromium${browserSkipReason === null ? '' : ` (${browserSkipReason})`}`, () => {
  let h: ConsoleHarness;
  beforeAll(async () => {
    h = await startConsole({ customers: 10 });
  }, 120_000);
  afterAll(async () => h?.close());

  it('names a wrong field and changes nothing, then saves a good change, audited under the agent', async () => {
    const page = await h.signedIn('agent');
    await page.goto(`${h.base}/customers/C0000004`);
    await page.getByRole('button', { name: 'Edit contact details' }).click();
    await page.getByLabel('Postal code').fill('not a code!');
    await page.getByLabel('Street address').fill('Mannerheimintie 1');
    await page.getByLabel('City').fill('Helsinki');
    await page.getByRole('button', { name: 'Save changes' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('address.postalCode');
    expect((await h.app.stores.customers.getCustomer('C0000004' as CustomerId))?.address?.street).not.toBe('Mannerheimintie 1');

    await page.getByLabel('Postal code').fill('00100');
    await page.getByLabel('Phone', { exact: true }).fill('040 123 4567');
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('cell', { name: 'Mannerheimintie 1, 00100 Helsinki' }).waitFor();
    await page.getByRole('cell', { name: '+358401234567' }).waitFor();
    await docsScreenshot(page, 'console-customer');
    const agentId = (await h.app.stores.consoleUsers.userByEmail('agent@lupa.example'))?.id;
    const audit = await h.app.stores.audit.forCustomer('C0000004' as CustomerId);
    expect(audit.some((e) => e.actor === agentId && e.action === 'customers.update')).toBe(true);
  }, 120_000);

  it('gives a DPO no edit button, and the server refuses the DPO’s change', async () => {
    const page = await h.signedIn('dpo');
    await page.goto(`${h.base}/customers/C0000004`);
    await page.getByRole('heading', { name: 'May we?' }).waitFor();
    expect(await page.getByRole('button', { name: 'Edit contact details' }).count()).toBe(0);
    const status = await page.evaluate(async () => {
      const session = (await (await fetch('/v1/session')).json()) as { csrfToken: string };
      return (await fetch('/v1/customers/C0000004', { method: 'PATCH', headers: { 'content-type': 'application/json', 'x-csrf-token': session.csrfToken }, body: JSON.stringify({ name: 'Changed' }) })).status;
    });
    expect(status).toBe(403);
  }, 120_000);

  it("shows the customer's orders and ledger as timelines, newest first by Helsinki day, in the chosen language", async () => {
    const deps = { customers: h.app.stores.customers, ledger: h.app.stores.ledger, now: h.app.now };
    await createCustomer(deps, { id: 'T0000001', kind: 'person', name: 'Tiina Aikajana', email: 'tiina.aikajana@example.fi' });
    const order = (id: string, sku: string, startedAt: string, endedAt: string | null) =>
      h.app.stores.catalogue.upsertOrder({ id: id as OrderId, customerId: 'T0000001' as CustomerId, sku: sku as Sku, startedAt: startedAt as Instant, endedAt: endedAt as Instant | null, soldVia: 'telesales', optOutOffered: true });
    await order('T-OLD', 'JS-PRINT', '2024-02-01T10:00:00.000Z', '2025-01-31T10:00:00.000Z');
    await order('T-NEW', 'UV-PRINT-7', '2025-06-01T05:30:00.000Z', null);
    // 23.30 UTC on 14 September is already 15 September in Helsinki.
    await appendLedgerEntry(deps, { customerId: 'T0000001', entry: { kind: 'consent', purpose: 'marketing', channel: 'email', value: 'granted', at: '2025-05-02T09:00:00.000Z' as Instant, source: 'web_form', noticeVersion: 'v3', noticeLocale: 'fi' } });
    await appendLedgerEntry(deps, { customerId: 'T0000001', entry: { kind: 'objection', scope: 'direct_marketing', at: '2025-09-14T23:30:00.000Z' as Instant, source: 'letter', evidenceRef: 'letter 14.9.' } });

    const page = await h.signedIn('agent');
    await page.goto(`${h.base}/customers/T0000001`);
    const orders = page.getByRole('list', { name: 'Orders and subscriptions' });
    await orders.getByText('Uutisvirta 7 pv').first().waitFor();
    const orderEntries = await orders.locator('.lupa-timeline-entry').allTextContents();
    expect(orderEntries).toHaveLength(3);
    expect(orderEntries[0]).toMatch(/^08:30 Ordered Uutisvirta 7 pv \(daily newspaper\): subscription started \(sold via: telesales\)/);
    expect(orderEntries[1]).toContain('Subscription to Järvimaan Sanomat (regional');
    expect(orderEntries[2]).toContain('Ordered Järvimaan Sanomat');
    expect(await orders.locator('time[datetime="2025-06-01"]').count()).toBe(1);

    const ledger = page.getByRole('list', { name: 'Consents and objections' });
    const ledgerEntries = await ledger.locator('.lupa-timeline-entry').allTextContents();
    expect(ledgerEntries).toHaveLength(2);
    expect(ledgerEntries[0]).toMatch(/^02:30 Objected to direct marketing.*source: letter.*no privacy notice version.*evidence: letter 14\.9\./);
    expect(ledgerEntries[1]).toMatch(/^12:00 Consented to marketing by e-mail.*source: web form.*privacy notice v3 \(FI\)/);
    expect(await ledger.locator('time[datetime="2025-09-15"]').count()).toBe(1);
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByLabel('Language').selectOption('fi');
    await page.getByRole('list', { name: 'Tilaukset' }).getByText('Tilasi tuotteen Uutisvirta 7 pv').waitFor();
    expect(await page.getByRole('list', { name: /^Suostumukset/ }).locator('time[datetime="2025-09-15"]').textContent()).toBe('maanantai 15. syyskuuta 2025');
    expect(await seriousViolations(page)).toEqual([]);
  }, 120_000);
});
