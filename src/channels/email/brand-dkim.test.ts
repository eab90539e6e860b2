/**
 * One sender, several brands: each message is signed with its own brand's DKIM key (d= its brand's
 * domain), verified with mailauth against the TXT records Lupa prints for those keys, split into
 * 255-character strings as published.
 */
import { dkimVerify } from 'mailauth/lib/dkim/verify.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dkimTxtValue, txtStrings } from '../../core/dns-records.ts';
import type { EmailMessage } from '../../core/email-message.ts';
import { TokenSigner } from '../../security/signed-tokens.ts';
import { DevInbox, type InboxMessage } from './dev-inbox.ts';
import { generateDkimKey } from './dkim-keys.ts';
import { SmtpMessageSender } from './smtp-sender.ts';

const keys = { default: generateDkimKey('rsa'), kotiposti: generateDkimKey('rsa'), kotipostiEd: generateDkimKey('ed25519') };
const published: Record<string, string[]> = {
  'lupa2026._domainkey.uutisvirta.fi': txtStrings(dkimTxtValue('rsa', keys.default.publicKey)),
  'kp1._domainkey.kotiposti.fi': txtStrings(dkimTxtValue('rsa', keys.kotiposti.publicKey)),
  'kp1ed._domainkey.kotiposti.fi': txtStrings(dkimTxtValue('ed25519', keys.kotipostiEd.publicKey)),
};

const message = (deliveryId: number, brand: string | undefined, subject: string, from: string): EmailMessage => ({
  deliveryId,
  attempt: 1,
  to: 'aino@example.fi',
  from: { name: 'Lehti', address: from },
  ...(brand === undefined ? {} : { brand }),
  subject,
  html: '<p>Hei</p>',
  text: 'Hei',
  unsubscribe: { https: 'https://lupa.uutisvirta.fi/u/tok' },
  feedback: { campaignId: deliveryId, purpose: 'marketing', templateId: 'autumn' },
  locale: 'fi',
});

describe('DKIM per brand (the SMTP sender)', () => {
  const inbox = new DevInbox();
  let sender: SmtpMessageSender;
  const arrived = new Map<string, InboxMessage>();

  beforeAll(async () => {
    const { port } = await inbox.start('127.0.0.1', 0);
    const defaultKey = { domainName: 'uutisvirta.fi', keySelector: 'lupa2026', privateKey: keys.default.privateKeyPem };
    sender = new SmtpMessageSender(
      {
        url: `smtp://127.0.0.1:${port}`,
        bounceDomain: 'bounces.uutisvirta.fi',
        messageIdDomain: 'uutisvirta.fi',
        installationId: '0123456789abcdef',
        feedbackSenderId: 'uutisvirta.fi',
        unsubscribeMailbox: null,
        maxConnections: 2,
        allowInsecure: true,
        dkim: defaultKey,
        brandDkim: new Map([
          ['kotiposti', { domainName: 'kotiposti.fi', keySelector: 'kp1', privateKey: keys.kotiposti.privateKeyPem }],
          [
            'kotiposti-ed',
            [
              { domainName: 'kotiposti.fi', keySelector: 'kp1ed', privateKey: keys.kotipostiEd.privateKeyPem },
              { domainName: 'kotiposti.fi', keySelector: 'kp1', privateKey: keys.kotiposti.privateKeyPem },
            ],
          ],
          ['unsigned', null],
        ]),
      },
      new TokenSigner('brand dkim test secret, long enough'),
    );
    await sender.send(message(1, undefined, 'Oletus', 'uutiset@uutisvirta.fi'));
    await sender.send(message(2, 'kotiposti', 'Kotiposti', 'toimitus@kotiposti.fi'));
    await sender.send(message(3, 'default', 'Oletus nimeltä', 'uutiset@uutisvirta.fi'));
    await sender.send(message(4, 'unsigned', 'Allekirjoittamaton', 'info@example.fi'));
    await sender.send(message(5, 'kotiposti-ed', 'Kahdesti', 'toimitus@kotiposti.fi'));
    for (const summary of await inbox.list()) {
      const m = await inbox.get(summary.id);
      if (m !== null) arrived.set(summary.subject, m);
    }
  });
  afterAll(async () => {
    await sender.close();
    await inbox.stop();
  });

  const verify = async (subject: string) => {
    const m = arrived.get(subject);
    if (m === undefined) throw new Error(`no message "${subject}" arrived`);
    const result = await dkimVerify(Buffer.from(m.raw), {
      resolver: async (name: string, type: string) => {
        const record = published[name];
        if (type === 'TXT' && record !== undefined) return [record];
        throw Object.assign(new Error('no such record'), { code: 'ENOTFOUND' });
      },
    });
    return result.results.map((r) => ({ domain: r.signingDomain, selector: r.selector, result: r.status.result }));
  };
  const algorithms = (subject: string): string[] => {
    const raw = arrived.get(subject)?.raw.toString() ?? '';
    return [...raw.matchAll(/^DKIM-Signature:.*?a=([a-z0-9-]+);/gm)].map((m) => m[1] ?? '');
  };

  it('signs a message of another brand with that brand\'s key, and it verifies against its published record', async () => {
    expect(await verify('Kotiposti')).toEqual([{ domain: 'kotiposti.fi', selector: 'kp1', result: 'pass' }]);
  });

  it('signs a message of the default brand (named or not) with the default key', async () => {
    expect(await verify('Oletus')).toEqual([{ domain: 'uutisvirta.fi', selector: 'lupa2026', result: 'pass' }]);
    expect(await verify('Oletus nimeltä')).toEqual([{ domain: 'uutisvirta.fi', selector: 'lupa2026', result: 'pass' }]);
  });

  it('signs with an Ed25519 key beside the RSA key (RFC 8463): two signatures, each verified against its record as printed', async () => {
    expect(algorithms('Kahdesti')).toEqual(['ed25519-sha256', 'rsa-sha256']);
    expect(await verify('Kahdesti')).toEqual([
      { domain: 'kotiposti.fi', selector: 'kp1ed', result: 'pass' },
      { domain: 'kotiposti.fi', selector: 'kp1', result: 'pass' },
    ]);
  });

  it('leaves a brand without a key unsigned, rather than sign it with another brand\'s domain', async () => {
    const m = arrived.get('Allekirjoittamaton');
    expect(m?.headers.some((h) => h.name === 'dkim-signature')).toBe(false);
  });
});
