/**
 * Telesales with written confirmation over the API and real SMTP (Consumer Protection Act ch. 6,
 * compliance.md §3b): a sale on a call the seller made is no order until the customer accepts the
 * written offer; the offer arrives by e-mail as a service message carrying the terms and a signed
 * link; acceptance makes exactly one order (a double click, a replayed link); a forged or altered
 * link is refused; an offer not accepted in time lapses and never becomes an order; the law's
 * exceptions bind at once with their recorded basis; roles and audit.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DevInbox } from '../channels/email/dev-inbox.ts';
import type { SmtpMessageSender } from '../channels/email/smtp-sender.ts';
import { ROLES, type Role } from '../core/access.ts';
import type { Customer, CustomerId, Instant, Sku } from '../core/records.ts';
import { TokenSigner } from '../security/signed-tokens.ts';
import { createApiKey } from '../use-cases/api-keys.ts';
import { lapseDueSales } from '../use-cases/calls/phone-sales.ts';
import { headerOf, inboxSender } from '../../test/support/sending.ts';
import { describeEachStore } from '../../test/support/stores.ts';
import { buildServer } from './server.ts';

const T0 = '2026-03-10T08:00:00.000Z';
let clock = T0;
const person = (id: string, email: string, phone: string, locale = 'fi'): Customer => ({
  id: id as CustomerId,
  kind: 'person',
  name: `Testi ${id}`,
  emails: [email],
  phones: [phone],
  address: { street: 'Myyjänkatu 1', postalCode: '98100', city: 'Kemijärvi', country: 'FI' },
  locale,
  createdAt: T0 as Instant,
  updatedAt: T0 as Instant,
});

describeEachStore(
  'phone sales: written offer, acceptance, lapse and the exceptions',
  (ctx) => {
    const inbox = new DevInbox(100);
    let sender: SmtpMessageSender | undefined;
    let server: FastifyInstance | undefined;
    const keys: Partial<Record<Role, string>> = {};
    const srv = (): FastifyInstance => server ?? (() => { throw new Error('not ready'); })();
    const req = (method: 'GET' | 'POST', url: string, role: Role | null, payload?: object) =>
      srv().inject({ method, url, headers: role === null ? {} : { authorization: `Bearer ${keys[role]}` }, ...(payload === undefined ? {} : { payload }) });
    const orders = (id: string) => ctx.app.stores.catalogue.ordersOf(id as CustomerId);

    beforeAll(async () => {
      const { port } = await inbox.start('127.0.0.1', 0);
      sender = inboxSender(ctx.app, port);
      server = await buildServer(ctx.app, { mailer: sender });
      for (const role of ROLES) keys[role] = (await createApiKey({ apiKeys: ctx.app.stores.apiKeys, now: ctx.app.now }, { name: role, role })).key;
      await ctx.app.stores.catalogue.upsertProduct({ sku: 'HS-DIGI' as Sku, name: 'Päivälehti digi', brand: null, category: 'news' });
      for (const c of [person('T1', 'tiina@example.fi', '+358401110001'), person('T2', 'tomas@example.fi', '+358401110002', 'sv'), person('T3', 'terry@example.fi', '+358401110003', 'en')]) await ctx.app.stores.customers.insertCustomer(c);
    });
    afterAll(async () => {
      await server?.close();
      await sender?.close();
      await inbox.stop();
    });

    const call = async (customerId: string, over: Record<string, unknown> = {}): Promise<number> => {
      const res = await req('POST', '/v1/calls', 'agent', { direction: 'outbound', agent: 'agent-7', customerId, number: '+358401110001', startedAt: clock, callList: 'kevät', purpose: 'telesales', outcome: 'sale', ...over });
      expect(res.statusCode, res.body).toBe(201);
      return res.json<{ id: number }>().id;
    };
    const sell = (callId: number, over: Record<string, unknown> = {}) =>
      req('POST', '/v1/phone-sales', 'agent', { callId, sku: 'HS-DIGI', priceCents: 990, periodMonths: 3, kind: 'continuous', regularMonthlyCents: 2990, ...over });
    const lastMailTo = async (address: string) => {
      const summary = (await inbox.list()).find((m) => m.envelopeTo.includes(address));
      const message = summary === undefined ? null : await inbox.get(summary.id);
      if (message === null) throw new Error(`no mail to ${address}`);
      return message;
    };
    const acceptPath = (text: string): string => {
      const url = /https?:\/\/\S+\/s\/\S+/.exec(text)?.[0];
      if (url === undefined) throw new Error('no acceptance link');
      return new URL(url).pathname;
    };

    it('keeps a sale out of orders until the written offer is accepted, and sends the offer as a service message with the terms', async () => {
      clock = T0;
      const callId = await call('T1');
      const made = await sell(callId);
      expect(made.statusCode).toBe(201);
      const sale = made.json<{ id: number; state: string; orderId: string | null; acceptBy: string; offerSentAt: string | null; deliveredTo: string }>();
      expect(sale).toMatchObject({ state: 'pending', orderId: null, deliveredTo: 'tiina@example.fi', acceptBy: '2026-03-24T08:00:00.000Z' });
      expect(sale.offerSentAt).not.toBeNull();
      expect(await orders('T1')).toEqual([]);

      const mail = await lastMailTo('tiina@example.fi');
      // A service message: no unsubscribe header, nothing but the offer.
      expect(headerOf(mail, 'list-unsubscribe')).toBeUndefined();
      expect(headerOf(mail, 'feedback-id')).toContain('service');
      expect(mail.subject).toContain('odottaa hyväksyntääsi');
      for (const term of ['Päivälehti digi', '9,90', '3 kk', 'Kestotilaus', '29,90', 'Irtisanominen', 'peruuttamisoikeus', '24.3.2026']) expect(mail.text).toContain(term);

      // Opening the link (or a mail scanner fetching it) accepts nothing.
      const path = acceptPath(mail.text);
      const page = await req('GET', path, null);
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('Hyväksyn tarjouksen');
      expect(page.body).toContain('29,90');
      expect(await orders('T1')).toEqual([]);
    });

    it('activates on acceptance exactly once: a double click and a replayed link make one order', async () => {
      clock = T0;
      const callId = await call('T2', { number: '+358401110002' });
      const sale = (await sell(callId, { kind: 'fixed_term', regularMonthlyCents: undefined, periodMonths: 6 })).json<{ id: number }>();
      const mail = await lastMailTo('tomas@example.fi');
      expect(mail.subject).toContain('godkännande');
      expect(mail.text).toContain('Tidsbunden');
      const path = acceptPath(mail.text);
      clock = '2026-03-12T10:00:00.000Z';
      const [a, b] = await Promise.all([req('POST', path, null), req('POST', path, null)]);
      expect([a.statusCode, b.statusCode]).toEqual([200, 200]);
      const replay = await req('POST', path, null);
      expect(replay.body).toContain('redan godkänt');
      const made = await orders('T2');
      expect(made).toHaveLength(1);
      expect(made[0]).toMatchObject({ id: `phone-sale-${sale.id}`, sku: 'HS-DIGI', startedAt: '2026-03-12T10:00:00.000Z', endedAt: '2026-09-12T10:00:00.000Z', soldVia: 'telesales' });
      const evidence = (await req('GET', `/v1/phone-sales/${sale.id}`, 'agent')).json<{ stateNow: string; acceptedAt: string; orderId: string; call: { id: number } }>();
      expect(evidence).toMatchObject({ stateNow: 'accepted', acceptedAt: '2026-03-12T10:00:00.000Z', orderId: `phone-sale-${sale.id}`, call: { id: callId } });
      const accepts = (await ctx.app.stores.audit.forCustomer('T2' as CustomerId)).filter((e) => e.action === 'phone_sales.accept');
      expect(accepts).toHaveLength(1);
    });

    it('refuses a forged, altered or other-purpose link', async () => {
      clock = T0;
      const callId = await call('T3', { number: '+358401110003' });
      const sale = (await sell(callId)).json<{ id: number }>();
      const forged = new TokenSigner('another-secret-of-16+').sign('phone_sale', [String(sale.id)], 1);
      const otherPurpose = ctx.app.signer.sign('preferences', [String(sale.id)], 1);
      const genuine = acceptPath((await lastMailTo('terry@example.fi')).text).slice(3);
      const altered = `${genuine.slice(0, -1)}${genuine.endsWith('A') ? 'B' : 'A'}`;
      for (const token of [forged, otherPurpose, altered, 'nonsense']) {
        const res = await req('POST', `/s/${token}`, null);
        expect(res.statusCode).toBe(410);
      }
      expect(await orders('T3')).toEqual([]);
    });

    it('lets an offer not accepted in time lapse: the link then accepts nothing, and the sale never becomes an order', async () => {
      clock = T0;
      const callId = await call('T1', { startedAt: '2026-03-10T09:00:00Z', endedAt: '2026-03-10T09:05:00Z' });
      const sale = (await sell(callId, { delivery: 'email', to: 'tiina.toinen@example.fi' })).json<{ id: number }>();
      const path = acceptPath((await lastMailTo('tiina.toinen@example.fi')).text);
      clock = '2026-03-24T08:00:00.000Z'; // 14 days: the acceptance time ends
      expect((await req('GET', `/v1/phone-sales/${sale.id}`, 'agent')).json<{ state: string; stateNow: string }>()).toMatchObject({ state: 'pending', stateNow: 'lapsed' });
      const late = await req('POST', path, null);
      expect(late.statusCode).toBe(410);
      expect(late.body).toContain('hyväksymisaika on päättynyt');
      // Listed by its state now, before and after the lapse is stored.
      const idsIn = async (state: string) => (await req('GET', `/v1/phone-sales?state=${state}`, 'dpo')).json<{ sales: { id: number }[] }>().sales.map((x) => x.id);
      expect(await idsIn('lapsed')).toContain(sale.id);
      expect(await idsIn('pending')).not.toContain(sale.id);
      expect(await lapseDueSales({ ...ctx.app.stores, now: () => clock as Instant }, { actor: 'test', role: 'admin' })).toBeGreaterThanOrEqual(1);
      expect((await req('POST', path, null)).statusCode).toBe(410);
      expect((await orders('T1')).map((o) => o.id)).not.toContain(`phone-sale-${sale.id}`);
      const lapsed = (await req('GET', '/v1/phone-sales?state=lapsed', 'dpo')).json<{ sales: { id: number; state: string }[] }>().sales;
      expect(lapsed.find((s) => s.id === sale.id)).toMatchObject({ state: 'lapsed' });
    });

    it('binds at once under the law’s exceptions, each recorded as the basis, and refuses one that does not apply', async () => {
      clock = T0;
      const outbound = await call('T3', { number: '+358401110003' , startedAt: '2026-03-10T10:00:00Z' });
      const wrong = await sell(outbound, { basis: 'inbound_call' });
      expect(wrong.statusCode).toBe(409);
      expect(wrong.json<{ error: string }>().error).toBe('PHONE_SALE_STATE');
      expect((await sell(outbound, { basis: 'requested_call' })).json<{ error: string; field: string }>()).toMatchObject({ error: 'VALIDATION_FAILED', field: 'requestEvidence' });
      const requested = await sell(outbound, { basis: 'requested_call', requestEvidence: 'Asked on the web form for a call on 9.3.2026 (ticket 12)' });
      expect(requested.json<{ state: string; orderId: string; requestEvidence: string }>()).toMatchObject({ state: 'bound', orderId: expect.stringMatching(/^phone-sale-/), requestEvidence: expect.stringContaining('ticket 12') });
      const inbound = await call('T3', { direction: 'inbound', queue: 'myynti', number: '+358401110003', startedAt: '2026-03-10T11:00:00Z' });
      const bound = (await sell(inbound, { basis: 'inbound_call' })).json<{ state: string; orderId: string }>();
      expect(bound.state).toBe('bound');
      expect((await orders('T3')).map((o) => o.id)).toEqual(expect.arrayContaining([bound.orderId]));
      // The confirmation carries the terms but no acceptance link.
      const confirmation = await lastMailTo('terry@example.fi');
      expect(confirmation.subject).toContain('order confirmation');
      expect(confirmation.text).not.toContain('/s/');
      // One sale per call; a call that ended otherwise carries none.
      expect((await sell(inbound, { basis: 'inbound_call' })).statusCode).toBe(409);
      expect((await sell(await call('T3', { outcome: 'refused', startedAt: '2026-03-10T12:00:00Z' }))).statusCode).toBe(409);
    });

    it('gives agents and the DPO the sales (audited), and the marketer nothing', async () => {
      const list = await req('GET', '/v1/phone-sales?customerId=T2', 'dpo');
      expect(list.statusCode).toBe(200);
      const [first] = list.json<{ sales: { id: number }[] }>().sales;
      expect((await req('GET', `/v1/phone-sales/${first?.id}`, 'dpo')).statusCode).toBe(200);
      const reads = (await ctx.app.stores.audit.forCustomer('T2' as CustomerId)).filter((e) => e.action === 'phone_sales.read' && e.role === 'dpo');
      expect(reads.length).toBeGreaterThanOrEqual(2);
      for (const [method, url] of [['GET', '/v1/phone-sales'], ['GET', `/v1/phone-sales/${first?.id}`], ['GET', '/v1/call-lists/work']] as const) expect((await req(method, url, 'marketer')).statusCode).toBe(403);
      expect((await sell(1)).statusCode).not.toBe(403);
      expect((await req('POST', '/v1/phone-sales', 'dpo', { callId: 1, kind: 'fixed_term', sku: 'HS-DIGI', priceCents: 1, periodMonths: 1 })).statusCode).toBe(403);
    });

    it('pages a call list for the work screen: the export’s audience, audited', async () => {
      clock = '2026-03-16T08:00:00.000Z';
      const first = (await req('GET', '/v1/call-lists/work?postalCodePrefix=98&limit=2', 'agent')).json<{ rows: { customerId: string; callableNow: boolean }[]; next: string | null }>();
      expect(first.rows.map((r) => r.customerId)).toEqual(['T1', 'T2']);
      expect(first.next).toBe('T2');
      const second = (await req('GET', `/v1/call-lists/work?postalCodePrefix=98&limit=2&after=${first.next}`, 'agent')).json<{ rows: { customerId: string }[]; next: string | null }>();
      expect(second).toEqual({ rows: [expect.objectContaining({ customerId: 'T3' })], next: null, seller: 'Lupa' });
      const audited = (await ctx.app.stores.audit.forCustomer('T3' as CustomerId)).filter((e) => e.action === 'export.phone_list');
      expect(audited).toHaveLength(1);
    });
  },
  { now: () => clock as Instant },
);
