import { describe, expect, it } from 'vitest';
import { TokenSigner } from './signed-tokens.ts';

const signer = new TokenSigner('a test secret of enough length');

/** A legacy token whose tag uses `-` or `_` and whose payload leaves spare bits (length not a multiple of 4). */
function awkwardToken(): { token: string; payload: string; tag: string } {
  for (let i = 0; i < 10_000; i++) {
    const token = signer.signLegacy('preferences', [`C${i}`], 1_764_000_000);
    const [payload = '', tag = ''] = token.split('.');
    if (/[-_]/.test(tag) && payload.length % 4 === 2) return { token, payload, tag };
  }
  throw new Error('no such token');
}

describe('signed tokens', () => {
  it('gives back the fields of a token made for the same purpose', () => {
    const token = signer.sign('unsubscribe', [42, 'C.0000001']);
    expect(signer.verify('unsubscribe', token)).toEqual(['42', 'C.0000001']);
  });

  it('carries the time a token was made when signed with one, and none otherwise', () => {
    expect(signer.verifyIssued('preferences', signer.sign('preferences', ['C1'], 1_764_000_000))).toEqual({ fields: ['C1'], issuedAt: 1_764_000_000 });
    expect(signer.verifyIssued('preferences', signer.sign('preferences', ['C1']))).toEqual({ fields: ['C1'], issuedAt: null });
  });

  it('still reads a token made before tokens carried their time (a bare array of fields)', () => {
    // The spelling of every link sent before: base64url(JSON array).base64url(tag).
    const legacy = signer.signLegacy('preferences', ['C0000001']);
    expect(legacy.split('.')[0]).toBe(Buffer.from('["C0000001"]').toString('base64url'));
    expect(signer.verifyIssued('preferences', legacy)).toEqual({ fields: ['C0000001'], issuedAt: null });
  });

  it('still reads a token made before tokens were sealed (readable fields and an HMAC tag), for its purpose only', () => {
    const legacy = signer.signLegacy('site_ad_click', ['1', 'front-top', 'uutisvirta.fi', 'v-0123456789abcdef'], 1_764_000_000);
    expect(signer.verifyIssued('site_ad_click', legacy)).toEqual({ fields: ['1', 'front-top', 'uutisvirta.fi', 'v-0123456789abcdef'], issuedAt: 1_764_000_000 });
    expect(signer.verify('site_ad_impression', legacy)).toBeNull();
  });

  it('seals its fields: no id, visitor id or time can be read from a token, in any decoding', () => {
    const visitor = 'v-0123456789abcdef';
    const token = signer.sign('site_ad_click', ['17', 'front-top', 'uutisvirta.fi', visitor], 1_764_000_000);
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    for (const text of [token, Buffer.from(token, 'base64url').toString('latin1'), Buffer.from(token, 'base64url').toString('utf8')]) {
      for (const field of [visitor, 'uutisvirta.fi', 'front-top', '1764000000']) expect(text).not.toContain(field);
    }
    expect(signer.verifyIssued('site_ad_click', token)).toEqual({ fields: ['17', 'front-top', 'uutisvirta.fi', visitor], issuedAt: 1_764_000_000 });
  });

  it('makes two tokens of the same fields that cannot be told to be the same', () => {
    const a = signer.sign('preferences', ['C1'], 1_764_000_000);
    const b = signer.sign('preferences', ['C1'], 1_764_000_000);
    expect(a).not.toBe(b);
    expect(signer.verify('preferences', a)).toEqual(signer.verify('preferences', b));
  });

  it('refuses a sealed token with any byte changed, cut short, or spelt another way', () => {
    const token = signer.sign('site_ad_click', ['17', 'front-top', 'uutisvirta.fi', 'v-0123456789abcdef'], 1_764_000_000);
    const bytes = Buffer.from(token, 'base64url');
    for (let i = 0; i < bytes.length; i++) {
      const changed = Buffer.from(bytes);
      changed[i] = (changed[i] ?? 0) ^ 1;
      expect(signer.verify('site_ad_click', changed.toString('base64url'))).toBeNull();
    }
    expect(signer.verify('site_ad_click', bytes.subarray(0, -1).toString('base64url'))).toBeNull();
    for (const variant of [`${token}=`, `${token} `, `${token}A`, `${token}.`, token.replace(/-/g, '+').replace(/_/g, '/'), `${token.slice(0, 8)}\n${token.slice(8)}`]) {
      if (variant !== token) expect(signer.verify('site_ad_click', variant)).toBeNull();
    }
    expect(signer.verify('site_ad_impression', token)).toBeNull();
    expect(new TokenSigner('another secret of enough length').verify('site_ad_click', token)).toBeNull();
  });

  it('refuses a token made for another purpose', () => {
    expect(signer.verify('click', signer.sign('unsubscribe', [42]))).toBeNull();
  });

  it('refuses an altered legacy payload, an altered tag, junk, and a token signed with another secret', () => {
    const token = signer.signLegacy('open', [7, 3]);
    const [payload = '', tag = ''] = token.split('.');
    const otherPayload = Buffer.from('["8","3"]').toString('base64url');
    expect(signer.verify('open', `${otherPayload}.${tag}`)).toBeNull();
    expect(signer.verify('open', `${payload}.${tag.slice(0, -2)}AA`)).toBeNull();
    expect(signer.verify('open', 'not-a-token')).toBeNull();
    expect(new TokenSigner('another secret of enough length').verify('open', token)).toBeNull();
  });

  describe('one spelling per token: the same bytes written another way are refused', () => {
    const { token, payload, tag } = awkwardToken();
    const standard = (s: string): string => s.replace(/-/g, '+').replace(/_/g, '/');
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    // With two characters left over, the last one carries 4 spare bits: flipping one keeps the bytes.
    const last = payload.at(-1) ?? 'A';
    const spareBits = `${payload.slice(0, -1)}${alphabet[alphabet.indexOf(last) ^ 1]}`;
    const variants: [string, string][] = [
      ['the standard base64 alphabet (+ and /)', `${standard(payload)}.${standard(tag)}`],
      ['padding on the payload', `${payload}==.${tag}`],
      ['padding on the tag', `${payload}.${tag}==`],
      ['a trailing dot', `${token}.`],
      ['a trailing space', `${token} `],
      ['a trailing line break', `${token}\n`],
      ['a trailing letter', `${token}A`],
      ['trailing punctuation', `${token}!!`],
      ['a space inside (a wrapped link)', `${payload.slice(0, 4)} ${payload.slice(4)}.${tag}`],
      ['a line break inside', `${payload.slice(0, 4)}\r\n${payload.slice(4)}.${tag}`],
      ['spare bits set in the last payload character', `${spareBits}.${tag}`],
      ['swapped case', token.replace(/[a-z]/g, (c) => c.toUpperCase())],
    ];

    it('verifies the token as signed', () => {
      expect(signer.verify('preferences', token)).not.toBeNull();
      // Each variant decodes to the very bytes of the token, so only its spelling is refused.
      for (const [, variant] of variants.slice(0, -1)) {
        const [p = '', t = ''] = variant.split('.');
        expect(Buffer.from(p, 'base64url').equals(Buffer.from(payload, 'base64url'))).toBe(true);
        expect(Buffer.from(t, 'base64url').subarray(0, 12).equals(Buffer.from(tag, 'base64url'))).toBe(true);
      }
    });

    it.each(variants)('refuses %s', (_name, variant) => {
      expect(variant).not.toBe(token);
      expect(signer.verify('preferences', variant)).toBeNull();
    });

    it('refuses a payload that is not UTF-8, though it reads as the same text', () => {
      const signed = signer.signLegacy('preferences', ['\uFFFD']);
      const [, tagOfReplacement = ''] = signed.split('.');
      // 0xFF is not UTF-8 and decodes to U+FFFD, the character signed.
      const bytes = Buffer.concat([Buffer.from('["'), Buffer.from([0xff]), Buffer.from('"]')]);
      expect(bytes.toString('utf8')).toBe('["\uFFFD"]');
      expect(signer.verify('preferences', signed)).toEqual(['\uFFFD']);
      expect(signer.verify('preferences', `${bytes.toString('base64url')}.${tagOfReplacement}`)).toBeNull();
    });
  });

  it('makes short case-insensitive id tokens that survive case folding and refuse another id', () => {
    const token = signer.signId('bounce', 1234567890);
    expect(token).toMatch(/^[0-9a-z]+-[0-9a-f]{16}$/);
    expect(signer.verifyId('bounce', token.toUpperCase())).toBe(1234567890);
    const [, tag] = token.split('-');
    expect(signer.verifyId('bounce', `${(1234567891).toString(36)}-${tag}`)).toBeNull();
    expect(signer.verifyId('open', token)).toBeNull();
  });

  it('refuses an id token whose id is spelt with leading zeros', () => {
    const token = signer.signId('bounce', 12345);
    expect(signer.verifyId('bounce', token)).toBe(12345);
    expect(signer.verifyId('bounce', `0${token}`)).toBeNull();
    expect(signer.verifyId('bounce', `00${token}`)).toBeNull();
    expect(signer.verifyId('bounce', signer.signId('bounce', 0))).toBe(0);
  });

  it('refuses a short secret', () => {
    expect(() => new TokenSigner('short')).toThrow(/16 bytes/);
  });
});
