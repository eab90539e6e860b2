/** The DKIM signer on its own, checked by an independent verifier (mailauth) on the shapes real messages take. */
import { generateKeyPairSync } from 'node:crypto';
import { dkimVerify } from 'mailauth/lib/dkim/verify.js';
import { describe, expect, it } from 'vitest';
import { dkimSignatureField, type DkimKey } from './dkim-signature.ts';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const KEY: DkimKey = { domainName: 'lupa.example', keySelector: 's1', privateKey: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString() };
const POLICY = { signed: ['from', 'to', 'subject', 'date', 'list-unsubscribe'], overSigned: ['from', 'subject', 'list-unsubscribe'] };

async function verdict(message: string): Promise<string[]> {
  const signed = dkimSignatureField(Buffer.from(message, 'latin1'), KEY, POLICY) + message;
  const result = await dkimVerify(Buffer.from(signed, 'latin1'), {
    resolver: async () => [[`v=DKIM1; k=rsa; p=${publicKey.export({ type: 'spki', format: 'der' }).toString('base64')}`]],
  });
  return result.results.map((r) => r.status.result);
}

describe('DKIM signing (RFC 6376, relaxed/relaxed)', () => {
  it('verifies with folded headers, runs of spaces and tabs, and trailing blank lines in the body', async () => {
    const message = [
      'From:   Uutisvirta \t <uutiset@lupa.example>',
      'To: aino@example.fi',
      'Subject: A long subject that a composer folds',
      '\tonto a second line',
      'List-Unsubscribe: <https://lupa.example/u/t>,',
      ' <mailto:unsubscribe+1-0123456789abcdef@b.lupa.example?subject=unsubscribe>',
      'Date: Mon, 30 Nov 2026 12:00:00 +0000',
      '',
      'Hei  Aino,\t ',
      'tervetuloa.   ',
      '',
      '',
      '',
    ].join('\r\n');
    expect(await verdict(message)).toEqual(['pass']);
  });

  it('verifies a message without a body', async () => {
    expect(await verdict('From: a@lupa.example\r\nSubject: x\r\n\r\n')).toEqual(['pass']);
  });

  it('lists an over-signed header once more than it occurs, and one absent once', () => {
    const field = dkimSignatureField(Buffer.from('From: a@lupa.example\r\nTo: b@example.fi\r\n\r\nx\r\n'), KEY, POLICY);
    const h = /;h=([^;]+);/.exec(field.replace(/\s+/g, ''))?.[1];
    expect(h).toBe('from:from:to:subject:list-unsubscribe');
  });

  it('refuses a key that is not RSA, naming the problem', () => {
    const ed = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    expect(() => dkimSignatureField(Buffer.from('From: a@lupa.example\r\n\r\nx\r\n'), { ...KEY, privateKey: ed }, POLICY)).toThrow(/RSA private key/);
  });
});
