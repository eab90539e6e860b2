/**
 * A campaign template that prints each recipient's best offer (`offer.*`), sent end to end on both
 * stores: every offer a message carries is one the decision engine allows for e-mail marketing of
 * its product to that recipient; a recipient who objected to profiling gets the non-personal
 * default offer without a reason (compliance rule 12); each offer sent is counted as shown.
 */
import { beforeAll, expect, it } from 'vitest';
import { describeEachStore } from '../../../test/support/stores.ts';
import { useSending } from '../../../test/support/sending.ts';
import type { CustomerId, Sku } from '../../core/records.ts';
import { saveDemoOffers } from '../../demo/demo-offers.ts';
import { compileTemplate, type TemplateDefinition } from '../../templates/index.ts';
import { createCampaign, launchCampaign } from '../campaigns.ts';
import { decideForCustomer } from '../decide-for-customer.ts';
import { sendCampaign } from '../send-campaign.ts';

const OFFER_MAIL: TemplateDefinition = {
  id: 'offer-mail',
  kind: 'marketing',
  defaultLocale: 'fi',
  locales: {
    fi: {
      subject: 'Tarjous sinulle, {{ customer.firstName }}',
      mjml: '<mjml><mj-body><mj-section><mj-column><mj-text>Hei {{ customer.firstName }}!</mj-text><mj-text>{% if offer.name %}[offer {{ offer.code }}] {{ offer.explanation }}{% if offer.reason %} [reason: {{ offer.reason }}]{% endif %}{% else %}[no offer]{% endif %}</mj-text></mj-column></mj-section></mj-body></mjml>',
    },
  },
};

