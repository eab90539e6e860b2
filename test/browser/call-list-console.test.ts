/**
 * The call list work screen in Chromium: an agent opens a call list (the export's audience), sees
 * the customer, the call script naming the seller and the ranked phone offers, records a sale with
 * a continuous subscription's full price; the written offer reaches the inbox, and the sale is
 * pending: no order until the customer accepts. axe-core at 1280 and 320 px.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DevInbox } from '../../src/channels/email/dev-inbox.ts';
import type { SmtpMessageSender } from '../../src/channels/email/smtp-sender.ts';
import type { CustomerId } from '../../src/core/records.ts';
import { saveDemoOffers } from '../../src/demo/demo-offers.ts';
import { callListPage } from '../../src/use-cases/contact-lists.ts';
import { rankOffers } from '../../src/use-cases/offers/rank-offers.ts';
import { inboxSender } from '../support/sending.ts';
import { browserSkipReason, seriousViolations, startConsole, type ConsoleHarness } from './console-harness.ts';

(browserSkipReason === null ? describe : describe.skip)(`the call list work screen in Chromium${browserSkipReason === null ? '' : ` (${browserSkipReason})`}`, () => {
  let h: ConsoleHarness;
  const inbox = new DevInbox(100);
  let sender: SmtpMessageSender | undefined;
  let customer = { id: '', name: '', postalCode: '', email: '' };
  beforeAll(async () => {
    const { port } = await inbox.start('127.0.0.1', 0);
    h = await startConsole({
      customers: 300,
      mailer: (app) => {
        sender = inboxSender(app, port);
        return sender;
      },
    });
    const people = await h.app.stores.customers.searchCustomers({ limit: 60 });
    await saveDemoOffers(h.app.stores.offers, people.map((c) => c.id), h.app.now());
    // A customer with an e-mail address and phone offers, first on the call list of their postcode.
    for (const c of people) {
      const postalCode = c.address?.postalCode;
      const email = c.emails[0];
      if (postalCode === undefined || email === undefined) continue;
      const ranked = await rankOffers({ ...h.app.stores, settings: h.app.settings, minGroup: 5 }, { customerId: c.id as CustomerId, channel: 'phone', at: h.app.now() });
      if (ranked.offers.length === 0) continue;
      const list = await callListPage({ ...h.app.stores, settings: h.app.settings }, { sku: null, at: h.app.now(), filter: { postalCodePrefixes: [postalCode] }, actor: { actor: 'test', role: 'admin' }, after: null, limit: 1 });
      if (list.rows[0]?.customerId === c.id) {
        customer = { id: c.id, name: c.name, postalCode, email };
        break;
      }
    }
  }, 120_000);
  afterAll(async () => {
    await h?.close();
    await sender?.close();
    await inbox.stop();
  });

  it('lets an agent work a call list and record a sale whose order waits for the written acceptance', async () => {
    expect(customer.id).not.toBe('');
    const page = await h.signedIn('agent');
    await page.getByRole('navigation').getByRole('link', { name: 'Call lists' }).click();
    await page.getByRole('heading', { name: 'Call list', level: 1 }).waitFor();
    await page.getByRole('textbox', { name: 'Name of the list' }).fill('spring-offer');
    await page.getByRole('textbox', { name: 'Postcode areas (e.g. 33,34)' }).fill(customer.postalCode);
    await page.getByRole('search').getByRole('button', { name: 'Apply' }).click();
    await page.getByRole('heading', { name: `1. ${customer.name}` }).waitFor();
    await page.getByText('calling from Lupa').waitFor();
    await page.getByRole('region', { name: 'Offers' }).getByRole('listitem').first().waitFor();

    await page.getByRole('button', { name: 'sale', exact: true }).click();
    const sale = page.getByRole('region', { name: 'Sale' });
    // No terms are read out with a price of 0,00 € before the full price is given.
    await sale.getByText('Give the full monthly price first: the terms to read out name it.').waitFor();
    expect(await sale.getByRole('listitem').filter({ hasText: /0[,.]00/ }).count()).toBe(0);
    await sale.getByRole('button', { name: 'Record the sale and send the offer' }).click();
    await sale.getByText('Give the monthly price after the offer period, e.g. 29,90.').waitFor();
    await sale.getByRole('textbox', { name: /Full price a month/ }).fill('29,90');
    // The terms as the written offer will state them, in the customer's language.
    await sale.getByRole('listitem').filter({ hasText: /29,90\s€|€29\.90/ }).waitFor();
    for (const width of [1280, 320]) {
      await page.setViewportSize({ width, height: 900 });
      expect(await seriousViolations(page)).toEqual([]);
    }
    await page.setViewportSize({ width: 1280, height: 900 });
    await sale.getByRole('button', { name: 'Record the sale and send the offer' }).click();
    await page.getByRole('status').getByText(new RegExp(`the written offer went to ${customer.email.replace(/[.+]/g, '\\$&')}`)).waitFor();

    const [stored] = await h.app.stores.phoneSales.list({ customerId: customer.id as CustomerId, limit: 5 });
    expect(stored).toMatchObject({ state: 'pending', orderId: null, terms: { kind: 'continuous', regularMonthlyCents: 2990 } });
    expect((await h.app.stores.catalogue.ordersOf(customer.id as CustomerId)).map((o) => o.id)).not.toContain(`phone-sale-${stored?.id}`);
    const calls = await h.app.stores.calls.ofCustomer(customer.id as CustomerId, 5);
    expect(calls[0]).toMatchObject({ id: stored?.callId, outcome: 'sale', purpose: 'telesales', callList: 'spring-offer', direction: 'outbound' });
    const mail = (await inbox.list()).find((m) => m.envelopeTo.includes(customer.email));
    expect(mail).toBeDefined();

    await page.getByRole('button', { name: 'Next customer' }).click();
    await page.getByRole('heading', { name: `1. ${customer.name}` }).waitFor({ state: 'detached' });

    // The customer's view shows the sale waiting; the customer accepts on the page the offer links to.
    await page.goto(`${h.base}/customers/${customer.id}`);
    const sales = page.getByRole('region', { name: 'Phone sales' });
    await sales.getByText('waiting for acceptance').waitFor();
    const text = (await inbox.get(mail?.id ?? 0))?.text ?? '';
    const link = /https?:\/\/\S+\/s\/\S+/.exec(text)?.[0] ?? '';
    const acceptance = await h.browser.newPage();
    await acceptance.goto(`${h.base}${new URL(link).pathname}?lang=en`);
    await acceptance.getByRole('listitem').filter({ hasText: /€29\.90 a month/ }).waitFor();
    for (const width of [1280, 320]) {
      await acceptance.setViewportSize({ width, height: 900 });
      expect(await seriousViolations(acceptance)).toEqual([]);
    }
    await acceptance.getByRole('button', { name: 'I accept the offer' }).click();
    await acceptance.getByRole('status').getByText(/You accepted the offer/).waitFor();
    await acceptance.close();
    await page.reload();
    await sales.getByRole('cell', { name: `phone-sale-${stored?.id}` }).waitFor();
    expect((await h.app.stores.catalogue.ordersOf(customer.id as CustomerId)).map((o) => o.id)).toContain(`phone-sale-${stored?.id}`);
  }, 90_000);
});
