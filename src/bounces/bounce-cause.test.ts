/**
 * A bounce is classed by its cause, not by the first digit of its code (compliance.md §3): the
 * field reports, further phrasings of each cause (other vendors, Finnish, Swedish), explicit provider
 * verdicts, and hostile input that must not make the text scanning slow.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseBounceSync } from './bounce-parser.ts';
import { MAX_HEADER_FIELDS, parseHeaderBlock } from './headers.ts';
import { MAX_PARTS, parseMime, type MimePart } from './mime.ts';

const FIELD = new URL('../../test/fixtures/field/', import.meta.url);
const field = (name: string): Buffer => readFileSync(new URL(name, FIELD));

/** An RFC 3464 report for one recipient with the given per-recipient fields. */
function dsn(fields: string, notice = 'Your message could not be delivered.'): string {
  return [
    'From: Mail Delivery System <MAILER-DAEMON@mx.example.net>',
    'To: b-x@bounces.lupa.test',
    'Subject: Undelivered Mail Returned to Sender',
    'MIME-Version: 1.0',
    'Content-Type: multipart/report; report-type=delivery-status; boundary="B"',
    '',
    '--B',
    'Content-Type: text/plain; charset=utf-8',
    '',
    notice,
    '--B',
    'Content-Type: message/delivery-status',
    '',
    'Reporting-MTA: dns; mx.example.net',
    '',
    'Final-Recipient: rfc822; aino@example.fi',
    'Action: failed',
    fields,
    '--B--',
    '',
  ].join('\n');
}

describe('the field reports', () => {
  it('classes a 5.2.2 over-quota report as soft: a full mailbox exists', () => {
    expect(parseBounceSync(field('dsn-gmail-522-over-quota.eml'))).toMatchObject({ class: 'soft', status: '5.2.2', reason: 'mailboxfull', cause: 'temporary' });
  });

  it('never classes a refusal of the sending IP (block list, S3150) as hard', () => {
    const r = parseBounceSync(field('dsn-outlook-571-sender-ip-blocklist-s3150.eml'));
    expect(r.class).not.toBe('hard');
    expect(r).toMatchObject({ class: 'other', cause: 'sender', reason: 'blocked' });
  });

  it('reads an unknown user from X-Supplementary-Info when the status is a generic 5.0.0', () => {
    expect(parseBounceSync(field('dsn-status-500-x-supplementary-unknown-user.eml'))).toMatchObject({ class: 'hard', status: '5.0.0', reason: 'userunknown' });
  });
});

describe('the cause decides the class', () => {
  it.each([
    ['Status: 5.2.2\nDiagnostic-Code: smtp; 552 5.2.2 Mailbox full', 'soft', 'mailboxfull'],
    ['Status: 5.2.2\nDiagnostic-Code: smtp; 552 Quota exceeded (mailbox for user is full)', 'soft', 'mailboxfull'],
    ['Status: 5.0.0\nDiagnostic-Code: smtp; 550 5.0.0 Postilaatikko on täynnä', 'soft', 'mailboxfull'],
    ['Status: 5.0.0\nDiagnostic-Code: smtp; 552 Brevlådan är full', 'soft', 'mailboxfull'],
    ['Status: 5.0.0\nDiagnostic-Code: smtp; 550 Käyttäjää ei ole', 'hard', 'userunknown'],
    ['Status: 5.0.0\nDiagnostic-Code: smtp; 550 Okänd mottagare', 'hard', 'userunknown'],
    ['Status: 5.0.0\nDiagnostic-Code: smtp; 550 Användaren finns inte', 'hard', 'userunknown'],
    ['Status: 5.0.0\nDiagnostic-Code: smtp; 550 Tuntematon vastaanottaja', 'hard', 'userunknown'],
    ['Status: 5.0.0\nDiagnostic-Code: smtp; 550 Tili on suljettu', 'hard', 'suspend'],
    ['Status: 5.7.1\nDiagnostic-Code: smtp; 554 5.7.1 Service unavailable; Client host [192.0.2.9] blocked using zen.spamhaus.org', 'other', 'blocked'],
    ['Status: 5.7.1\nDiagnostic-Code: smtp; 550 5.7.1 Message rejected as likely unsolicited mail', 'other', 'spamdetected'],
    ['Status: 5.7.26\nDiagnostic-Code: smtp; 550 5.7.26 Unauthenticated email from example.com is not accepted due to domain\'s DMARC policy', 'other', 'authfailure'],
    ['Status: 5.7.1\nDiagnostic-Code: smtp; 550 5.7.1 Viesti hylättiin: lähettäjän IP on estolistalla', 'other', 'blocked'],
    ['Status: 5.7.1\nDiagnostic-Code: smtp; 550 5.7.1 Meddelandet avvisades: avsändarens IP finns på en spärrlista', 'other', 'blocked'],
    ['Status: 5.7.1\nDiagnostic-Code: smtp; 550 5.7.1 Sender IP has poor reputation', 'other', 'blocked'],
  ] as const)('%j → %s (%s)', (fields, expected, reason) => {
    expect(parseBounceSync(dsn(fields))).toMatchObject({ class: expected, reason });
  });

  it('reads the cause from any vendor field of the recipient, and from the notice when the status is generic', () => {
    expect(parseBounceSync(dsn('Status: 5.0.0\nX-Remote-Reason: mailbox unavailable, user unknown'))).toMatchObject({ class: 'hard', reason: 'userunknown' });
    expect(parseBounceSync(dsn('Status: 5.0.0', 'Viestiä ei voitu toimittaa: postilaatikko on täynnä.'))).toMatchObject({ class: 'soft', reason: 'mailboxfull' });
    expect(parseBounceSync(dsn('Status: 5.0.0', 'Meddelandet kunde inte levereras: okänd mottagare.'))).toMatchObject({ class: 'hard', reason: 'userunknown' });
  });

  it('keeps a failure whose cause nobody states out of hard', () => {
    expect(parseBounceSync(dsn('Status: 5.0.0\nDiagnostic-Code: smtp; 550 5.0.0 Error'))).toMatchObject({ class: 'other', cause: null });
  });
});

