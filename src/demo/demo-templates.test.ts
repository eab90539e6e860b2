/** The demo templates: the ones docs/examples shows, compiled, and enough for the README's first campaigns. */
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { expect, it } from 'vitest';
import type { CustomerId, Sku } from '../core/records.ts';
import { runImport } from '../import/run-import.ts';
import { compileTemplate, render } from '../templates/index.ts';
import { previewForCustomer } from '../use-cases/template-preview.ts';
import { createCampaign, launchCampaign } from '../use-cases/campaigns.ts';
import { describeEachStore } from '../../test/support/stores.ts';
import { DEMO_TEMPLATES, saveDemoTemplates } from './demo-templates.ts';
import { demoToNdjson } from './generate-demo.ts';

it('are the templates docs/examples gives, and compile', async () => {
  for (const t of DEMO_TEMPLATES) {
    expect(JSON.parse(readFileSync(new URL(`../../docs/examples/${t.id}.json`, import.meta.url), 'utf8'))).toEqual(t);
    expect((await compileTemplate(t)).id).toBe(t.id);
  }
});

const GREETINGS = { fi: ['Hei Aino!', 'Hei, Rannikon Kuljetus Oy!'], sv: ['Hej Aino!', 'Hej, Rannikon Kuljetus Oy!'], en: ['Hello Aino!', 'Hello, Rannikon Kuljetus Oy!'] } as const;

it('greet a person by first name and a business by its name, never by the first word of the company name, in fi, sv and en', async () => {
  const links = { unsubscribe: 'https://lupa.example/u/x', preferences: 'https://lupa.example/p/x' };
  for (const t of DEMO_TEMPLATES) {
    const compiled = await compileTemplate(t);
    for (const [locale, [person, business]] of Object.entries(GREETINGS)) {
      const toPerson = render(compiled, { customer: { name: 'Aino Virtanen', locale, kind: 'person' }, product: { name: 'Uutisvirta' }, links, locale });
      const toBusiness = render(compiled, { customer: { name: 'Rannikon Kuljetus Oy', locale, kind: 'business' }, product: { name: 'Uutisvirta' }, links, locale });
      expect(toPerson.locale).toBe(locale);
      expect(toPerson.text).toContain(person.replace('!', ''));
      expect(toBusiness.text).toContain(business.replace('!', ''));
      expect(`${toBusiness.subject}\n${toBusiness.text}`).not.toMatch(/\b(Hei|Hej|Hello) Rannikon\b|, Rannikon\b(?! Kuljetus)/);
    }
  }
});

describeEachStore('the demo templates', (ctx) => {
  it('let the README\'s two first campaigns be created and launched as written, and are stored once', async () => {
    await runImport({ database: ctx.app.database, settings: ctx.app.settings, now: ctx.app.now }, { stream: Readable.from(demoToNdjson({ customers: 200, seed: 1 })), format: 'ndjson' });
    expect(await saveDemoTemplates(ctx.app.stores.templates, ctx.app.now())).toEqual(['autumn', 'disruption']);
    expect(await saveDemoTemplates(ctx.app.stores.templates, ctx.app.now())).toEqual([]);
    const deps = { ...ctx.app.stores, settings: ctx.app.settings, sending: ctx.app.sending, now: ctx.app.now };
    const offer = await createCampaign(deps, { name: 'Syystarjous', purpose: 'marketing', channel: 'email', sku: 'UV-PRINT-7' as Sku, filter: {}, templateId: 'autumn' });
    const notice = await createCampaign(deps, { name: 'Jakeluhäiriö', purpose: 'service', channel: 'email', sku: null, filter: { postalCodePrefixes: ['33', '34', '35'] }, templateId: 'disruption' });
    expect((await launchCampaign(deps, { campaignId: offer.id })).campaign.purposes).toEqual(['marketing']);
    expect((await launchCampaign(deps, { campaignId: notice.id })).campaign.purposes).toEqual(['service']);
  });

  it('greet a business of the demo data by its name in a preview, as the sender does', async () => {
    // The demo data and templates the test above stored.
    const business = await ctx.app.database.db.selectFrom('customers').select(['id', 'name']).where('kind', '=', 'business').orderBy('id').limit(1).executeTakeFirstOrThrow();
    const firstWord = business.name.split(' ')[0] ?? '';
    const preview = await previewForCustomer(ctx.app.stores, { templateId: 'autumn', customerId: business.id as CustomerId });
    expect(preview.text).toContain(business.name);
    expect(preview.text).not.toMatch(new RegExp(`(Hei|Hej|Hello) ${firstWord}!`));
    expect(preview.subject).not.toContain(`, ${firstWord}`);
  });
});
