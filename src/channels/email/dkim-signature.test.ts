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

  it('refuses a key that is neither RSA nor Ed25519, naming the problem', () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    expect(() => dkimSignatureField(Buffer.from('From: a@lupa.example\r\n\r\nx\r\n'), { ...KEY, privateKey: ec }, POLICY)).toThrow(/RSA or Ed25519 private key/);
  });
});

describe('Ed25519 signed alongside RSA (RFC 8463)', () => {
  const ed = generateKeyPairSync('ed25519');
  const ED_KEY: DkimKey = { domainName: 'lupa.example', keySelector: 'ed1', privateKey: ed.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };
  // The record carries the bare 32-byte key: the end of its SubjectPublicKeyInfo (RFC 8463 §4).
  const records: Record<string, string> = {
    's1._domainkey.lupa.example': `v=DKIM1; k=rsa; p=${publicKey.export({ type: 'spki', format: 'der' }).toString('base64')}`,
    'ed1._domainkey.lupa.example': `v=DKIM1; k=ed25519; p=${ed.publicKey.export({ type: 'spki', format: 'der' }).subarray(-32).toString('base64')}`,
  };
  const message = 'From: Uutisvirta <uutiset@lupa.example>\r\nTo: aino@example.fi\r\nSubject: Syksyn tarjous\r\nList-Unsubscribe: <https://lupa.example/u/t>\r\n\r\nHei Aino,\r\ntervetuloa.\r\n';
  const bothSigned = (text: string): string => {
    const raw = Buffer.from(text, 'latin1');
    return dkimSignatureField(raw, ED_KEY, POLICY) + dkimSignatureField(raw, KEY, POLICY) + text;
  };
  const results = async (signed: string) => {
    const result = await dkimVerify(Buffer.from(signed, 'latin1'), {
      resolver: async (name: string) => {
        const record = records[name];
        if (record === undefined) throw Object.assign(new Error('no such record'), { code: 'ENOTFOUND' });
        return [[record]];
      },
    });
    return result.results.map((r) => ({ selector: r.selector, algo: r.algo, result: r.status.result, comment: r.status.comment }));
  };

  it('carries two signatures, ed25519-sha256 and rsa-sha256, each verified by mailauth against its own record', async () => {
    const signed = bothSigned(message);
    expect(signed.match(/^DKIM-Signature:/gm)).toHaveLength(2);
    expect(await results(signed)).toEqual([
      { selector: 'ed1', algo: 'ed25519-sha256', result: 'pass', comment: undefined },
      { selector: 's1', algo: 'rsa-sha256', result: 'pass', comment: undefined },
    ]);
  });

  it('over-signs the same headers in both', () => {
    const raw = Buffer.from(message, 'latin1');
    const h = (field: string) => /;h=([^;]+);/.exec(field.replace(/\s+/g, ''))?.[1];
    expect(h(dkimSignatureField(raw, ED_KEY, POLICY))).toBe('from:from:to:subject:subject:list-unsubscribe:list-unsubscribe');
    expect(h(dkimSignatureField(raw, ED_KEY, POLICY))).toBe(h(dkimSignatureField(raw, KEY, POLICY)));
  });

  it('breaks both when the body or a signed header is changed, or an over-signed header is added', async () => {
    const signed = bothSigned(message);
    // mailauth reports a body that no longer matches bh= as neutral with its reason, a bad b= as fail.
    const cases: [string, string][] = [
      [signed.replace('tervetuloa.', 'tervetuloa!'), 'neutral: body hash did not verify'],
      [signed.replace('Subject: Syksyn tarjous', 'Subject: Syksyn tarjous -50 %'), 'fail: bad signature'],
      [signed.replace('\r\n\r\nHei', '\r\nList-Unsubscribe: <https://evil.example/u>\r\n\r\nHei'), 'fail: bad signature'],
    ];
    for (const [text, verdict] of cases) {
      expect((await results(text)).map((r) => `${r.algo} ${r.result}: ${String(r.comment)}`)).toEqual([`ed25519-sha256 ${verdict}`, `rsa-sha256 ${verdict}`]);
    }
  });

  it('breaks the Ed25519 signature alone when its own b= is damaged, the RSA one still passing', async () => {
    const signed = bothSigned(message);
    const edField = signed.slice(0, signed.indexOf('DKIM-Signature:', 1));
    const b = /b=([A-Za-z0-9+/=\r\n ]+)$/.exec(edField.trimEnd())?.[1] ?? '';
    const flipped = `${b[0] === 'A' ? 'B' : 'A'}${b.slice(1)}`;
    expect((await results(signed.replace(b, flipped))).map((r) => `${r.algo} ${r.result}: ${String(r.comment)}`)).toEqual(['ed25519-sha256 fail: bad signature', 'rsa-sha256 pass: undefined']);
  });
});