/** An Amazon SES bounce notification as SNS mails it. */
const ses = (bounceType: string, subType: string, status: string, diagnostic: string): string =>
  'From: no-reply@sns.amazonaws.example\nSubject: Amazon SES Email Event Notification\n\n' +
  JSON.stringify({ notificationType: 'Bounce', bounce: { bounceType, bounceSubType: subType, bouncedRecipients: [{ emailAddress: 'aino@example.fi', status, diagnosticCode: diagnostic }] } });

describe('an explicit provider verdict wins over the code', () => {
  it('a Transient verdict is soft even with a 5.x.x status', () => {
    expect(parseBounceSync(ses('Transient', 'General', '5.1.1', 'smtp; 550 5.1.1 user unknown'))).toMatchObject({ class: 'soft', status: '5.1.1' });
  });

  it('a named subtype gives the cause: MailboxFull soft, ContentRejected never hard, NoEmail hard', () => {
    expect(parseBounceSync(ses('Transient', 'MailboxFull', '5.2.2', 'smtp; 552 5.2.2'))).toMatchObject({ class: 'soft', reason: 'mailboxfull' });
    expect(parseBounceSync(ses('Permanent', 'ContentRejected', '5.7.1', 'smtp; 550 5.7.1 rejected'))).toMatchObject({ class: 'other', cause: 'sender' });
    expect(parseBounceSync(ses('Permanent', 'NoEmail', '5.0.0', 'smtp; 550'))).toMatchObject({ class: 'hard', reason: 'userunknown' });
  });
});

describe('text scanning is linear and bounded', () => {
  const report = (body: string): string => `From: MAILER-DAEMON@mx.example.net\nSubject: Undelivered Mail\n\n${body}\n`;
  // Each input made a pattern backtrack over the whole text (minutes at this size) before.
  it.each([
    ['blank lines after a Gmail heading', `Delivery to the following recipient failed permanently:${' \n'.repeat(30_000)}x`],
    ['blank lines after an Exchange heading', `could not be delivered to:${'\n \n'.repeat(20_000)}x`],
    ['a long run of address characters', 'a'.repeat(60_000)],
    ['HTML that never closes its tags', `${'<style>'.repeat(5000)}${'<'.repeat(20_000)}`],
  ])('parses %s', (_name, body) => {
    expect(parseBounceSync(report(body)).class).toBe('other');
  });

  it('reads at most 200 parts of a message, at every level together', () => {
    const part = '--b\r\nContent-Type: text/plain\r\n\r\nx\r\n';
    const parts = (root: MimePart): number => root.parts.reduce((n, p) => n + 1 + parts(p), 0);
    const wide = parseMime(`Content-Type: multipart/mixed; boundary=b\r\n\r\n${part.repeat(5000)}--b--\r\n`);
    expect(wide.parts).toHaveLength(MAX_PARTS);
    const inner = `Content-Type: multipart/mixed; boundary=c\r\n\r\n${part.replace('--b', '--c').repeat(150)}--c--`;
    const nested = parseMime(`Content-Type: multipart/mixed; boundary=b\r\n\r\n${`--b\r\n${inner}\r\n`.repeat(10)}--b--\r\n`);
    expect(parts(nested)).toBe(MAX_PARTS);
  });

  it('reads at most 1000 fields of a header block', () => {
    expect(parseHeaderBlock('X-Field: value\n'.repeat(50_000))).toHaveLength(MAX_HEADER_FIELDS);
    expect(MAX_HEADER_FIELDS).toBe(1000);
  });

  it('reads no further than the first 2 MiB of a message', () => {
    const huge = report(`${'x'.repeat(3 * 1024 * 1024)}\nFinal-Recipient: rfc822; aino@example.fi\nAction: failed\nStatus: 5.1.1\n`);
    expect(parseBounceSync(huge)).toMatchObject({ recipient: null, reason: null });
  });
});
