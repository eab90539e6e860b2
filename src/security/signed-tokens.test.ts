import { describe, expect, it } from 'vitest';
import { TokenSigner } from './signed-tokens.ts';

const signer = new TokenSigner('a test secret of enough length');

describe('signed tokens', () => {
  it('gives back the fields of a token made for the same purpose', () => {
    const token = signer.sign('unsubscribe', [42, 'C.0000001']);
    expect(signer.verify('unsubscribe', token)).toEqual(['42', 'C.0000001']);
  });

  it('refuses a token made for another purpose', () => {
    expect(signer.verify('click', signer.sign('unsubscribe', [42]))).toBeNull();
  });

  it('refuses an altered payload, an altered tag, junk, and a token signed with another secret', () => {
    const token = signer.sign('open', [7, 3]);
    const [payload = '', tag = ''] = token.split('.');
    const otherPayload = Buffer.from('["8","3"]').toString('base64url');
    expect(signer.verify('open', `${otherPayload}.${tag}`)).toBeNull();
    expect(signer.verify('open', `${payload}.${tag.slice(0, -2)}AA`)).toBeNull();
    expect(signer.verify('open', 'not-a-token')).toBeNull();
    expect(new TokenSigner('another secret of enough length').verify('open', token)).toBeNull();
  });

  it('makes short case-insensitive id tokens that survive case folding and refuse another id', () => {
    const token = signer.signId('bounce', 1234567890);
    expect(token).toMatch(/^[0-9a-z]+-[0-9a-f]{16}$/);
    expect(signer.verifyId('bounce', token.toUpperCase())).toBe(1234567890);
    const [, tag] = token.split('-');
    expect(signer.verifyId('bounce', `${(1234567891).toString(36)}-${tag}`)).toBeNull();
    expect(signer.verifyId('open', token)).toBeNull();
  });

  it('refuses a short secret', () => {
    expect(() => new TokenSigner('short')).toThrow(/16 bytes/);
  });
});
