/** Where a marketer prepares an SMS campaign, the API shows the message's segments and encoding, and warns when names push it over. */
import { expect, it } from 'vitest';
import { describeEachStore } from '../../test/support/stores.ts';
import type { CustomerId, Instant } from '../core/records.ts';
import { useClient } from './testing.ts';

const T0 = '2025-01-01T00:00:00.000Z' as Instant;
const MJML = '<mjml><mj-body><mj-section><mj-column><mj-text>-</mj-text></mj-column></mj-section></mj-body></mjml>';
/** 142 septets for "Aino" with the STOP line: one GSM-7 segment, three as UCS-2. */
const OFFER = { id: 'offer-sms', kind: 'marketing', defaultLocale: 'fi', locales: { fi: { subject: `Hei {{ customer.firstName }}! ${'Tarjous '.repeat(14)}`.trimEnd(), mjml: MJML } } };

describeEachStore('SMS segments for the marketer', (ctx) => {
  const client = useClient(ctx);

  it('adds the SMS size to a template preview with channel=sms, and leaves it out otherwise', async () => {
    await ctx.app.stores.customers.insertCustomer({ id: 'S1' as CustomerId, kind: 'person', name: 'Aino Virtanen', emails: [], phones: ['+358401234567'], address: null, locale: 'fi', createdAt: T0, updatedAt: T0 });
    await ctx.app.stores.templates.save(OFFER.id, OFFER, T0);
    const res = await client.get('/v1/templates/offer-sms/preview?customer=S1&channel=sms', 'marketer');
    expect(res.statusCode).toBe(200);
    const sms = res.json<{ sms: { text: string; encoding: string; segments: number; maxSegments: number; warning: string | null } }>().sms;
    expect(sms.text.endsWith('\nLopetus: vastaa STOP')).toBe(true);
    expect(sms).toMatchObject({ encoding: 'gsm7', segments: 1, maxSegments: 3 });
    expect(sms.warning).toContain('UCS-2');
    expect((await client.get('/v1/templates/offer-sms/preview?customer=S1', 'marketer')).json()).not.toHaveProperty('sms');
  });

  it('shows an SMS campaign’s message size with the campaign’s values, and none for an e-mail campaign', async () => {
    const smsCampaign = await client.post('/v1/campaigns', { name: 'Tarjous', purpose: 'marketing', channel: 'sms', template: 'offer-sms' }, 'marketer');
    expect(smsCampaign.statusCode).toBe(201);
    const read = await client.get(`/v1/campaigns/${smsCampaign.json<{ id: number }>().id}`, 'analyst');
    expect(read.json()).toMatchObject({ sms: { encoding: 'gsm7', segments: 1, maxSegments: 3 } });
    const email = await client.post('/v1/campaigns', { name: 'Posti', purpose: 'marketing', channel: 'email', template: 'offer-sms' }, 'marketer');
    expect((await client.get(`/v1/campaigns/${email.json<{ id: number }>().id}`, 'analyst')).json()).not.toHaveProperty('sms');
  });
});
