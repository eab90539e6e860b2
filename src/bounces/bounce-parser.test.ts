import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseBounce, type BounceResult } from './bounce-parser.ts';
import { classify, detectReason } from './classify.ts';

/** The real-world corpus (sisimai/set-of-emails, BSD 2-Clause; see the README and licence there). */
const FIXTURES = new URL('../../test/fixtures/bounces/', import.meta.url);

interface ManifestEntry {
  file: string;
  mta: string;
  sisimai_reason: string;
  class: BounceResult['class'];
  recipient: string | null;
  status: string | null;
  status_is_sisimai_internal: boolean;
  feedback_type?: string | null;
  recipients_sisimai_run: string[];
  /** The classes right by the cause-based rule (compliance.md §3): sender-side refusals accept soft or other. */
  accept: BounceResult['class'][];
}

const manifest = JSON.parse(readFileSync(new URL('manifest.json', FIXTURES), 'utf8')) as ManifestEntry[];

/**
 * Messages we still classify wrongly, each with the reason. A listed message must keep failing:
 * fixing one makes its test fail until it is removed from here. Empty: all 122 pass.
 */
const KNOWN_MISSES: Readonly<Record<string, string>> = {};

/**
 * Messages whose recipient differs from the one Sisimai printed (that output is a hint, not an
 * expectation); each difference was checked by reading the message.
 */
const RECIPIENT_DIFFERS: Readonly<Record<string, string>> = {
  '0003.eml': 'no recipient in the report; Sisimai prints a placeholder address',
  '0004.eml': 'we use Removal-Recipient; Sisimai prints a placeholder address',
  '0006.eml': 'no recipient in the report; Sisimai prints a placeholder address',
  '0072.eml': 'Final-Recipient has "-neko-"; Sisimai took the mailto link in the HTML part',
  '0100.eml': 'the message says 12 zeros in RCPT TO; Sisimai printed 11',
};

function load(file: string): Buffer {
  return readFileSync(new URL(file, FIXTURES));
}

function matches(e: ManifestEntry, r: BounceResult): boolean {
  if (!e.accept.includes(r.class)) return false;
  if (e.recipient !== null && r.recipient?.toLowerCase() !== e.recipient.toLowerCase()) return false;
  if (e.status === null) return true;
  // Sisimai's made-up X.0.9NN codes: only the class digit is comparable (see the corpus README).
  return e.status_is_sisimai_internal ? r.status?.[0] === e.status[0] : r.status === e.status;
}

describe('parseBounce on the real-world corpus', () => {
  const cases = manifest.map((e) => ({ ...e, name: `${e.file} (${e.mta}, ${e.sisimai_reason}) is ${e.accept.join(' or ')}` }));

  it.each(cases)('$name', async (e) => {
    const r = await parseBounce(load(e.file));
    if (e.file in KNOWN_MISSES) {
      expect(matches(e, r), `${e.file} now passes: remove it from KNOWN_MISSES`).toBe(false);
      return;
    }
    expect(e.accept).toContain(r.class);
    if (e.recipient !== null) expect(r.recipient?.toLowerCase()).toBe(e.recipient.toLowerCase());
    if (e.status !== null) {
      if (e.status_is_sisimai_internal) expect(r.status?.[0]).toBe(e.status[0]);
      else expect(r.status).toBe(e.status);
    }
    if (e.class === 'complaint' && e.feedback_type != null) expect(r.feedbackType).toBe(e.feedback_type);
  });

  it.each(cases.filter((e) => !(e.file in RECIPIENT_DIFFERS)))('$file recipient is one Sisimai found', async (e) => {
    const r = await parseBounce(load(e.file));
    expect(e.recipients_sisimai_run.map((a) => a.toLowerCase())).toContain(r.recipient);
  });

  it('covers the whole corpus with the counts the README gives', () => {
    const counts: Record<string, number> = {};
    for (const e of manifest) counts[e.class] = (counts[e.class] ?? 0) + 1;
    expect(counts).toEqual({ hard: 78, soft: 18, complaint: 15, other: 11 });
  });
});

describe('classify', () => {
  const c = (status: string | null, text = '', extra: { replyCode?: string; action?: string } = {}) =>
    classify({ status, replyCode: extra.replyCode ?? null, text, action: extra.action ?? null });

  it.each([
    ['5.1.1', 'hard'],
    ['5.2.1', 'hard'],
    ['5.2.2', 'soft'],
    ['5.7.26', 'other'],
    ['5.7.1', 'other'],
    ['4.2.2', 'soft'],
    ['4.4.7', 'soft'],
    ['2.0.0', 'other'],
  ] as const)('a specific status %s with no stated reason is %s, by the cause it names', (status, expected) => {
    expect(c(status, 'whatever').class).toBe(expected);
  });

  it('a generic status takes its class digit only when a reason is recognised', () => {
    expect(c('5.0.0', 'User unknown')).toMatchObject({ class: 'hard', status: '5.0.0', reason: 'userunknown' });
    expect(c('4.0.0', 'Temporary failure')).toMatchObject({ class: 'other', status: '4.0.0', reason: null });
  });

  it('derives a status from the reply code or the phrase when no status is given', () => {
    expect(c(null, 'no such user here', { replyCode: '550' })).toMatchObject({ class: 'hard', status: '5.1.1' });
    expect(c(null, 'Mailbox full')).toMatchObject({ class: 'soft', status: '4.2.2' });
    expect(c(null, 'retry timeout exceeded')).toMatchObject({ class: 'soft', reason: 'expired' });
    expect(c(null, 'Domain does not exist')).toMatchObject({ class: 'hard', reason: 'hostunknown' });
  });

  it('treats delays as soft and delivered/relayed as other', () => {
    expect(c(null, 'Host not reachable', { action: 'delayed' }).class).toBe('soft');
    expect(c('5.1.1', '', { action: 'delivered' }).class).toBe('other');
    expect(c(null, '', { action: 'relayed' }).class).toBe('other');
  });

  it.each([
    ['550 5.1.1 <a@b.example>: Recipient address rejected: User unknown in virtual mailbox table', 'userunknown'],
    ['452 4.2.2 Mailbox full', 'mailboxfull'],
    ['552 Message size exceeds fixed maximum message size', 'mesgtoobig'],
    ['554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org', 'blocked'],
    ['550 5.7.1 Message rejected as spam by Content Filtering', 'spamdetected'],
    ['550-Please turn on SMTP Authentication\n550-host is not permitted to\n550 relay through this server', 'securityerror'],
    ['554 5.7.1 Relay access denied', 'norelaying'],
    ['421 Too many concurrent SMTP connections', 'toomanyconn'],
    ['Host or domain name not found. Name service error', 'hostunknown'],
  ] as const)('phrase %j → %s', (text, reason) => {
    expect(detectReason(text)).toBe(reason);
  });
});

