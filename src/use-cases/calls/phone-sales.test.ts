/**
 * A phone sale's written offer by SMS (a durable medium with the link to the terms): the message
 * carries the terms and the signed link, goes to the customer's number, and the sale waits; without
 * an SMS gateway an SMS sale is refused before anything is stored.
 */
import { expect, it } from 'vitest';
import type { CustomerId, Instant, Sku } from '../../core/records.ts';
import { describeEachStore } from '../../../test/support/stores.ts';
import { phoneSaleDeps } from '../../composition-root.ts';
import { createPhoneSale, type PhoneSaleDeps } from './phone-sales.ts';

const AT = '2026-05-04T09:00:00.000Z' as Instant;

describeEachStore(
  'a phone sale’s written offer by SMS',
  (ctx) => {
    const sent: { to: string; body: string }[] = [];
    const deps = (sms: PhoneSaleDeps['sms']): PhoneSaleDeps => ({
      ...phoneSaleDeps(ctx.app, () => {
        throw new Error('no e-mail in this test');
      }),
      sms,
    });
    const by = { actor: 'agent-3', role: 'agent' };
    const input = { offerId: null, sku: 'HS-DIGI', priceCents: 0, periodMonths: 1, currency: null, kind: 'continuous', regularMonthlyCents: 1990, basis: 'written_acceptance', requestEvidence: null, delivery: 'sms', to: null } as const;

    it('sends the terms and the acceptance link to the customer’s number, and keeps the sale pending', async () => {
      const s = ctx.app.stores;
      await s.catalogue.upsertProduct({ sku: 'HS-DIGI' as Sku, name: 'Päivälehti digi', brand: null, category: 'news' });
      await s.customers.insertCustomer({ id: 'S1' as CustomerId, kind: 'person', name: 'Sanni', emails: [], phones: ['+358401230001'], address: null, locale: 'sv', createdAt: AT, updatedAt: AT });
      const { call } = await s.calls.insert({ direction: 'outbound', agent: 'agent-3', customerId: 'S1' as CustomerId, number: '+358401230001', startedAt: AT, endedAt: null, queue: null, callList: 'maj', purpose: 'telesales', outcome: 'sale', callbackAt: null, externalId: null, recordedBy: 'test' });
      const sale = await createPhoneSale(deps({ send: async (m) => (sent.push(m), { providerId: 'SM-1' }) }), { ...input, callId: call.id }, by);
      expect(sale).toMatchObject({ state: 'pending', delivery: 'sms', deliveredTo: '+358401230001', offerMessageId: 'SM-1', orderId: null });
      expect(sent).toHaveLength(1);
      expect(sent[0]?.to).toBe('+358401230001');
      for (const term of ['Fortlöpande', '19,90', 'ångerrätt', '/s/']) expect(sent[0]?.body).toContain(term);
      expect(await s.catalogue.ordersOf('S1' as CustomerId)).toEqual([]);
    });

    it('refuses an SMS sale without a gateway, storing nothing', async () => {
      const s = ctx.app.stores;
      const { call } = await s.calls.insert({ direction: 'outbound', agent: 'agent-3', customerId: 'S1' as CustomerId, number: '+358401230001', startedAt: '2026-05-05T09:00:00.000Z' as Instant, endedAt: null, queue: null, callList: 'maj', purpose: 'telesales', outcome: 'sale', callbackAt: null, externalId: null, recordedBy: 'test' });
      await expect(createPhoneSale(deps(undefined), { ...input, callId: call.id }, by)).rejects.toMatchObject({ code: 'CONFIG_INVALID', field: 'delivery' });
      expect(await s.phoneSales.list({ customerId: 'S1' as CustomerId, limit: 10 })).toHaveLength(1);
    });
  },
  { now: () => AT },
);
