/**
 * Opaque signed tokens for links and addresses that leave Lupa (unsubscribe, preferences,
 * tracking, bounce addresses). A token carries only internal ids, never an address in clear
 * (compliance.md §3), and an HMAC-SHA256 tag over its purpose and payload, so a token made for one
 * purpose cannot be replayed for another and a changed id is refused.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** What a token is for; part of the signed data. */
export type TokenPurpose = 'unsubscribe' | 'unsubscribe_mail' | 'preferences' | 'open' | 'click' | 'bounce';

const TAG_BYTES = 12;

export class TokenSigner {
  private readonly key: Buffer;

  constructor(secret: string | Buffer) {
    this.key = typeof secret === 'string' ? Buffer.from(secret, 'utf8') : secret;
    if (this.key.length < 16) throw new Error('the token secret must be at least 16 bytes');
  }

  /** Signs a few short fields (ids, channel names, numbers). */
  sign(purpose: TokenPurpose, fields: readonly (string | number)[]): string {
    const payload = JSON.stringify(fields.map(String));
    return `${Buffer.from(payload, 'utf8').toString('base64url')}.${this.tag(purpose, payload).toString('base64url')}`;
  }

  /** The fields of a token made for `purpose`, or null when it is malformed, altered or for another purpose. */
  verify(purpose: TokenPurpose, token: string): string[] | null {
    const dot = token.indexOf('.');
    if (dot <= 0 || token.length > 512) return null;
    const payload = Buffer.from(token.slice(0, dot), 'base64url').toString('utf8');
    const given = Buffer.from(token.slice(dot + 1), 'base64url');
    const expected = this.tag(purpose, payload);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    const fields: unknown = JSON.parse(payload);
    return Array.isArray(fields) && fields.every((f) => typeof f === 'string') ? fields : null;
  }

  /**
   * A short, case-insensitive token for one numeric id (`<base36 id>-<hex tag>`), for places
   * where case may be folded and length is scarce, such as the local part of an address.
   */
  signId(purpose: TokenPurpose, id: number): string {
    return `${id.toString(36)}-${this.tag(purpose, String(id)).subarray(0, 8).toString('hex')}`;
  }

  verifyId(purpose: TokenPurpose, token: string): number | null {
    const match = /^([0-9a-z]{1,11})-([0-9a-f]{16})$/.exec(token.toLowerCase());
    if (match?.[1] === undefined || match[2] === undefined) return null;
    const id = parseInt(match[1], 36);
    const expected = this.tag(purpose, String(id)).subarray(0, 8);
    const given = Buffer.from(match[2], 'hex');
    return Number.isSafeInteger(id) && timingSafeEqual(given, expected) ? id : null;
  }

  private tag(purpose: TokenPurpose, payload: string): Buffer {
    return createHmac('sha256', this.key).update(`${purpose}\u001f${payload}`).digest().subarray(0, TAG_BYTES);
  }
}
