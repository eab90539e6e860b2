/** A STOP reply by SMS, signed by the gateway, becomes an opt-out at once. */
import { createHmac } from 'node:crypto';
import { expect, it } from 'vitest';
import type { CustomerId, Instant } from '../core/records.ts';
import { decideForCustomer } from '../use-cases/decide-for-customer.ts';
import { describeEachStore } from '../../test/support/stores.ts';
import { buildServer } from './server.ts';

const T0 = '2025-01-01T00:00:00.000Z' as Instant;

describeEachStore('STOP replies by SMS', (ctx) => {
  it('records an SMS marketing withdrawal and suppresses the number; an unsigned request changes nothing', async () => {
    await ctx.app.stores.customers.insertCustomer({ id: 'S1' as CustomerId, kind: 'person', name: 'Saara', emails: [], phones: ['+358401112222'], address: null, locale: 'fi', createdAt: T0, updatedAt: T0 });
    await ctx.app.stores.ledger.append([{ kind: 'consent', customerId: 'S1' as CustomerId, purpose: 'marketing', channel: 'sms', value: 'granted', at: T0, source: 'web_form', noticeVersion: null, noticeLocale: null, evidenceRef: null }]);
    const app = { ...ctx.app, config: { ...ctx.app.config, LUPA_SMS_AUTH_TOKEN: 'secret-token' } };
    const server = await buildServer(app);
    const body = 'From=%2B358401112222&Body=Lopeta&MessageSid=SM42';
    const url = `${app.publicUrl}/v1/webhooks/sms`;
    const signature = createHmac('sha1', 'secret-token').update(`${url}BodyLopetaFrom+358401112222MessageSidSM42`).digest('base64');
    const headers = { 'content-type': 'application/x-www-form-urlencoded' };

    expect((await server.inject({ method: 'POST', url: '/v1/webhooks/sms', headers, payload: body })).statusCode).toBe(403);
    expect(await ctx.app.stores.ledger.historyOf('S1' as CustomerId)).toHaveLength(1);

    const res = await server.inject({ method: 'POST', url: '/v1/webhooks/sms', headers: { ...headers, 'x-twilio-signature': signature }, payload: body });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<Response></Response>');
    const decision = await decideForCustomer({ ...ctx.app.stores, settings: ctx.app.settings }, { customerId: 'S1' as CustomerId, purpose: 'marketing', channel: 'sms', sku: null, at: ctx.app.now() });
    expect(decision).toMatchObject({ allowed: false, reasons: ['CONSENT_WITHDRAWN', 'SUPPRESSED'] });
    expect(decision.evidence.consent).toMatchObject({ source: 'sms_stop', evidenceRef: 'sms:SM42' });
    await server.close();
  });
});
