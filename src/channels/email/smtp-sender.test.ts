/** A real SMTP round trip: send through the pooled sender into the local inbox, then check what arrived. */
import { generateKeyPairSync } from 'node:crypto';
import { dkimVerify } from 'mailauth/lib/dkim/verify.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EmailMessage } from '../../core/email-message.ts';
import { TokenSigner } from '../../security/signed-tokens.ts';
import { DevInbox } from './dev-inbox.ts';
import { SmtpMessageSender } from './smtp-sender.ts';
import { deliveryFromBounceAddress } from './verp.ts';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const DKIM_PUBLIC = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
const signer = new TokenSigner('smtp test secret, long enough');

const marketing: EmailMessage = {
  deliveryId: 4711,
  attempt: 1,
  to: 'aino@example.fi',
  from: { name: 'Uutisvirta', address: 'uutiset@lupa.example' },
  subject: 'Syystarjous: Uutisvirta 7 pv',
  html: '<p>Hei Aino, <a href="https://lupa.example/c/x">tilaa</a>.</p><p><a href="https://lupa.example/u/tok">Peru tilaus</a></p>',
  text: 'Hei Aino, tilaa: https://lupa.example/c/x\nPeru tilaus: https://lupa.example/u/tok',
  unsubscribe: { https: 'https://lupa.example/u/tok', mailto: 'mailto:unsubscribe+tok@lupa.example' },
  feedbackId: 'c42:marketing:uutisvirta:lupa',
  locale: 'fi',
};

describe('§3 List-Unsubscribe and One-Click under the DKIM signature (the SMTP sender)', () => {
  const inbox = new DevInbox();
  let sender: SmtpMessageSender;

  beforeAll(async () => {
    const { port } = await inbox.start('127.0.0.1', 0);
    sender = new SmtpMessageSender(
      {
        url: `smtp://127.0.0.1:${port}`,
        bounceDomain: 'bounces.lupa.example',
        messageIdDomain: 'lupa.example',
        maxConnections: 2,
        allowInsecure: true,
        dkim: { domainName: 'lupa.example', keySelector: 'lupa2026', privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() },
      },
      signer,
    );
    await sender.send(marketing);
    await sender.send({ ...marketing, deliveryId: 4712, unsubscribe: null, subject: 'Jakeluhäiriö' });
    await sender.send({ ...marketing, attempt: 2, subject: 'Syystarjous, uusi yritys' });
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

  it('gives a marketing message one-click unsubscribe headers, HTTPS first', async () => {
    const m = await received(marketing.subject);
    expect(header(m, 'list-unsubscribe')).toBe('<https://lupa.example/u/tok>, <mailto:unsubscribe+tok@lupa.example>');
    expect(header(m, 'list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    expect(header(m, 'feedback-id')).toBe('c42:marketing:uutisvirta:lupa');
  });

  it('leaves the unsubscribe headers off a service message', async () => {
    const m = await received('Jakeluhäiriö');
    expect(header(m, 'list-unsubscribe')).toBeUndefined();
  });

  it('uses a signed per-delivery return path that names the delivery without the address', async () => {
    const m = await received(marketing.subject);
    expect(m.envelopeFrom).toMatch(/^b-[0-9a-z]+-[0-9a-f]{16}@bounces\.lupa\.example$/);
    expect(m.envelopeFrom).not.toContain('aino');
    expect(deliveryFromBounceAddress(signer, m.envelopeFrom ?? '')).toBe(4711);
  });

  it('gives a retry after a soft bounce its own Message-ID, and the same return path', async () => {
    const first = await received(marketing.subject);
    const retry = await received('Syystarjous, uusi yritys');
    expect(header(first, 'message-id')).toBe('<d4711@lupa.example>');
    expect(header(retry, 'message-id')).toBe('<d4711.2@lupa.example>');
    expect(retry.envelopeFrom).toBe(first.envelopeFrom);
  });

  it('signs with DKIM, covering the one-click headers, and the signature verifies', async () => {
    const m = await received(marketing.subject);
    const signature = header(m, 'dkim-signature') ?? '';
    expect(signature).toMatch(/d=lupa\.example/);
    const signedFields = /(?:^|;)h=([^;]+)/.exec(signature.replace(/\s+/g, ''))?.[1]?.toLowerCase().split(':') ?? [];
    expect(signedFields).toEqual(expect.arrayContaining(['list-unsubscribe', 'list-unsubscribe-post', 'from', 'subject']));
    const result = await dkimVerify(Buffer.from(m.raw), {
      resolver: async (name: string, type: string) => {
        if (type === 'TXT' && name === 'lupa2026._domainkey.lupa.example') return [[`v=DKIM1; k=rsa; p=${DKIM_PUBLIC}`]];
        throw Object.assign(new Error('no such record'), { code: 'ENOTFOUND' });
      },
    });
    expect(result.results.map((r: { status: { result: string } }) => r.status.result)).toEqual(['pass']);
  });

  it('fails verification once a signed header is changed in transit', async () => {
    const m = await received(marketing.subject);
    const tampered = m.raw.replace('List-Unsubscribe-Post: List-Unsubscribe=One-Click', 'List-Unsubscribe-Post: List-Unsubscribe=Two-Click');
    expect(tampered).not.toBe(m.raw);
    const result = await dkimVerify(Buffer.from(tampered), {
      resolver: async () => [[`v=DKIM1; k=rsa; p=${DKIM_PUBLIC}`]],
    });
    expect(result.results.map((r: { status: { result: string } }) => r.status.result)).toEqual(['fail']);
  });
});
