/**
 * An agent changes a customer's contact details in Chromium: a mistake is named by its field and
 * nothing changes; a good change is shown at once and audited under the agent with the fields'
 * names; roles that may not write customers get no edit button and a 403 from the server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CustomerId } from '../../src/core/records.ts';
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
    await page.getByLabel('Phone').fill('040 123 4567');
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
});
