/** A real SMTP round trip: send through the pooled sender into the local inbox, then check what arrived. */
import { generateKeyPairSync } from 'node:crypto';
import { dkimVerify } from 'mailauth/lib/dkim/verify.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EmailMessage } from '../../core/email-message.ts';
import { createApp } from '../../app.ts';
import { loadConfig } from '../../config.ts';
import { TokenSigner } from '../../security/signed-tokens.ts';
import { freshStore } from '../../../test/support/stores.ts';
import { DevInbox } from './dev-inbox.ts';
import { campaignOfFeedbackId } from './feedback-id.ts';
import { messageIdFor, SmtpMessageSender, type SmtpSettings } from './smtp-sender.ts';
import { deliveryFromUnsubscribeAddress, parseUnsubscribeMailbox } from './unsubscribe-mailbox.ts';
import { deliveryFromBounceAddress } from './verp.ts';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const DKIM_PUBLIC = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
const signer = new TokenSigner('smtp test secret, long enough');
const MAILBOX = parseUnsubscribeMailbox('unsubscribe', 'bounces.lupa.example');
const INSTALLATION = '0123456789abcdef';

const marketing: EmailMessage = {
  deliveryId: 4711,
  attempt: 1,
  to: 'aino@example.fi',
  from: { name: 'Uutisvirta', address: 'uutiset@lupa.example' },
  replyTo: 'asiakaspalvelu@lupa.example',
  subject: 'Syystarjous: Uutisvirta 7 pv',
  html: '<p>Hei Aino, <a href="https://lupa.example/c/x">tilaa</a>.</p><p><a href="https://lupa.example/u/tok">Peru tilaus</a></p>',
  text: 'Hei Aino, tilaa: https://lupa.example/c/x\nPeru tilaus: https://lupa.example/u/tok',
  unsubscribe: { https: 'https://lupa.example/u/tok' },
  feedback: { campaignId: 42, purpose: 'marketing', templateId: 'autumn' },
  locale: 'fi',
};

/** mailauth's verdicts for a raw message signed with the test key. */
async function dkimResults(raw: string): Promise<string[]> {
  const result = await dkimVerify(Buffer.from(raw), {
    resolver: async (name: string, type: string) => {
      if (type === 'TXT' && name === 'lupa2026._domainkey.lupa.example') return [[`v=DKIM1; k=rsa; p=${DKIM_PUBLIC}`]];
      throw Object.assign(new Error('no such record'), { code: 'ENOTFOUND' });
    },
  });

  return result.results.map((r) => r.status.result);
}

/** The message with `field` added as a further header line, at the top (as a relay prepends) or just after the header block's first line. */
function withAddedHeader(raw: string, field: string, where: 'top' | 'inside'): string {
  if (where === 'top') return `${field}\r\n${raw}`;
  const end = raw.indexOf('\r\n\r\n');
  return `${raw.slice(0, end)}\r\n${field}${raw.slice(end)}`;
}

