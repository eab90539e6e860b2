/** An SMS reply, signed by the gateway, that starts with an opt-out keyword becomes an opt-out at once. */
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { CustomerId, Instant, LedgerRecord } from '../core/records.ts';
import { runImport } from '../import/run-import.ts';
import { decideForCustomer } from '../use-cases/decide-for-customer.ts';
import { describeEachStore } from '../../test/support/stores.ts';
import { buildServer } from './server.ts';

const T0 = '2025-01-01T00:00:00.000Z' as Instant;
const TOKEN = 'secret-token';
const FIELD = new URL('../../test/fixtures/field/', import.meta.url);

/** The form the gateway posts, and its X-Twilio-Signature over the URL and the sorted parameters. */
function signedReply(url: string, params: Record<string, string>): { payload: string; signature: string } {
  const data = url + Object.keys(params).sort().map((k) => `${k}${params[k] ?? ''}`).join('');
  return { payload: new URLSearchParams(params).toString(), signature: createHmac('sha1', TOKEN).update(data, 'utf8').digest('base64') };
}

const smsMarketingWithdrawals = (history: LedgerRecord[]) =>
  history.filter((r) => r.kind === 'consent' && r.purpose === 'marketing' && r.channel === 'sms' && r.value === 'withdrawn' && r.source === 'sms_stop');

describeEachStore('SMS replies through the inbound webhook', (ctx) => {
  let server: FastifyInstance;
  let url = '';
  let sid = 0;
  const post = async (from: string, body: string, signature?: string) => {
    const signed = signedReply(url, { From: from, Body: body, MessageSid: `SM${++sid}` });
    const headers = { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature ?? signed.signature };
    return server.inject({ method: 'POST', url: '/v1/webhooks/sms', headers, payload: signed.payload });
  };
  const addCustomer = async (id: string, phone: string) => {
    await ctx.app.stores.customers.insertCustomer({ id: id as CustomerId, kind: 'person', name: 'Testi', emails: [], phones: [phone], address: null, locale: 'fi', createdAt: T0, updatedAt: T0 });
    await ctx.app.stores.ledger.append([{ kind: 'consent', customerId: id as CustomerId, purpose: 'marketing', channel: 'sms', value: 'granted', at: T0, source: 'web_form', noticeVersion: null, noticeLocale: null, evidenceRef: null }]);
  };

  beforeAll(async () => {
    const app = { ...ctx.app, config: { ...ctx.app.config, LUPA_SMS_AUTH_TOKEN: TOKEN } };
    url = `${app.publicUrl}/v1/webhooks/sms`;
    server = await buildServer(app);
  });
  afterAll(() => server.close());

  it('records an SMS marketing withdrawal and suppresses the number; an unsigned request changes nothing', async () => {
    await addCustomer('S1', '+358401112222');
    expect((await post('+358401112222', 'Lopeta', 'bad')).statusCode).toBe(403);
    expect(await ctx.app.stores.ledger.historyOf('S1' as CustomerId)).toHaveLength(1);

    const res = await post('+358401112222', 'Lopeta');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<Response></Response>');
    const decision = await decideForCustomer({ ...ctx.app.stores, settings: ctx.app.settings }, { customerId: 'S1' as CustomerId, purpose: 'marketing', channel: 'sms', sku: null, at: ctx.app.now() });
    expect(decision).toMatchObject({ allowed: false, reasons: ['CONSENT_WITHDRAWN', 'SUPPRESSED'] });
    expect(decision.evidence.consent).toMatchObject({ source: 'sms_stop', evidenceRef: `sms:SM${sid}` });
  });

  it('opts out every customer of the field sample who replied with a carrier keyword or a Finnish or Swedish form', async () => {
    const result = await runImport(
      { database: ctx.app.database, settings: ctx.app.settings, now: ctx.app.now },
      { stream: Readable.from(readFileSync(new URL('ndjson-sms-stop-customers.ndjson', FIELD))), format: 'ndjson' },
    );
    expect(result.errorCount).toBe(0);
    const bodies = JSON.parse(readFileSync(new URL('sms-stop-reply-bodies.json', FIELD), 'utf8')) as string[];
    const seen = [];
    for (const [i, body] of bodies.entries()) {
      const n = String(i + 1).padStart(2, '0');
      expect((await post(`+3584012300${n}`, body)).statusCode).toBe(200);
      seen.push({ body, withdrawals: smsMarketingWithdrawals(await ctx.app.stores.ledger.historyOf(`S${n}` as CustomerId)).length });
    }
    expect(seen).toEqual(bodies.map((body) => ({ body, withdrawals: 1 })));
  });

  it('reads the first word whatever the case, width, punctuation, emoji or quotes around it, and a number however it is written', async () => {
    const replies = ['ＳＴＯＰ', '  "Stop all"', '🛑 STOP 🛑', '«Lopettakaa!»', 'Peruutan.', 'Älä lähetä enää', 'Ta bort mig, tack', 'Stop. Tack så mycket', 'opt-out', 'Avanmäl', 'Please STOP'];
    const seen = [];
    for (const [i, body] of replies.entries()) {
      await addCustomer(`R${i}`, `+35840555000${i}`);
      // The gateway sends E.164; the customer's number is matched however the sender is written.
      expect((await post(i % 2 === 0 ? `+35840555000${i}` : `040555000${i}`, body)).statusCode).toBe(200);
      seen.push({ body, withdrawals: smsMarketingWithdrawals(await ctx.app.stores.ledger.historyOf(`R${i}` as CustomerId)).length });
    }
    expect(seen).toEqual(replies.map((body) => ({ body, withdrawals: 1 })));
  });

  it('leaves consent alone for ordinary replies that only mention stopping later or say not to stop', async () => {
    const replies = ['Stopparen tuli', 'Kiitos, en halua lopettaa', 'Älä lopeta, tämä on kiva', 'Sluta inte skicka', 'Can you stop by tomorrow? No, I will not end it', 'START', ''];
    const seen = [];
    for (const [i, body] of replies.entries()) {
      await addCustomer(`N${i}`, `+35840666000${i}`);
      expect((await post(`+35840666000${i}`, body)).statusCode).toBe(200);
      seen.push({ body, ledger: (await ctx.app.stores.ledger.historyOf(`N${i}` as CustomerId)).map((r) => r.value) });
    }
    expect(seen).toEqual(replies.map((body) => ({ body, ledger: ['granted'] })));
  });

  it('takes the longest reply the gateway sends, and refuses a larger body with 413 before reading it', async () => {
    await addCustomer('B1', '+358407770001');
    // 1,600 four-byte characters after the keyword: about 19 KB once percent-encoded.
    expect((await post('+358407770001', `STOP ${'🛑'.repeat(795)}`)).statusCode).toBe(200);
    expect(smsMarketingWithdrawals(await ctx.app.stores.ledger.historyOf('B1' as CustomerId))).toHaveLength(1);
    await addCustomer('B2', '+358407770002');
    const res = await post('+358407770002', `STOP ${'x'.repeat(40 * 1024)}`);
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({ error: 'INPUT_TOO_LARGE', field: 'body' });
    expect(smsMarketingWithdrawals(await ctx.app.stores.ledger.historyOf('B2' as CustomerId))).toHaveLength(0);
  });
});
