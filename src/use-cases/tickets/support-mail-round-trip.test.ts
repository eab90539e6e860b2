/**
 * Support mail end to end over real SMTP (docs/customer-service.md): a customer's mail to the
 * support address at the inbound receiver becomes a ticket for the customer, with its attachment in
 * the file store; the agent's reply goes out through the SMTP sender to a recording inbox as a
 * service message, threaded (In-Reply-To, References, the [#ID] token); the customer's answer to it
 * lands in the same ticket. Mail to the bounce domain still goes the bounce path, not to tickets.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DevInbox, type InboxMessage } from '../../channels/email/dev-inbox.ts';
import { startBounceReceiver, ticketDeps, ticketReplyDeps, type App } from '../../composition-root.ts';
import type { Customer, CustomerId, Instant } from '../../core/records.ts';
import { headerOf, inboxSender } from '../../../test/support/sending.ts';
import { describeEachStore } from '../../../test/support/stores.ts';
import { replyToTicket } from './reply.ts';

const BOUNCES = 'b.lupa.test';
const SUPPORT = 'tuki@lupa.test';
const AT = '2026-12-01T08:00:00.000Z' as Instant;

describeEachStore('support mail: a ticket from a customer’s mail, a threaded reply, the answer in the same ticket', (ctx) => {
  const inbox = new DevInbox(100);
  const files = mkdtempSync(join(tmpdir(), 'lupa-ticket-files-'));
  let app: App;
  let mailer: nodemailer.Transporter;
  let stop: () => Promise<void> = async () => undefined;
  let inboxPort = 0;

  beforeAll(async () => {
    app = { ...ctx.app, config: { ...ctx.app.config, LUPA_BOUNCE_DOMAIN: BOUNCES, LUPA_SUPPORT_ADDRESS: SUPPORT, LUPA_TICKET_FILES_DIR: files, LUPA_TICKET_ATTACHMENT_MAX_BYTES: 1000 } };
    const started = await startBounceReceiver(app, { port: 0 });
    if (started === null) throw new Error('receiver did not start');
    stop = () => started.receiver.stop();
    mailer = nodemailer.createTransport({ host: '127.0.0.1', port: started.port, ignoreTLS: true });
    inboxPort = (await inbox.start('127.0.0.1', 0)).port;
    const aino: Customer = { id: 'C-AINO' as CustomerId, kind: 'person', name: 'Aino Virtanen', emails: ['aino@example.fi'], phones: [], address: null, locale: 'fi', createdAt: AT, updatedAt: AT };
    await app.stores.customers.insertCustomer(aino);
  });
  afterAll(async () => {
    mailer.close();
    await stop();
    await inbox.stop();
    rmSync(files, { recursive: true, force: true });
  });

  const send = (raw: string, to = SUPPORT, from = 'aino@example.fi') => mailer.sendMail({ envelope: { from, to: [to] }, raw });
  const ticketsNow = () => app.stores.tickets.list({ limit: 100 });

  it('files the mail as a ticket, replies in its thread, and takes the answer into the same ticket', async () => {
    const boundary = 'b1';
    await send(
      [
        'From: "Aino Virtanen" <Aino@Example.FI>',
        `To: ${SUPPORT}`,
        'Subject: =?UTF-8?Q?Lehti_ei_tullut_t=C3=A4n=C3=A4=C3=A4n?=',
        'Message-ID: <q1@mail.example.fi>',
        'MIME-Version: 1.0',
        `Content-Type: multipart/mixed; boundary="${boundary}"`,
        '',
        `--${boundary}`,
        'Content-Type: text/plain; charset=utf-8',
        '',
        'Hei, lehti ei tullut tänään.',
        `--${boundary}`,
        'Content-Type: image/png; name="kuva.png"',
        'Content-Disposition: attachment; filename="../kuva.png"',
        'Content-Transfer-Encoding: base64',
        '',
        Buffer.from('PNGDATA').toString('base64'),
        `--${boundary}`,
        'Content-Type: application/pdf',
        'Content-Disposition: attachment; filename="iso.pdf"',
        'Content-Transfer-Encoding: base64',
        '',
        Buffer.alloc(2000, 1).toString('base64'),
        `--${boundary}--`,
        '',
      ].join('\r\n'),
    );
    const [ticket] = await ticketsNow();
    expect(ticket).toMatchObject({ customerId: 'C-AINO', contact: 'aino@example.fi', channel: 'email', subject: 'Lehti ei tullut tänään', status: 'new' });
    const id = ticket?.id ?? 0;
    const [first] = await app.stores.tickets.messages(id);
    expect(first?.body).toContain('Hei, lehti ei tullut tänään.');
    // The one over LUPA_TICKET_ATTACHMENT_MAX_BYTES is named, not kept; the name is stripped of its path.
    expect(first?.body).toContain('iso.pdf');
    expect(first?.attachments.map((a) => [a.fileName, a.bytes])).toEqual([['kuva.png', 7]]);
    expect((await ticketDeps(app).files.read(first?.attachments[0]?.storedAs ?? ''))?.toString()).toBe('PNGDATA');

    // The agent's reply, through the SMTP sender, into the recording inbox.
    const sender = inboxSender(app, inboxPort);
    try {
      await replyToTicket(ticketReplyDeps(app, sender), { ticketId: id, body: 'Pahoittelut! Lähetämme lehden uudelleen.', agent: 'u-agent' });
    } finally {
      await sender.close();
    }
    const [summary] = await inbox.list();
    const reply = (await inbox.get(summary?.id ?? 0)) as InboxMessage;
    expect(reply.envelopeTo).toEqual(['aino@example.fi']);
    expect(reply.subject).toBe(`Re: Lehti ei tullut tänään [#${id}]`);
    expect(headerOf(reply, 'in-reply-to')).toBe('<q1@mail.example.fi>');
    expect(headerOf(reply, 'references')).toBe('<q1@mail.example.fi>');
    expect(headerOf(reply, 'reply-to')).toContain(SUPPORT);
    expect(reply.from).toContain(SUPPORT);
    // A service message: no unsubscribe headers, no marketing footer.
    expect(headerOf(reply, 'list-unsubscribe')).toBeUndefined();
    expect(headerOf(reply, 'feedback-id')).toMatch(/service/);
    expect(reply.text).toBe('Pahoittelut! Lähetämme lehden uudelleen.');
    const replyId = headerOf(reply, 'message-id') ?? '';
    expect(await app.stores.tickets.get(id)).toMatchObject({ status: 'waiting' });
    expect((await app.stores.tickets.get(id))?.firstRespondedAt).not.toBeNull();

    // The customer's client answers with the reply's Message-ID in In-Reply-To and References.
    await send(['From: aino@example.fi', `To: ${SUPPORT}`, `Subject: ${reply.subject}`, 'Message-ID: <q2@mail.example.fi>', `In-Reply-To: ${replyId}`, `References: <q1@mail.example.fi> ${replyId}`, '', 'Kiitos, tuli nyt.', ''].join('\r\n'));
    expect(await ticketsNow()).toHaveLength(1);
    const thread = await app.stores.tickets.messages(id);
    expect(thread.map((m) => [m.author, m.body])).toEqual([
      ['customer', expect.stringContaining('Hei, lehti')],
      ['agent', 'Pahoittelut! Lähetämme lehden uudelleen.'],
      ['customer', 'Kiitos, tuli nyt.'],
    ]);
    expect(await app.stores.tickets.get(id)).toMatchObject({ status: 'open' });

    // Without the headers, the subject's token finds the ticket for its own requester only.
    await send(['From: aino@example.fi', `To: ${SUPPORT}`, `Subject: Vielä yksi asia [#${id}]`, '', 'Ja osoite muuttuu.', ''].join('\r\n'));
    expect(await ticketsNow()).toHaveLength(1);
    await send(['From: vieras@example.com', `To: ${SUPPORT}`, `Subject: Hei [#${id}]`, '', 'Arvaan numeron.', ''].join('\r\n'), SUPPORT, 'vieras@example.com');
    const all = await ticketsNow();
    expect(all).toHaveLength(2);
    // An unknown sender: a ticket with the address kept, no customer made.
    expect(all[0]).toMatchObject({ customerId: null, contact: 'vieras@example.com' });
    expect(await app.stores.customers.searchCustomers({ email: 'vieras@example.com', limit: 1 })).toEqual([]);
  });

  it('routes by recipient: the bounce domain is no ticket, another domain is refused', async () => {
    const before = (await ticketsNow()).length;
    await send(['From: mailer-daemon@example.fi', `To: x@${BOUNCES}`, 'Subject: Undelivered', '', 'no such user', ''].join('\r\n'), `x@${BOUNCES}`);
    expect(await ticketsNow()).toHaveLength(before);
    await expect(send('Subject: x\r\n\r\nx\r\n', 'someone@elsewhere.example')).rejects.toThrow(/550|no such user/);
  });
});
