/** Customers' mail to the support address, read in the inbound parser's thread, bounded on hostile input. */
import { threadId } from 'node:worker_threads';
import { afterAll, expect, it } from 'vitest';
import { parseSupportMail } from './support-mail.ts';
import { ThreadedBounceParser } from './threaded-bounce-parser.ts';

const parser = new ThreadedBounceParser();
afterAll(() => parser.close());

it('reads sender, subject, references and the text of an HTML-only mail, in another thread', async () => {
  const raw = Buffer.from(
    ['From: Aino <aino@example.fi>', 'Subject: Kysymys', 'Message-ID: <A@x>', 'In-Reply-To: <r2@lupa>', 'References: <r1@lupa> <r2@lupa>', 'Content-Type: text/html', '', '<p>Hei &amp; kiitos</p><style>p{}</style>', ''].join('\r\n'),
  );
  const { threadId: readIn, ...mail } = await parser.parseSupport(raw);
  expect(readIn).not.toBe(threadId);
  expect(mail).toEqual(parseSupportMail(raw));
  expect(mail).toMatchObject({ from: 'aino@example.fi', fromName: 'Aino', subject: 'Kysymys', messageId: '<a@x>', refersTo: ['<r2@lupa>', '<r1@lupa>'], automatic: false });
  expect(mail.text).toBe('Hei & kiitos');
});

it('marks auto-replies, and stays fast on a pathological message', () => {
  expect(parseSupportMail(Buffer.from('From: a@b.fi\r\nAuto-Submitted: auto-replied\r\n\r\nOut of office')).automatic).toBe(true);
  const hostile = Buffer.from(`From: ${'<'.repeat(500_000)}\r\nContent-Type: text/html\r\n\r\n${'<style'.repeat(200_000)}`);
  const started = performance.now();
  const mail = parseSupportMail(hostile);
  expect(performance.now() - started).toBeLessThan(2000);
  expect(mail.from).toBe('');
});

it('reads every HTML character reference of an HTML-only mail: named and numeric, Finnish and Swedish letters', () => {
  const html = '<p>Tidningen kom inte i p&auml;iv&#228;n, m&aring;ndags&nbsp;morgon &#x2013; &euro;12 &lt;ok&gt;</p>';
  const raw = Buffer.from(['From: a@example.fi', 'Subject: x', 'Content-Type: text/html; charset=utf-8', '', html, ''].join('\r\n'));
  expect(parseSupportMail(raw).text).toBe('Tidningen kom inte i päivän, måndags morgon – €12 <ok>');
});

it('knows a delivery report (RFC 3464) and the Message-ID of the reply it returns', () => {
  const raw = Buffer.from(
    [
      'From: Mail Delivery System <MAILER-DAEMON@relay.example>',
      'Subject: Undelivered Mail Returned to Sender',
      'Content-Type: multipart/report; report-type=delivery-status; boundary="B"',
      '',
      '--B',
      'Content-Type: text/plain',
      '',
      'The mail system: 552 mailbox full',
      '--B',
      'Content-Type: message/delivery-status',
      '',
      'Reporting-MTA: dns; relay.example',
      '',
      'Final-Recipient: rfc822; aino@example.fi',
      'Action: failed',
      'Status: 5.2.2',
      '--B',
      'Content-Type: text/rfc822-headers',
      '',
      'From: support@lupa.localhost',
      'Message-ID: <Reply-1@Lupa.Localhost>',
      'Subject: Re: Lehti [#7]',
      '--B--',
      '',
    ].join('\r\n'),
  );
  const mail = parseSupportMail(raw);
  expect(mail).toMatchObject({ deliveryReport: true, automatic: true, refersTo: ['<reply-1@lupa.localhost>'] });
  expect(mail.text).toContain('552 mailbox full');
  // A customer's own mail is none.
  expect(parseSupportMail(Buffer.from('From: a@example.fi\r\nSubject: x\r\n\r\nHei\r\n')).deliveryReport).toBe(false);
});