const RFC3464 = [
  'From: MAILER-DAEMON@mx.example.net',
  'To: sender@example.org',
  'Subject: Delivery Status Notification (Failure)',
  'MIME-Version: 1.0',
  'Content-Type: multipart/report; report-type=delivery-status; boundary="b1"',
  '',
  '--b1',
  'Content-Type: text/plain',
  '',
  'Your message could not be delivered.',
  '--b1',
  'Content-Type: message/delivery-status',
  '',
  'Reporting-MTA: dns; mx.example.net',
  '',
  'Final-Recipient: rfc822; <Gone.User@Example.NET>',
  'Action: failed',
  'Status: 5.1.1',
  'Diagnostic-Code: smtp; 550 5.1.1 The email account',
  '  that you tried to reach does not exist',
  '',
  '--b1',
  'Content-Type: text/rfc822-headers',
  '',
  'To: gone.user@example.net',
  'Subject: Hello',
  '--b1--',
  '',
].join('\r\n');

const RFC5965 = [
  'From: fbl@isp.example',
  'Subject: FW: Hello',
  'MIME-Version: 1.0',
  'Content-Type: multipart/report; report-type=feedback-report; boundary="b2"',
  '',
  '--b2',
  'Content-Type: text/plain',
  '',
  'This is an email abuse report.',
  '--b2',
  'Content-Type: message/feedback-report',
  '',
  'Feedback-Type: abuse',
  'User-Agent: SomeGenerator/1.0',
  'Version: 1',
  'Original-Rcpt-To: <Reader@ISP.example>',
  '',
  '--b2',
  'Content-Type: message/rfc822',
  '',
  'From: news@lupa.example',
  'To: someone-else@isp.example',
  'Subject: Hello',
  '',
  'Body text mentioning user unknown and 5.1.1, which must not be read as a bounce.',
  '--b2--',
  '',
].join('\n');

describe('hand-written standard messages', () => {
  it('reads an RFC 3464 DSN', async () => {
    const r = await parseBounce(RFC3464);
    expect(r).toMatchObject({ class: 'hard', recipient: 'gone.user@example.net', status: '5.1.1' });
    expect(r.diagnostic).toContain('does not exist');
  });

  it('reads a delayed DSN as soft', async () => {
    const delayed = RFC3464.replace('Action: failed', 'Action: delayed').replace(/5\.1\.1/g, '4.4.1').replace('550 ', '451 ');
    expect(await parseBounce(delayed)).toMatchObject({ class: 'soft', status: '4.4.1', delayed: true });
    // A temporary failure the reporter gave up on is not a delay warning.
    const given = RFC3464.replace(/5\.1\.1/g, '4.2.2').replace('550 ', '452 ');
    expect(await parseBounce(given)).toMatchObject({ class: 'soft', status: '4.2.2' });
    expect((await parseBounce(given)).delayed).toBeUndefined();
  });

  it('reads an RFC 5965 abuse report, taking the recipient from Original-Rcpt-To', async () => {
    expect(await parseBounce(Buffer.from(RFC5965))).toMatchObject({
      class: 'complaint',
      recipient: 'reader@isp.example',
      status: null,
      feedbackType: 'abuse',
    });
  });

  it('treats a DMARC auth-failure report as other and an opt-out as complaint', async () => {
    expect((await parseBounce(RFC5965.replace('Feedback-Type: abuse', 'Feedback-Type: auth-failure'))).class).toBe('other');
    expect(await parseBounce(RFC5965.replace('Feedback-Type: abuse', 'Feedback-Type: opt-out'))).toMatchObject({ class: 'complaint', feedbackType: 'opt-out' });
  });

  it('falls back to the returned message To when the report names no recipient', async () => {
    const r = await parseBounce(RFC5965.replace('Original-Rcpt-To: <Reader@ISP.example>\n', ''));
    expect(r.recipient).toBe('someone-else@isp.example');
  });

  it('answers other for a message that is no report at all', async () => {
    expect(await parseBounce('From: a@b.example\nSubject: hi\n\nhello\n')).toMatchObject({ class: 'other', status: null });
  });
});