describeEachStore('a campaign filled with each recipient’s best offer', (ctx) => {
  const sending = useSending(ctx);
  let objector = '' as CustomerId;

  beforeAll(async () => {
    const app = ctx.app;
    await app.stores.templates.save(OFFER_MAIL.id, OFFER_MAIL, app.now());
    const sample = (await app.stores.customers.searchCustomers({ limit: 60 })).map((c) => c.id);
    await saveDemoOffers(app.stores.offers, sample, app.now());
    // Someone the campaign may mail, who objects to profiling only.
    for (const id of sample) {
      const d = await decideForCustomer({ ...app.stores, settings: app.settings }, { customerId: id, purpose: 'marketing', channel: 'email', sku: 'UV-PRINT-7' as Sku, at: app.now() });
      if (d.allowed) {
        objector = id;
        break;
      }
    }
    await app.stores.ledger.append([{ kind: 'objection', customerId: objector, scope: 'profiling', value: 'objected', at: app.now(), source: 'test', noticeVersion: null, noticeLocale: null, evidenceRef: null }]);
  });

  it('fills each message with an offer the decision allows, personal only where profiling is', async () => {
    const app = ctx.app;
    const deps = { ...sending.deps, minGroup: 5 };
    const shownBefore = (await app.stores.offers.catalogue(app.now())).reduce((n, o) => n + o.stats.shown, 0);
    const campaign = await createCampaign(deps, { name: 'Tarjouskirje', purpose: 'marketing', channel: 'email', sku: 'UV-PRINT-7' as Sku, filter: {}, templateId: OFFER_MAIL.id, from: { name: 'Uutisvirta', address: 'uutiset@lupa.test' } });
    await launchCampaign(deps, { campaignId: campaign.id });
    const summary = await sendCampaign(deps, { campaignId: campaign.id, workerId: 'w', batchSize: 50 });
    expect(summary.sent).toBeGreaterThan(5);
    const arrived = await sending.arrivedFor(campaign.id);
    const customers = await app.stores.customers.searchCustomers({ limit: 1000 });
    const byEmail = new Map(customers.flatMap((c) => c.emails.map((e) => [e, c.id] as const)));
    const catalogue = await app.stores.offers.catalogue(app.now());
    let withOffer = 0;
    let withReason = 0;
    for (const m of arrived) {
      const customerId = byEmail.get(m.envelopeTo[0] ?? '') as CustomerId;
      const code = /\[offer ([A-Z0-9-]+)\]/.exec(m.text ?? m.html)?.[1];
      if (code === undefined) continue;
      withOffer++;
      if ((m.text ?? m.html).includes('[reason:')) withReason++;
      const offer = catalogue.find((o) => o.code === code);
      const d = await decideForCustomer({ ...app.stores, settings: app.settings }, { customerId, purpose: 'marketing', channel: 'email', sku: offer?.sku as Sku, at: app.now() });
      expect(d.allowed, `${customerId} ${code}`).toBe(true);
      if (customerId === objector) expect(m.text ?? m.html).not.toContain('[reason:');
    }
    expect(withOffer).toBeGreaterThan(0);
    expect(withReason).toBeGreaterThan(0);
    const objectorMail = arrived.find((m) => byEmail.get(m.envelopeTo[0] ?? '') === objector);
    expect(objectorMail).toBeDefined();
    expect(objectorMail?.text ?? objectorMail?.html).not.toContain('[reason:');
    // Each offer sent is counted as shown, naming the campaign.
    const shownAfter = (await app.stores.offers.catalogue(app.now())).reduce((n, o) => n + o.stats.shown, 0);
    expect(shownAfter - shownBefore).toBe(withOffer);
  });

  it('refuses a service campaign on a stored service template that prints the offer, at create and at launch (rule 1)', async () => {
    const app = ctx.app;
    const deps = { ...sending.deps, minGroup: 5 };
    // Stored as an older Lupa stored it, before the compiler refused it.
    const older: TemplateDefinition = {
      id: 'disruption-offer',
      kind: 'service',
      defaultLocale: 'fi',
      locales: { fi: { subject: 'Jakeluhäiriö', mjml: '<mjml><mj-body><mj-section><mj-column><mj-text>Lehti myöhästyy.</mj-text>\n<mj-text>{% if offer.name %}{{ offer.explanation }}{% endif %}</mj-text></mj-column></mj-section></mj-body></mjml>' } },
    };
    await app.stores.templates.save(older.id, older, app.now());
    const input = { name: 'Svc with offer', purpose: 'service' as const, channel: 'email' as const, sku: null, filter: {}, templateId: older.id, from: { name: 'Uutisvirta', address: 'uutiset@lupa.test' } };
    await expect(createCampaign(deps, input)).rejects.toMatchObject({ code: 'TEMPLATE_INVALID', field: 'locales.fi.mjml', details: { variable: 'offer.name', line: 2 } });
    // A draft created on the template before it printed the offer, launched after it was changed.
    await app.stores.templates.save(older.id, { ...older, locales: { fi: { subject: 'Jakeluhäiriö', mjml: '<mjml><mj-body><mj-section><mj-column><mj-text>Lehti myöhästyy.</mj-text></mj-column></mj-section></mj-body></mjml>' } } }, app.now());
    const draft = await createCampaign(deps, input);
    await app.stores.templates.save(older.id, older, app.now());
    const shownBefore = (await app.stores.offers.catalogue(app.now())).reduce((n, o) => n + o.stats.shown, 0);
    await expect(launchCampaign(deps, { campaignId: draft.id })).rejects.toMatchObject({ code: 'TEMPLATE_INVALID', field: 'locales.fi.mjml' });
    expect(await sending.arrivedFor(draft.id)).toHaveLength(0);
    expect((await app.stores.offers.catalogue(app.now())).reduce((n, o) => n + o.stats.shown, 0)).toBe(shownBefore);
  });

  it('refuses a template that reads a field an offer does not have, naming it', async () => {
    const bad: TemplateDefinition = { ...OFFER_MAIL, id: 'bad-offer', locales: { fi: { subject: 'x', mjml: '<mjml><mj-body><mj-section><mj-column><mj-text>{{ offer.margin }}</mj-text></mj-column></mj-section></mj-body></mjml>' } } };
    await expect(compileTemplate(bad)).rejects.toMatchObject({ code: 'TEMPLATE_INVALID', details: { variable: 'offer.margin' } });
  });
});
