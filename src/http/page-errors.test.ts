/**
 * A request a page cannot take, on every page a person reaches (`/`, `/u/…`, `/p/…`, `/c/…`): a
 * malformed body, a media type the page does not read, a body too large, a method it does not take.
 * Each answer is the HTML error page in the person's language (the language of the customer the link
 * names, even when the body failed before the page read the link), with the exact status.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CustomerId, Instant } from '../core/records.ts';
import { preferencesUrl, unsubscribeUrl } from '../use-cases/unsubscribe.ts';
import { describeEachStore } from '../../test/support/stores.ts';
import { buildServer } from './server.ts';

const T0 = '2025-01-01T00:00:00.000Z' as Instant;
const FORM = 'application/x-www-form-urlencoded';
const TOO_LARGE = `marketing.email=granted&x=${'a'.repeat(70_000)}`;

/** The error page in `lang`: its html lang, its title in that language, never JSON. */
function expectErrorPage(res: LightMyRequestResponse, status: number, lang: 'fi' | 'sv' | 'en'): void {
  const title = { fi: 'Sivua ei voitu näyttää', sv: 'Sidan kunde inte visas', en: 'This page could not be shown' }[lang];
  expect({ status: res.statusCode, type: res.headers['content-type'], lang: /<html lang="(\w+)">/.exec(res.body)?.[1], title: res.body.includes(`<h1>${title}</h1>`) }).toEqual({
    status,
    type: 'text/html; charset=utf-8',
    lang,
    title: true,
  });
}

describeEachStore('errors on the pages a person reaches', (ctx) => {
  let server: FastifyInstance;
  let prefs = '';
  let unsub = '';
  const ledgerSize = async (): Promise<number> => (await ctx.app.stores.ledger.historyOf('SV1' as CustomerId)).length;
  // The browser says English; the customer the link names reads Swedish.
  const send = (method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH' | 'OPTIONS', url: string, contentType?: string, payload?: string) =>
    server.inject({ method, url, headers: { 'accept-language': 'en', ...(contentType === undefined ? {} : { 'content-type': contentType }) }, ...(payload === undefined ? {} : { payload }) });

  beforeAll(async () => {
    await ctx.app.stores.customers.insertCustomer({ id: 'SV1' as CustomerId, kind: 'person', name: 'Björn Lind', emails: ['bjorn@example.fi'], phones: [], address: null, locale: 'sv', createdAt: T0, updatedAt: T0 });
    server = await buildServer(ctx.app);
    prefs = preferencesUrl(ctx.app.signer, ctx.app.publicUrl, 'SV1').replace(ctx.app.publicUrl, '');
    unsub = unsubscribeUrl(ctx.app.signer, ctx.app.publicUrl, 'SV1', 'email').replace(ctx.app.publicUrl, '');
  });
  afterAll(async () => {
    await server.close();
  });

  describe('an address that is nowhere', () => {
    it('answers a browser with the error page in its language, and a program (and anything under /v1) with JSON', async () => {
      const page = await server.inject({ url: '/no/such/page', headers: { accept: 'text/html,application/xhtml+xml', 'accept-language': 'fi-FI,fi;q=0.9' } });
      expectErrorPage(page, 404, 'fi');
      const program = await server.inject({ url: '/no/such/page', headers: { accept: 'application/json' } });
      expect([program.statusCode, program.json()]).toEqual([404, expect.objectContaining({ error: 'NOT_FOUND' })]);
      const api = await server.inject({ url: '/v1/no-such-route', headers: { accept: 'text/html' } });
      expect([api.statusCode, api.headers['content-type']]).toEqual([404, 'application/json; charset=utf-8']);
    });
  });

  describe('the preference form', () => {
    it.each([
      ['malformed multipart', 'multipart/form-data; boundary=x', '--x\r\nno headers here', 400],
      ['a value the form does not offer', FORM, 'marketing.email=bogus', 400],
      ['JSON', 'application/json', '{"marketing.email":"granted"}', 415],
      ['malformed JSON', 'application/json', '{"marketing.email":', 415],
      ['plain text', 'text/plain', 'marketing.email=granted', 415],
      ['a body too large', FORM, TOO_LARGE, 413],
    ])('refuses %s with the error page in the customer’s language, writing nothing', async (_label, type, body, status) => {
      const before = await ledgerSize();
      expectErrorPage(await send('POST', prefs, type, body), status, 'sv');
      expect(await ledgerSize()).toBe(before);
    });

    it('reads the form sent as multipart/form-data as it reads it urlencoded', async () => {
      const before = await ledgerSize();
      const body = '--b\r\nContent-Disposition: form-data; name="marketing.post"\r\n\r\nwithdrawn\r\n--b--\r\n';
      const res = await send('POST', prefs, 'multipart/form-data; boundary=b', body);
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain('<html lang="sv">');
      expect(await ledgerSize()).toBe(before + 1);
    });
  });

  describe('the one-click unsubscribe', () => {
    it('takes effect whatever body a mailbox provider posts (the body does not matter, RFC 8058)', async () => {
      for (const [type, body] of [['application/json', '{not json'], ['text/plain', 'List-Unsubscribe=One-Click'], ['multipart/form-data; boundary=q', '--q\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\n\r\nOne-Click\r\n--q--\r\n']] as const) {
        const res = await send('POST', unsub, type, body);
        expect({ type, status: res.statusCode, sv: res.body.includes('<html lang="sv">') }).toEqual({ type, status: 200, sv: true });
      }
    });

    it('refuses a body too large with the error page in the customer’s language', async () => {
      expectErrorPage(await send('POST', unsub, FORM, TOO_LARGE), 413, 'sv');
    });
  });

  describe('a method a page does not take is 405 with Allow, on the error page', () => {
    it.each([
      ['PUT', '/p/TOKEN', 'GET, POST', 'sv'],
      ['DELETE', '/u/TOKEN', 'GET, POST', 'sv'],
      ['PATCH', '/p/TOKEN', 'GET, POST', 'sv'],
      ['OPTIONS', '/u/TOKEN', 'GET, POST', 'sv'],
      ['POST', '/c/some-click-token', 'GET', 'en'],
      ['PUT', '/', 'GET', 'en'],
      ['POST', '/', 'GET', 'en'],
    ] as const)('%s %s', async (method, url, allow, lang) => {
      const res = await send(method, url.replace('/p/TOKEN', prefs).replace('/u/TOKEN', unsub), method === 'POST' ? 'application/json' : undefined, method === 'POST' ? '{bad' : undefined);
      expectErrorPage(res, 405, lang);
      expect(res.headers.allow).toBe(allow);
    });

    it('keeps a bad link a 404 in the browser’s language when no customer is named', async () => {
      expectErrorPage(await send('POST', '/p/not-a-token', FORM, 'marketing.email=granted'), 404, 'en');
      expectErrorPage(await send('POST', '/p/not-a-token', 'application/json', '{}'), 415, 'en');
    });
  });

  describe('the API keeps JSON', () => {
    it('answers a form or a malformed body to an API route with the JSON error', async () => {
      for (const [type, body] of [[FORM, 'id=C1'], ['application/json', '{bad']] as const) {
        const res = await server.inject({ method: 'POST', url: '/v1/customers', headers: { 'content-type': type, authorization: 'Bearer nope' }, payload: body });
        expect(res.headers['content-type']).toMatch(/^application\/json/);
      }
    });
  });
});
