/** The pages a person sees: the front page, error pages in their language, greetings, the sender's brand, phone and post. */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CustomerId, Instant } from '../core/records.ts';
import { decideForCustomer } from '../use-cases/decide-for-customer.ts';
import { preferencesUrl, unsubscribeUrl } from '../use-cases/unsubscribe.ts';
import { describeEachStore } from '../../test/support/stores.ts';
import { buildServer } from './server.ts';

const T0 = '2025-01-01T00:00:00.000Z' as Instant;

describeEachStore('the pages a person sees', (ctx) => {
  let server: FastifyInstance;
  const path = (url: string): string => url.replace(ctx.app.publicUrl, '');
  const get = (url: string, lang?: string) => server.inject({ method: 'GET', url, headers: lang === undefined ? {} : { 'accept-language': lang } });

  beforeAll(async () => {
    const s = ctx.app.stores;
    await s.customers.insertCustomer({ id: 'A1' as CustomerId, kind: 'person', name: 'Aino Virtanen', emails: ['aino@example.fi'], phones: ['+358401234567'], address: { street: 'Katu 1', postalCode: '00100', city: 'Helsinki', country: 'FI' }, locale: 'fi', createdAt: T0, updatedAt: T0 });
    await s.customers.insertCustomer({ id: 'B1' as CustomerId, kind: 'business', name: 'Oy Esimerkki Ab', emails: ['info@esimerkki.fi'], phones: [], address: null, locale: 'fi', createdAt: T0, updatedAt: T0 });
    // Without a built console, `GET /` is the page that says what this server is (console-routes.test.ts has the console).
    server = await buildServer(ctx.app, { consoleDir: null });
  });
  afterAll(async () => {
    await server.close();
  });

  describe('GET / says what this server is, in the browser’s language', () => {
    it('is an HTML page with the name, what it does and links to /docs and /health, Finnish by default', async () => {
      const res = await get('/');
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.body).toContain('<html lang="fi">');
      expect(res.body).toContain('Lupa – asiakasviestintä ja markkinointiluvat');
      expect(res.body).toContain('href="/docs"');
      expect(res.body).toContain('href="/health"');
    });

    it('answers in Swedish to sv-FI and in English to en-GB', async () => {
      expect((await get('/', 'sv-FI,sv;q=0.9,en;q=0.5')).body).toContain('<html lang="sv">');
      expect((await get('/', 'en-GB')).body).toContain('customer communication and marketing permissions');
      expect((await get('/', 'de')).body).toContain('<html lang="fi">');
    });
  });

  describe('an error on a page reached from a message is an HTML page in the person’s language, never JSON', () => {
    const badToken = 'not-a-valid-token';
    it.each([
      ['GET', `/u/${badToken}`, 'sv', 'Länken gäller inte'],
      ['POST', `/u/${badToken}`, undefined, 'Linkki ei ole voimassa'],
      ['GET', `/p/${badToken}`, 'en', 'This link is not valid'],
      ['POST', `/p/${badToken}`, 'sv-FI', 'Länken gäller inte'],
      ['GET', `/c/${badToken}`, 'en-US', 'This link is not valid'],
      ['GET', '/u/', 'en', 'This link is not valid'],
    ] as const)('%s %s (Accept-Language %s)', async (method, url, lang, text) => {
      const res = await server.inject({ method, url, headers: lang === undefined ? {} : { 'accept-language': lang } });
      expect(res.statusCode).toBe(404);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.headers.location).toBeUndefined();
      expect(res.body).toContain(text);
      expect(res.body).toContain(`<html lang="${lang?.slice(0, 2) ?? 'fi'}">`);
    });

    it('refuses a preference form with a value the page does not offer (400), writing nothing', async () => {
      const url = path(preferencesUrl(ctx.app.signer, ctx.app.publicUrl, 'A1'));
      const before = (await ctx.app.stores.ledger.historyOf('A1' as CustomerId)).length;
      const res = await server.inject({ method: 'POST', url, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'marketing.email=bogus&marketing.sms=granted' });
      expect(res.statusCode).toBe(400);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect((await ctx.app.stores.ledger.historyOf('A1' as CustomerId)).length).toBe(before);
    });

    it('names nobody: a signed link to a customer who is gone shows neither the id nor the token', async () => {
      const url = path(unsubscribeUrl(ctx.app.signer, ctx.app.publicUrl, 'GONE-4711', 'email'));
      const res = await get(url, 'en');
      expect(res.statusCode).toBe(404);
      expect(res.body).not.toContain('GONE-4711');
      expect(res.body).not.toContain(url.slice(3));
    });

    it('keeps JSON for the API', async () => {
      const res = await get('/v1/no-such-thing');
      expect(res.statusCode).toBe(404);
      expect(res.json()).toMatchObject({ error: 'NOT_FOUND' });
    });
  });

  describe('greetings', () => {
    it('greets a person by first name and a business neutrally', async () => {
      expect((await get(path(preferencesUrl(ctx.app.signer, ctx.app.publicUrl, 'A1')))).body).toContain('Hei Aino!');
      const business = (await get(path(preferencesUrl(ctx.app.signer, ctx.app.publicUrl, 'B1')))).body;
      expect(business).toContain('Hyvä asiakas');
      expect(business).not.toContain('Hei Oy');
      expect((await get(path(unsubscribeUrl(ctx.app.signer, ctx.app.publicUrl, 'B1', 'email')))).body).toContain('Hyvä asiakas');
    });
  });

  describe('phone and post are opt-out channels', () => {
    it('says that without a choice we may call and mail, and offers the refusal, which then blocks', async () => {
      const url = path(preferencesUrl(ctx.app.signer, ctx.app.publicUrl, 'A1'));
      const page = (await get(url)).body;
      expect(page).toContain('Voimme soittaa sinulle tarjouksista, ellet kiellä sitä.');
      expect(page).toContain('Voimme lähettää sinulle tarjouksia postitse, ellet kiellä sitä.');
      expect(page).toMatch(/name="marketing\.phone" value="withdrawn"> Älkää soittako minulle tarjouksista/);
      const decidePhone = () =>
        decideForCustomer({ ...ctx.app.stores, settings: ctx.app.settings }, { customerId: 'A1' as CustomerId, purpose: 'marketing', channel: 'phone', sku: null, at: ctx.app.now() });
      expect(await decidePhone()).toMatchObject({ allowed: true, basis: 'legitimate_interest' });
      const saved = await server.inject({ method: 'POST', url, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'marketing.phone=withdrawn' });
      expect(saved.body).not.toContain('Voimme soittaa sinulle tarjouksista');
      expect(await decidePhone()).toMatchObject({ allowed: false, reasons: ['CONSENT_WITHDRAWN'] });
    });
  });

  describe('e-mail and SMS to a business are opt-out too (compliance rule 4)', () => {
    it('says so to a business without a choice, and not to a person', async () => {
      const business = (await get(path(preferencesUrl(ctx.app.signer, ctx.app.publicUrl, 'B1')))).body;
      const decideEmail = () =>
        decideForCustomer({ ...ctx.app.stores, settings: ctx.app.settings }, { customerId: 'B1' as CustomerId, purpose: 'marketing', channel: 'email', sku: null, at: ctx.app.now() });
      expect(await decideEmail()).toMatchObject({ allowed: true, basis: 'legitimate_interest' });
      expect(business).toContain('Voimme lähettää sinulle tarjouksia sähköpostilla, ellet kiellä sitä.');
      const person = (await get(path(preferencesUrl(ctx.app.signer, ctx.app.publicUrl, 'A1')))).body;
      expect(person).not.toContain('Voimme lähettää sinulle tarjouksia sähköpostilla, ellet kiellä sitä.');
    });
  });

  describe('the sender’s name and logo', () => {
    it('shows them from the configuration, escaped, on every page', async () => {
      const branded = await buildServer(
        {
          ...ctx.app,
          config: { ...ctx.app.config, LUPA_SENDER_NAME: 'Sanomat & <Uutiset>', LUPA_SENDER_LOGO_URL: 'https://cdn.example.fi/logo.png?a=1&b="x"' },
        },
        { consoleDir: null },
      );
      try {
        for (const url of ['/', path(preferencesUrl(ctx.app.signer, ctx.app.publicUrl, 'A1')), '/u/bad-token']) {
          const body = (await branded.inject({ method: 'GET', url })).body;
          expect(body, url).toContain('<span>Sanomat &amp; &lt;Uutiset&gt;</span>');
          expect(body, url).toContain('<img src="https://cdn.example.fi/logo.png?a=1&amp;b=&quot;x&quot;" alt=""');
        }
      } finally {
        await branded.close();
      }
    });
  });
});
