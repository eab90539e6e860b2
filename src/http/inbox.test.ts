/** The local development inbox: real SMTP in, HTTP out. */
import nodemailer from 'nodemailer';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DevInbox } from '../channels/email/dev-inbox.ts';
import { createApiKey } from '../use-cases/api-keys.ts';
import { describeEachStore } from '../../test/support/stores.ts';
import { buildServer } from './server.ts';

describeEachStore('the development inbox', (ctx) => {
  const inbox = new DevInbox();
  let server: FastifyInstance;
  let port = 0;
  let key = '';
  let analystKey = '';

  beforeAll(async () => {
    port = (await inbox.start('127.0.0.1', 0)).port;
    server = await buildServer(ctx.app, { devInbox: inbox });
    key = (await createApiKey({ apiKeys: ctx.app.stores.apiKeys, now: ctx.app.now }, { name: 'm', role: 'marketer' })).key;
    analystKey = (await createApiKey({ apiKeys: ctx.app.stores.apiKeys, now: ctx.app.now }, { name: 'a', role: 'analyst' })).key;
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true });
    await transport.sendMail({
      from: 'Uutisvirta <uutiset@lupa.example>',
      to: 'aino@example.fi',
      envelope: { from: 'b-123@bounces.lupa.example', to: ['aino@example.fi'] },
      subject: 'Jakeluhäiriö <Tampere>',
      text: 'Lehden jakelu myöhästyy.',
      html: '<p>Lehden jakelu <b>myöhästyy</b>.</p><script>alert(1)</script>',
      headers: { 'List-Unsubscribe': '<https://lupa.example/u/abc>', 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
    });
    transport.close();
  });
  afterAll(async () => {
    await server.close();
    await inbox.stop();
  });

  it('receives a message over SMTP and lists it with its envelope', async () => {
    const res = await server.inject({ url: '/v1/inbox/messages', headers: { authorization: `Bearer ${key}` } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual([
      expect.objectContaining({ id: 1, subject: 'Jakeluhäiriö <Tampere>', envelopeFrom: 'b-123@bounces.lupa.example', envelopeTo: ['aino@example.fi'] }),
    ]);
  });

  it('shows a message with its headers, text and HTML, and its raw source', async () => {
    const one = (await server.inject({ url: '/v1/inbox/messages/1', headers: { authorization: `Bearer ${key}` } })).json();
    expect(one.headers).toContainEqual({ name: 'list-unsubscribe-post', value: 'List-Unsubscribe=One-Click' });
    expect(one.text).toContain('Lehden jakelu myöhästyy.');
    expect(one.html).toContain('<b>myöhästyy</b>');
    const raw = await server.inject({ url: '/v1/inbox/messages/1/raw', headers: { authorization: `Bearer ${key}` } });
    expect(raw.headers['content-type']).toMatch(/message\/rfc822/);
    expect(raw.body).toMatch(/^List-Unsubscribe: <https:\/\/lupa\.example\/u\/abc>/m);
    expect((await server.inject({ url: '/v1/inbox/messages/99', headers: { authorization: `Bearer ${key}` } })).statusCode).toBe(404);
  });

  it('needs a key with the inbox permission for the API', async () => {
    expect((await server.inject({ url: '/v1/inbox/messages' })).statusCode).toBe(401);
    expect((await server.inject({ url: '/v1/inbox/messages', headers: { authorization: `Bearer ${analystKey}` } })).statusCode).toBe(403);
  });

  it('serves the page only to this machine, with the subject escaped and the HTML sandboxed', async () => {
    const list = await server.inject({ url: '/inbox', remoteAddress: '127.0.0.1' });
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain('Jakeluhäiriö &lt;Tampere&gt;');
    const message = await server.inject({ url: '/inbox/1', remoteAddress: '127.0.0.1' });
    expect(message.body).toContain('<iframe sandbox=""');
    expect(message.body).not.toContain('<script>alert(1)</script>');
    expect((await server.inject({ url: '/inbox', remoteAddress: '192.0.2.7' })).statusCode).toBe(403);
  });
});