describe('§3 List-Unsubscribe and One-Click under the DKIM signature (the SMTP sender)', () => {
  const inbox = new DevInbox();
  let sender: SmtpMessageSender;
  const settings = (port: number): SmtpSettings => ({
    url: `smtp://127.0.0.1:${port}`,
    bounceDomain: 'bounces.lupa.example',
    messageIdDomain: 'lupa.example',
    installationId: INSTALLATION,
    feedbackSenderId: 'uutisvirta.fi',
    unsubscribeMailbox: MAILBOX,
    maxConnections: 2,
    allowInsecure: true,
    dkim: { domainName: 'lupa.example', keySelector: 'lupa2026', privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() },
  });

  beforeAll(async () => {
    const { port } = await inbox.start('127.0.0.1', 0);
    sender = new SmtpMessageSender(settings(port), signer);
    await sender.send(marketing);
    await sender.send({ ...marketing, deliveryId: 4712, unsubscribe: null, subject: 'Jakeluhäiriö', feedback: { campaignId: 43, purpose: 'service', templateId: 'disruption' } });
    await sender.send({ ...marketing, attempt: 2, subject: 'Syystarjous, uusi yritys' });
    const withoutMailbox = new SmtpMessageSender({ ...settings(port), unsubscribeMailbox: null }, signer);
    await withoutMailbox.send({ ...marketing, deliveryId: 4713, subject: 'Ilman postilaatikkoa' });
    await withoutMailbox.close();
  });
  afterAll(async () => {
    await sender.close();
    await inbox.stop();
  });

  const received = async (subject: string) => {
    const summary = (await inbox.list()).find((m) => m.subject === subject);
    const message = summary === undefined ? null : await inbox.get(summary.id);
    if (message === null) throw new Error(`no message "${subject}" arrived`);
    return message;
  };
  const header = (m: Awaited<ReturnType<typeof received>>, name: string) => m.headers.find((h) => h.name === name)?.value;

  it('gives a marketing message one-click unsubscribe headers: HTTPS first, then a mailto whose token names the delivery', async () => {
    const m = await received(marketing.subject);
    const value = header(m, 'list-unsubscribe') ?? '';
    const [https, mailto, ...rest] = value.split(/,\s*/);
    expect(https).toBe('<https://lupa.example/u/tok>');
    expect(rest).toEqual([]);
    const address = /^<mailto:([^?>]+)\?subject=unsubscribe>$/.exec(mailto ?? '')?.[1] ?? '';
    expect(address).toMatch(/^unsubscribe\+[0-9a-z]+-[0-9a-f]{16}@bounces\.lupa\.example$/);
    expect(address).not.toContain('aino');
    expect(deliveryFromUnsubscribeAddress(signer, MAILBOX, address)).toBe(4711);
    expect(header(m, 'list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
  });

  it('offers no mailto when no unsubscribe mailbox is configured', async () => {
    expect(header(await received('Ilman postilaatikkoa'), 'list-unsubscribe')).toBe('<https://lupa.example/u/tok>');
  });

  it('leaves the unsubscribe headers off a service message', async () => {
    const m = await received('Jakeluhäiriö');
    expect(header(m, 'list-unsubscribe')).toBeUndefined();
    expect(header(m, 'list-unsubscribe-post')).toBeUndefined();
  });

  it('carries a Feedback-ID of campaign, purpose, template and the configured SenderId (Google’s a:b:c:SenderId)', async () => {
    expect(header(await received(marketing.subject), 'feedback-id')).toBe('42:marketing:autumn:uutisvirta.fi');
    const service = header(await received('Jakeluhäiriö'), 'feedback-id') ?? '';
    expect(service).toBe('43:service:disruption:uutisvirta.fi');
    expect(campaignOfFeedbackId(service)).toBe(43);
  });

  it('uses a signed per-delivery return path that names the delivery without the address', async () => {
    const m = await received(marketing.subject);
    expect(m.envelopeFrom).toMatch(/^b-[0-9a-z]+-[0-9a-f]{16}@bounces\.lupa\.example$/);
    expect(m.envelopeFrom).not.toContain('aino');
    expect(deliveryFromBounceAddress(signer, m.envelopeFrom ?? '')).toBe(4711);
  });

  it('gives a retry after a soft bounce its own Message-ID with the installation’s part, and the same return path', async () => {
    const first = await received(marketing.subject);
    const retry = await received('Syystarjous, uusi yritys');
    expect(header(first, 'message-id')).toBe(`<d4711.1.${INSTALLATION}@lupa.example>`);
    expect(header(retry, 'message-id')).toBe(`<d4711.2.${INSTALLATION}@lupa.example>`);
    expect(retry.envelopeFrom).toBe(first.envelopeFrom);
  });

  it('signs with DKIM, over-signing the headers no one may add, and the signature verifies', async () => {
    const m = await received(marketing.subject);
    const signature = header(m, 'dkim-signature') ?? '';
    expect(signature).toMatch(/d=lupa\.example/);
    const signed = /(?:^|;)h=([^;]+)/.exec(signature.replace(/\s+/g, ''))?.[1]?.toLowerCase().split(':') ?? [];
    const count = (name: string) => signed.filter((n) => n === name).length;
    // Each once more than it occurs (RFC 6376 §5.4.2); to and date, not over-signed, once.
    expect({ from: count('from'), replyTo: count('reply-to'), subject: count('subject'), lu: count('list-unsubscribe'), lup: count('list-unsubscribe-post'), fid: count('feedback-id'), to: count('to'), date: count('date') }).toEqual({
      from: 2,
      replyTo: 2,
      subject: 2,
      lu: 2,
      lup: 2,
      fid: 2,
      to: 1,
      date: 1,
    });
    expect(await dkimResults(m.raw)).toEqual(['pass']);
    expect(await dkimResults((await received('Jakeluhäiriö')).raw)).toEqual(['pass']);
  });

  it('fails verification once a signed header is changed in transit', async () => {
    const m = await received(marketing.subject);
    const tampered = m.raw.replace('List-Unsubscribe-Post: List-Unsubscribe=One-Click', 'List-Unsubscribe-Post: List-Unsubscribe=Two-Click');
    expect(tampered).not.toBe(m.raw);
    expect(await dkimResults(tampered)).toEqual(['fail']);
  });

  it.each([
    ['List-Unsubscribe', 'List-Unsubscribe: <https://attacker.example/u>'],
    ['From', 'From: Pankki <turva@pankki.example>'],
    ['Subject', 'Subject: Vahvista tilisi'],
    ['Reply-To', 'Reply-To: attacker@attacker.example'],
    ['Feedback-ID', 'Feedback-ID: 1:x:y:other'],
  ])('fails verification once a second %s is added, at the top or among the headers', async (_name, field) => {
    const m = await received(marketing.subject);
    expect(await dkimResults(withAddedHeader(m.raw, field, 'top'))).toEqual(['fail']);
    expect(await dkimResults(withAddedHeader(m.raw, field, 'inside'))).toEqual(['fail']);
  });

  it('still verifies when a header that is not over-signed is added (a relay’s Received), so the test above is not vacuous', async () => {
    const m = await received(marketing.subject);
    expect(await dkimResults(withAddedHeader(m.raw, 'Received: from relay.example by mx.example; Tue, 1 Dec 2026 07:00:00 +0200', 'top'))).toEqual(['pass']);
  });
});

describe('Message-IDs are unique across installations', () => {
  it('takes a random part made once per store: two stores differ, the same store reopened keeps its own', async () => {
    const [one, two] = await Promise.all([freshStore('sqlite'), freshStore('sqlite')]);
    const open = (url: string) => createApp(loadConfig({ LUPA_DATABASE_URL: url, LUPA_LOG_LEVEL: 'silent' }));
    try {
      const [a, b] = await Promise.all([open(one.url), open(two.url)]);
      const ids = [a.installationId, b.installationId];
      await Promise.all([a.close(), b.close()]);
      expect(ids[0]).toMatch(/^[0-9a-f]{16}$/);
      expect(ids[0]).not.toBe(ids[1]);
      const again = await open(one.url);
      expect(again.installationId).toBe(ids[0]);
      await again.close();
      const message = { deliveryId: 7, attempt: 1 };
      expect(messageIdFor(message, 'lupa.example', ids[0] ?? '')).not.toBe(messageIdFor(message, 'lupa.example', ids[1] ?? ''));
    } finally {
      await Promise.all([one.drop(), two.drop()]);
    }
  });

  it('differ for the same delivery and attempt when the installations’ random parts differ', () => {
    const a = messageIdFor({ deliveryId: 7, attempt: 1 }, 'lupa.example', '00112233445566ff');
    const b = messageIdFor({ deliveryId: 7, attempt: 1 }, 'lupa.example', 'aa112233445566ff');
    expect(a).toBe('<d7.1.00112233445566ff@lupa.example>');
    expect(a).not.toBe(b);
  });
});
