/**
 * The template editor in Chromium: a marketer writes a new template, sees it rendered for a chosen
 * customer while typing, is shown a mistake at its line in their language, and saves; an analyst
 * reads templates but gets no editor controls, and the server refuses the analyst's save.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CustomerId, Instant } from '../../src/core/records.ts';
import { browserSkipReason, docsScreenshot, seriousViolations, startConsole, type ConsoleHarness } from './console-harness.ts';

(browserSkipReason === null ? describe : describe.skip)(`the template editor in Chromium${browserSkipReason === null ? '' : ` (${browserSkipReason})`}`, () => {
  let h: ConsoleHarness;
  beforeAll(async () => {
    h = await startConsole({ customers: 10 });
    const at = '2026-01-01T00:00:00.000Z' as Instant;
    await h.app.stores.customers.insertCustomer({ id: 'TB1' as CustomerId, kind: 'person', name: 'Aino Virtanen', emails: ['aino@example.fi'], phones: [], address: null, locale: 'fi', createdAt: at, updatedAt: at });
  }, 120_000);
  afterAll(async () => h?.close());

  it('writes, previews for a customer, shows a mistake at its line, and saves a new template', async () => {
    const page = await h.signedIn('marketer');
    await page.getByRole('navigation').getByRole('link', { name: 'Templates' }).click();
    await page.getByRole('link', { name: 'New template' }).click();
    // Nothing typed yet: no error is shown for the subject still missing.
    await page.getByLabel('Template id').waitFor();
    await new Promise((r) => setTimeout(r, 1000));
    expect(await page.getByRole('alert').count()).toBe(0);
    // The body is previewed before a subject is typed.
    await page.frameLocator('iframe[title="The message as the customer would see it"]').getByText('Hei Aino!').waitFor({ timeout: 10_000 });
    await page.getByLabel('Template id').fill('winter-offer');
    await page.getByLabel('Subject').fill('Talvitarjous, {{ customer.firstName }}');
    // No customer chosen: a sample name fills it, and nobody's data is read.
    await page.frameLocator('iframe[title="The message as the customer would see it"]').getByText('Hei Aino!').waitFor();
    expect(await h.app.stores.audit.forCustomer('TB1' as CustomerId)).toEqual([]);
    await page.getByLabel('Customer id').fill('TB1');
    const frame = page.frameLocator('iframe[title="The message as the customer would see it"]');
    await frame.getByText('Hei Aino!').waitFor();
    await page.getByText('Talvitarjous, Aino').waitFor();
    for (const width of [1280, 320]) {
      await page.setViewportSize({ width, height: 900 });
      expect(await seriousViolations(page)).toEqual([]);
    }
    await page.setViewportSize({ width: 1280, height: 900 });

    const mjml = page.getByLabel('Message (MJML with Liquid)');
    const source = await mjml.inputValue();
    await mjml.fill(source.replace('<mj-text>Hei {{ customer.firstName }}!</mj-text>', '<mj-text>Hei {{ customer.firstName }}!</mj-text>\n        <mj-text>{{ customer.shoeSize }}</mj-text>'));
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('In the Finnish text, line 6');
    expect(await alert.textContent()).toContain('shoeSize');
    await mjml.fill(source.replace('Hei {{ customer.firstName }}!', 'Hei {{ customer.firstName }}, talvi tulee!'));
    await frame.getByText('Hei Aino, talvi tulee!').waitFor();
    await docsScreenshot(page, 'console-template-editor');
    await page.getByRole('button', { name: 'Save template' }).click();
    await page.getByRole('heading', { name: 'Template winter-offer' }).waitFor();
    const stored = (await h.app.stores.templates.get('winter-offer')) as { locales: { fi: { mjml: string } } };
    expect(stored.locales.fi.mjml).toContain('talvi tulee');
  }, 120_000);

  it('lets an analyst read templates without editor controls, and refuses the analyst’s save on the server', async () => {
    await h.app.stores.templates.save('readable', { id: 'readable', kind: 'service', defaultLocale: 'fi', locales: { fi: { subject: 'Tiedote', mjml: '<mjml><mj-body><mj-section><mj-column><mj-text>Jakelu</mj-text></mj-column></mj-section></mj-body></mjml>' } } }, '2026-01-01T00:00:00.000Z' as Instant);
    const page = await h.signedIn('analyst');
    await page.getByRole('navigation').getByRole('link', { name: 'Templates' }).click();
    await page.getByRole('link', { name: 'readable' }).click();
    await page.getByRole('heading', { name: 'Template readable' }).waitFor();
    await page.getByText('Your role may not preview templates').waitFor();
    expect(await page.getByRole('button', { name: 'Save template' }).count()).toBe(0);
    expect(await page.getByRole('link', { name: 'New template' }).count()).toBe(0);
    await page.goto(`${h.base}/templates/new`);
    await page.getByText('Your role may not do this').waitFor();
    expect(await page.getByLabel('Template id').count()).toBe(0);
    const status = await page.evaluate(async () => {
      const session = (await (await fetch('/v1/session')).json()) as { csrfToken: string };
      const res = await fetch('/v1/templates/readable', { method: 'PUT', headers: { 'content-type': 'application/json', 'x-csrf-token': session.csrfToken }, body: JSON.stringify({ id: 'readable', kind: 'service', defaultLocale: 'fi', locales: { fi: { subject: 'x', mjml: '<mjml><mj-body></mj-body></mjml>' } } }) });
      return res.status;
    });
    expect(status).toBe(403);
  }, 120_000);
});
