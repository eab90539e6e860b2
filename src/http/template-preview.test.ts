/** A marketer previews a template as a chosen customer would get it; the read is audited. */
import { expect, it } from 'vitest';
import type { CustomerId, Instant } from '../core/records.ts';
import { createApiKey } from '../use-cases/api-keys.ts';
import { describeEachStore } from '../../test/support/stores.ts';
import { buildServer } from './server.ts';

const T0 = '2025-01-01T00:00:00.000Z' as Instant;
const DEFINITION = {
  id: 'welcome',
  kind: 'marketing',
  defaultLocale: 'fi',
  locales: {
    fi: { subject: 'Tervetuloa, {{ customer.firstName }}', mjml: '<mjml><mj-body><mj-section><mj-column><mj-text>Hei {{ customer.firstName }}</mj-text></mj-column></mj-section></mj-body></mjml>' },
    sv: { subject: 'Välkommen, {{ customer.firstName }}', mjml: '<mjml><mj-body><mj-section><mj-column><mj-text>Hej {{ customer.firstName }}</mj-text></mj-column></mj-section></mj-body></mjml>' },
  },
};

describeEachStore('template preview', (ctx) => {
  it('renders in the customer’s language with their name, audits the read, and refuses an analyst', async () => {
    await ctx.app.stores.customers.insertCustomer({ id: 'TP1' as CustomerId, kind: 'person', name: 'Björn Lind', emails: ['bjorn@example.fi'], phones: [], address: null, locale: 'sv', createdAt: T0, updatedAt: T0 });
    await ctx.app.stores.templates.save('welcome', DEFINITION, T0);
    const server = await buildServer(ctx.app);
    const marketer = (await createApiKey({ apiKeys: ctx.app.stores.apiKeys, now: ctx.app.now }, { name: 'm', role: 'marketer' })).key;
    const analyst = (await createApiKey({ apiKeys: ctx.app.stores.apiKeys, now: ctx.app.now }, { name: 'a', role: 'analyst' })).key;
    const res = await server.inject({ url: '/v1/templates/welcome/preview?customer=TP1', headers: { authorization: `Bearer ${marketer}` } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ subject: 'Välkommen, Björn', locale: 'sv' });
    expect(res.json().text).toContain('Hej Björn');
    expect((await ctx.app.stores.audit.forCustomer('TP1' as CustomerId)).map((e) => e.action)).toEqual(['template.preview']);
    const fi = await server.inject({ url: '/v1/templates/welcome/preview?customer=TP1&locale=fi', headers: { authorization: `Bearer ${marketer}` } });
    expect(fi.json().subject).toBe('Tervetuloa, Björn');
    expect((await server.inject({ url: '/v1/templates/welcome/preview?customer=TP1', headers: { authorization: `Bearer ${analyst}` } })).statusCode).toBe(403);
    expect((await server.inject({ url: '/v1/templates/nope/preview?customer=TP1', headers: { authorization: `Bearer ${marketer}` } })).statusCode).toBe(404);
    await server.close();
  });
});
