/** The local development inbox: real SMTP in, HTTP out, behind an API key and audited. */
import { Readable } from 'node:stream';
import nodemailer from 'nodemailer';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DevInbox } from '../channels/email/dev-inbox.ts';
import { bounceAddress } from '../channels/email/verp.ts';
import { demoToNdjson } from '../demo/generate-demo.ts';
import { runImport } from '../import/run-import.ts';
import { createApiKey } from '../use-cases/api-keys.ts';
import { describeEachStore } from '../../test/support/stores.ts';
import { sentCampaign } from '../../test/support/sending.ts';
import { buildServer } from './server.ts';

const ENCODED_SUBJECT = '=?UTF-8?B?SmFrZWx1aMOkaXJpw7YgVGFtcGVyZWVsbGE=?= =?utf-8?q?_p=C3=A4=C3=A4ttyy?=';

describeEachStore('the development inbox', (ctx) => {
  const inbox = new DevInbox();
  const logs: string[] = [];
  let server: FastifyInstance;
  let port = 0;
  let key = '';
  let analystKey = '';
  let customerId = '';
  const bearer = (k = key): Record<string, string> => ({ authorization: `Bearer ${k}` });
  const basic = (k = key): Record<string, string> => ({ authorization: `Basic ${Buffer.from(`inbox:${k}`).toString('base64')}` });
  const send = async (mail: nodemailer.SendMailOptions): Promise<void> => {
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true });
    await transport.sendMail(mail);
    transport.close();
  };
  /** The inbox reads in the audit log, oldest first, as the DPO's reads see them. */
  const inboxReads = async (): Promise<{ customerId: string | null; detail: unknown }[]> =>
    (await ctx.app.stores.registerReads.auditEntries({ action: 'inbox.read' }, { limit: 1000, after: null })).reverse().map((r) => ({ customerId: r.customerId, detail: r.detail }));

  beforeAll(async () => {
    port = (await inbox.start('127.0.0.1', 0)).port;
    // Logging at info (the suites' apps are silent), to see what a request leaves in the log.
    const logged = { ...ctx.app, config: { ...ctx.app.config, LUPA_LOG_LEVEL: 'info' as const } };
    server = await buildServer(logged, { devInbox: inbox, logger: true, logStream: { write: (line) => void logs.push(line) } });
    key = (await createApiKey({ apiKeys: ctx.app.stores.apiKeys, now: ctx.app.now }, { name: 'm', role: 'marketer' })).key;
    analystKey = (await createApiKey({ apiKeys: ctx.app.stores.apiKeys, now: ctx.app.now }, { name: 'a', role: 'analyst' })).key;
    await runImport({ database: ctx.app.database, settings: ctx.app.settings, now: ctx.app.now }, { stream: Readable.from(demoToNdjson({ customers: 3, seed: 2 })), format: 'ndjson' });
    const delivery = (await sentCampaign(ctx.app, 'inbox notice')).deliveries[0];
    if (delivery === undefined) throw new Error('no delivery');
    customerId = delivery.customerId;
    // 1: sent by Lupa for a delivery (its signed return path names it); 2: encoded words; 3..9: for paging.
    await send({
      from: 'Uutisvirta <uutiset@lupa.example>',
      to: 'aino@example.fi',
      envelope: { from: bounceAddress(ctx.app.signer, delivery.id, 'b.lupa.test'), to: ['aino@example.fi'] },
      subject: 'Jakeluhäiriö <Tampere>',
      text: 'Lehden jakelu myöhästyy.',
      html: '<p>Lehden jakelu <b>myöhästyy</b>, katso <a href="https://jakelu.example/tilanne">tilanne</a>.</p><script>alert(1)</script>',
      headers: { 'List-Unsubscribe': '<https://lupa.example/u/abc>', 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
    });
    await send({
      envelope: { from: 'someone@example.org', to: ['bo@example.fi'] },
      raw: `From: someone@example.org\r\nTo: =?utf-8?q?Bo_=C3=85kerman?= <bo@example.fi>\r\nSubject: ${ENCODED_SUBJECT}\r\n\r\nHej.\r\n`,
    });
    for (let i = 3; i <= 9; i++) await send({ from: 'uutiset@lupa.example', to: `lukija${i}@example.fi`, subject: `Viesti ${i}`, text: 'x' });
  });
  afterAll(async () => {
    await server.close();
    await inbox.stop();
  });

  it('receives a message over SMTP and lists it with its envelope', async () => {
    const res = await server.inject({ url: '/v1/inbox/messages?before=2', headers: bearer() });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      messages: [expect.objectContaining({ id: 1, subject: 'Jakeluhäiriö <Tampere>', envelopeTo: ['aino@example.fi'] })],
      next: null,
    });
  });

  it('decodes encoded words in the subject and the headers, in the API and on the page', async () => {
    const one = (await server.inject({ url: '/v1/inbox/messages/2', headers: bearer() })).json();
    expect(one.subject).toBe('Jakeluhäiriö Tampereella päättyy');
    expect(one.to).toBe('"Bo Åkerman" <bo@example.fi>');
    expect(one.headers).toContainEqual({ name: 'subject', value: 'Jakeluhäiriö Tampereella päättyy' });
    const page = await server.inject({ url: '/inbox/2', headers: basic() });
    expect(page.body).toContain('Jakeluhäiriö Tampereella päättyy');
    expect(page.body).not.toContain('=?');
  });

  it('pages through every message once, newest first, even when mail arrives between pages', async () => {
    const seen: number[] = [];
    let url = '/v1/inbox/messages?limit=4';
    for (;;) {
      const page = (await server.inject({ url, headers: bearer() })).json<{ messages: { id: number }[]; next: number | null }>();
      seen.push(...page.messages.map((m) => m.id));
      if (seen.length === 4) await send({ from: 'uutiset@lupa.example', to: 'myohassa@example.fi', subject: 'Myöhässä', text: 'x' });
      if (page.next === null) break;
      url = `/v1/inbox/messages?limit=4&before=${page.next}`;
    }
    expect(seen).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1]);
    const list = await server.inject({ url: '/inbox?before=3', headers: basic() });
    expect(list.body).toContain('href="/inbox/2"');
    expect(list.body).not.toContain('href="/inbox/3"');
  });

  it('shows the HTML part sandboxed without scripts, its links opening in a new tab, and the raw source as plain text', async () => {
    const message = await server.inject({ url: '/inbox/1', headers: basic() });
    expect(message.statusCode).toBe(200);
    expect(message.body).toContain('<iframe title="HTML part" sandbox="allow-popups allow-popups-to-escape-sandbox" srcdoc="&lt;base target=&quot;_blank&quot;&gt;&lt;p&gt;');
    expect(message.body).not.toContain('<script>alert(1)</script>');
    expect(message.headers['content-security-policy']).toContain("default-src 'none'");
    expect(message.body).toContain('href="/inbox/1/raw"');
    const raw = await server.inject({ url: '/inbox/1/raw', headers: basic() });
    expect(raw.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(raw.body).toMatch(/^List-Unsubscribe: <https:\/\/lupa\.example\/u\/abc>/m);
    const api = await server.inject({ url: '/v1/inbox/messages/1/raw', headers: bearer() });
    expect(api.headers['content-type']).toMatch(/message\/rfc822/);
    expect((await server.inject({ url: '/v1/inbox/messages/99', headers: bearer() })).statusCode).toBe(404);
  });

  it('leaves out the open-tracking image, so looking at a message here counts as no open', async () => {
    const before = (await inbox.list()).length;
    await send({ from: 'uutiset@lupa.example', to: 'aino@example.fi', subject: 'Avattu?', html: '<p>Hei</p><img src="https://lupa.example/o/abc.DEF-123_x.gif" width="1" height="1" alt=""><img src="https://kuvat.example/logo.png" alt="logo">', text: 'Hei' });
    const id = (await inbox.list()).length > before ? (await inbox.list())[0]?.id : undefined;
    const page = await server.inject({ url: `/inbox/${String(id)}`, headers: basic() });
    expect(page.body).not.toContain('/o/abc.DEF-123_x.gif');
    expect(page.body).toContain('kuvat.example/logo.png');
  });

  it('refuses pages and API without a valid key, asking the browser to sign in', async () => {
    for (const url of ['/inbox', '/inbox/1', '/inbox/1/raw']) {
      for (const headers of [{}, basic('lupa_not-a-key'), { authorization: 'Basic bm9wYXNzd29yZA==' }]) {
        const res = await server.inject({ url, headers, remoteAddress: '127.0.0.1' });
        expect(res.statusCode).toBe(401);
        expect(res.headers['www-authenticate']).toBe('Basic realm="Lupa", charset="UTF-8"');
        expect(res.body).not.toContain('aino@example.fi');
      }
    }
    expect((await server.inject({ url: '/inbox', headers: bearer() })).statusCode).toBe(200);
    expect((await server.inject({ url: '/inbox', headers: basic(analystKey) })).statusCode).toBe(403);
    expect((await server.inject({ url: '/v1/inbox/messages' })).statusCode).toBe(401);
    expect((await server.inject({ url: '/v1/inbox/messages/1', headers: basic() })).statusCode).toBe(401);
    expect((await server.inject({ url: '/v1/inbox/messages', headers: bearer(analystKey) })).statusCode).toBe(403);
  });

  it('audits each message read, with the customer Lupa sent it to when known', async () => {
    const before = (await inboxReads()).length;
    await server.inject({ url: '/inbox/1', headers: basic() });
    await server.inject({ url: '/v1/inbox/messages/2', headers: bearer() });
    const added = (await inboxReads()).slice(before);
    expect(added).toEqual([
      { customerId, detail: { message: 1, view: 'page.message' } },
      { customerId: null, detail: { message: 2, view: 'api.message' } },
    ]);
    const refused = (await inboxReads()).length;
    await server.inject({ url: '/inbox/1' });
    expect((await inboxReads()).length).toBe(refused);
  });

  it('writes no recipient, subject or key to the log', () => {
    const text = logs.join('');
    expect(text).toContain('"route":"/inbox/:id"');
    for (const secret of ['aino@example.fi', 'Åkerman', 'Jakeluhäiriö', key, analystKey, Buffer.from(`inbox:${key}`).toString('base64')]) {
      expect(text).not.toContain(secret);
    }
  });
});
