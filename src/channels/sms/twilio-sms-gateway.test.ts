/** The SMS gateway adapter against a local stand-in server that speaks Twilio's Messages API. */
import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SmsGatewayError, TwilioSmsGateway, validWebhookSignature } from './twilio-sms-gateway.ts';

interface Seen {
  path: string;
  authorization: string | undefined;
  contentType: string | undefined;
  form: Record<string, string>;
}

describe('the SMS gateway adapter', () => {
  const seen: Seen[] = [];
  let base = '';
  const standIn = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const form = Object.fromEntries(new URLSearchParams(body));
      seen.push({ path: req.url ?? '', authorization: req.headers.authorization, contentType: req.headers['content-type'], form });
      res.setHeader('content-type', 'application/json');
      if (form.To === '+358400000000') {
        res.statusCode = 400;
        res.end(JSON.stringify({ code: 21211, message: `The 'To' number ${form.To} is not a valid phone number.`, status: 400 }));
        return;
      }
      res.statusCode = 201;
      res.end(JSON.stringify({ sid: 'SM0123456789abcdef0123456789abcdef', status: 'queued', to: form.To }));
    });
  });
  const gateway = () => new TwilioSmsGateway({ baseUrl: base, accountSid: 'AC123', authToken: 'secret-token', from: 'Uutisvirta', statusCallbackUrl: 'https://lupa.example/v1/webhooks/sms-status' });

  beforeAll(async () => {
    await new Promise<void>((resolve) => standIn.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(standIn.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => standIn.close(() => resolve())));

  it('posts the documented form with Basic auth to the account’s Messages resource and returns the provider id', async () => {
    const result = await gateway().send({ to: '+358401234567', body: 'Lehtesi jakelu myöhästyy tänään.' });
    expect(result).toEqual({ providerId: 'SM0123456789abcdef0123456789abcdef', status: 'queued', segments: { encoding: 'gsm7', units: 32, segments: 1, remaining: 128 } });
    expect(seen.at(-1)).toEqual({
      path: '/2010-04-01/Accounts/AC123/Messages.json',
      authorization: `Basic ${Buffer.from('AC123:secret-token').toString('base64')}`,
      contentType: 'application/x-www-form-urlencoded',
      form: { To: '+358401234567', From: 'Uutisvirta', Body: 'Lehtesi jakelu myöhästyy tänään.', StatusCallback: 'https://lupa.example/v1/webhooks/sms-status' },
    });
  });

  it('reports a refusal with the HTTP status and the provider’s code, never the number', async () => {
    const error = await gateway().send({ to: '+358400000000', body: 'x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SmsGatewayError);
    expect(error).toMatchObject({ httpStatus: 400, providerCode: '21211' });
    expect(String((error as Error).message)).not.toContain('358400000000');
  });
});

describe('inbound SMS', () => {
  const url = 'https://lupa.example/v1/webhooks/sms';
  const params = { From: '+358401234567', Body: 'LOPETA', MessageSid: 'SM1' };
  // As the provider documents it: HMAC-SHA1 over the URL and the parameters sorted by name, base64.
  const signed = createHmac('sha1', 'secret-token').update(`${url}BodyLOPETAFrom+358401234567MessageSidSM1`).digest('base64');

  it('accepts the provider’s signature and refuses a changed parameter, another URL or no signature', () => {
    expect(validWebhookSignature('secret-token', url, params, signed)).toBe(true);
    expect(validWebhookSignature('secret-token', url, { ...params, Body: 'HEI' }, signed)).toBe(false);
    expect(validWebhookSignature('secret-token', `${url}?x=1`, params, signed)).toBe(false);
    expect(validWebhookSignature('secret-token', url, params, undefined)).toBe(false);
  });
});
