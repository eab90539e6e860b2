/**
 * Writing templates over the API, on both stores: saved only when they compile (the error names the
 * field and the line), never while a campaign is sending them, and previewed before they are saved
 * (audited, as any preview that uses a customer's data).
 */
import { beforeAll, expect, it } from 'vitest';
import { describeEachStore } from '../../test/support/stores.ts';
import type { CustomerId, Instant } from '../core/records.ts';
import { createCampaign, launchCampaign } from '../use-cases/campaigns.ts';
import { json, useClient } from './testing.ts';

const T0 = '2025-01-01T00:00:00.000Z' as Instant;
const mjml = (body: string) => `<mjml><mj-body><mj-section><mj-column>\n${body}\n</mj-column></mj-section></mj-body></mjml>`;
const definition = (id: string, fiBody = '<mj-text>Hei {{ customer.firstName }}</mj-text>') => ({
  id,
  kind: 'marketing',
  defaultLocale: 'fi',
  locales: { fi: { subject: 'Talvitarjous, {{ customer.firstName }}', mjml: mjml(fiBody) } },
});

describeEachStore('PUT /v1/templates/{id} and POST /v1/templates/preview', (ctx) => {
  const client = useClient(ctx);
  const put = (id: string, body: unknown, role: 'marketer' | 'analyst' | 'agent' = 'marketer') =>
    client.server.inject({ method: 'PUT', url: `/v1/templates/${id}`, headers: { authorization: `Bearer ${client.keys[role]}` }, payload: body as object });

  beforeAll(async () => {
    await ctx.app.stores.customers.insertCustomer({ id: 'TE1' as CustomerId, kind: 'person', name: 'Aino Virtanen', emails: ['aino@example.fi'], phones: [], address: null, locale: 'fi', createdAt: T0, updatedAt: T0 });
  });

  it('saves a template that compiles, reads it back, and refuses roles that may not write', async () => {
    const res = await put('winter', definition('winter'));
    expect(res.statusCode).toBe(200);
    expect(json(res)).toEqual({ id: 'winter', kind: 'marketing', locales: ['fi'], purposes: ['marketing'] });
    expect(json(await client.get('/v1/templates/winter', 'marketer'))).toMatchObject({ id: 'winter', definition: { kind: 'marketing' } });
    expect((await put('winter', definition('winter'), 'analyst')).statusCode).toBe(403);
    expect((await put('winter', definition('winter'), 'agent')).statusCode).toBe(403);
  });

  it('names the field and the line of a broken template and stores nothing', async () => {
    const broken = await put('broken', definition('broken', '<mj-text>Hei</mj-text>\n<mj-nonsense>x</mj-nonsense>'));
    expect(broken.statusCode).toBe(422);
    expect(json(broken)).toMatchObject({ error: 'TEMPLATE_INVALID', field: 'locales.fi.mjml', details: { line: 3 } });
    const unknown = await put('broken', definition('broken', '<mj-text>Hei {{ customer.shoeSize }}</mj-text>'));
    expect(json(unknown)).toMatchObject({ error: 'TEMPLATE_INVALID', field: 'locales.fi.mjml', details: { line: 2 } });
    expect((await client.get('/v1/templates/broken', 'marketer')).statusCode).toBe(404);
    const otherId = await put('winter', definition('summer'));
    expect(json(otherId)).toMatchObject({ error: 'VALIDATION_FAILED', field: 'id' });
    const service = await put('notice', { ...definition('notice', '<mj-button css-class="promo" href="https://kauppa.example">Osta</mj-button>'), kind: 'service' });
    expect(json(service)).toMatchObject({ error: 'TEMPLATE_INVALID' });
  });

  it("refuses a service template that prints the recipient's offer, at the line the editor points at, on save and on preview (rule 1)", async () => {
    const body = '<mj-text>Jakelu muuttuu.</mj-text>\n<mj-text>{% if offer.name %}{{ offer.explanation }}{% endif %}</mj-text>';
    const saved = await put('disruption-offer', { ...definition('disruption-offer', body), kind: 'service' });
    expect(saved.statusCode).toBe(422);
    expect(json(saved)).toMatchObject({ error: 'TEMPLATE_INVALID', field: 'locales.fi.mjml', details: { line: 3, variable: 'offer.name', says: { code: 'template_service_offer' } } });
    expect((await client.get('/v1/templates/disruption-offer', 'marketer')).statusCode).toBe(404);
    const previewed = await client.server.inject({ method: 'POST', url: '/v1/templates/preview', headers: { authorization: `Bearer ${client.keys.marketer}` }, payload: { ...definition('disruption-offer', body), kind: 'service' } });
    expect(json(previewed)).toMatchObject({ error: 'TEMPLATE_INVALID', field: 'locales.fi.mjml', details: { line: 3 } });
    expect((await put('disruption-offer', definition('disruption-offer', body))).statusCode).toBe(200);
  });

  it('refuses to change a template a running campaign sends, naming the campaign', async () => {
    expect((await put('sending', definition('sending'))).statusCode).toBe(200);
    const deps = { ...ctx.app.stores, settings: ctx.app.settings, sending: ctx.app.sending, now: ctx.app.now };
    const campaign = await createCampaign(deps, { name: 'Talvi', purpose: 'marketing', channel: 'email', sku: null, filter: {}, templateId: 'sending' });
    await launchCampaign(deps, { campaignId: campaign.id });
    const changed = await put('sending', definition('sending', '<mj-text>Moi {{ customer.firstName }}</mj-text>'));
    expect(changed.statusCode).toBe(409);
    expect(json(changed)).toMatchObject({ error: 'TEMPLATE_IN_USE', details: { campaigns: [campaign.id] } });
    expect(JSON.stringify(json(await client.get('/v1/templates/sending', 'marketer')))).toContain('Hei {{ customer.firstName }}');
  });

  it('previews a definition before it is saved, as the customer would get it, and audits the read', async () => {
    const res = await client.server.inject({
      method: 'POST',
      url: '/v1/templates/preview?customer=TE1',
      headers: { authorization: `Bearer ${client.keys.marketer}` },
      payload: definition('draft-only', '<mj-text>Hei {{ customer.firstName }}, talvi tulee</mj-text>'),
    });
    expect(res.statusCode).toBe(200);
    expect(json(res)).toMatchObject({ subject: 'Talvitarjous, Aino', locale: 'fi', purposes: ['marketing'] });
    expect(json<{ text: string }>(res).text).toContain('Hei Aino, talvi tulee');
    expect((await client.get('/v1/templates/draft-only', 'marketer')).statusCode).toBe(404);
    expect((await ctx.app.stores.audit.forCustomer('TE1' as CustomerId)).map((e) => e.action)).toContain('template.preview');
    const before = (await ctx.app.stores.audit.forCustomer('TE1' as CustomerId)).length;
    const sample = await client.server.inject({ method: 'POST', url: '/v1/templates/preview', headers: { authorization: `Bearer ${client.keys.marketer}` }, payload: definition('draft-only') });
    expect(sample.statusCode).toBe(200);
    expect(json(sample)).toMatchObject({ subject: 'Talvitarjous, Aino' });
    expect((await ctx.app.stores.audit.forCustomer('TE1' as CustomerId)).length).toBe(before);
    const analyst = await client.server.inject({ method: 'POST', url: '/v1/templates/preview?customer=TE1', headers: { authorization: `Bearer ${client.keys.analyst}` }, payload: definition('x') });
    expect(analyst.statusCode).toBe(403);
  });

  it('previews a new template’s body before it has a subject, and still refuses to save it without one', async () => {
    const noSubject = { ...definition('new-one'), locales: { fi: { subject: '', mjml: mjml('<mj-text>Hei {{ customer.firstName }}, tervetuloa</mj-text>') } } };
    const preview = await client.server.inject({ method: 'POST', url: '/v1/templates/preview', headers: { authorization: `Bearer ${client.keys.marketer}` }, payload: noSubject });
    expect(preview.statusCode).toBe(200);
    expect(json<{ subject: string; html: string }>(preview)).toMatchObject({ subject: '' });
    expect(json<{ html: string }>(preview).html).toContain('Hei Aino, tervetuloa');
    const saved = await put('new-one', noSubject);
    expect(saved.statusCode).toBe(422);
    expect(json(saved)).toMatchObject({ error: 'TEMPLATE_INVALID', field: 'locales.fi.subject' });
  });
});
