/**
 * Opaque signed tokens for links and addresses that leave Lupa (unsubscribe, preferences,
 * tracking, bounce addresses). A token carries only internal ids, never an address in clear
 * (compliance.md §3), and an HMAC-SHA256 tag over its purpose and payload, so a token made for one
 * purpose cannot be replayed for another and a changed id is refused.
 *
 * Each token has exactly one spelling: `<base64url payload>.<base64url tag>`, unpadded, in the URL
 * alphabet (RFC 4648 §5), with nothing before or after. Node's base64 decoder also reads the
 * standard alphabet, padding, white space, stray characters and spare low bits; a token written
 * any of those ways would decode to the same bytes and verify, so a link could be altered (or
 * wrapped by a mail client) and still work. `verify` refuses every spelling but the one `sign`
 * writes.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** What a token is for; part of the signed data. */
export type TokenPurpose = 'unsubscribe' | 'unsubscribe_mail' | 'preferences' | 'open' | 'click' | 'bounce' | 'advertiser_catalogue' | 'feedback' | 'phone_sale' | 'identify' | 'site_ad_impression' | 'site_ad_click';

/** A verified token's content. */
export interface VerifiedToken {
  fields: string[];
  /**
   * When the token was made, in whole seconds since 1970 (UTC), for tokens signed with one;
   * null for a token made without (tracking tokens, and links made before tokens carried it).
   */
  issuedAt: number | null;
}

const TAG_BYTES = 12;
/** The tag's one spelling: 12 bytes are exactly 16 base64url characters, without spare bits. */
const TAG_CHARS = 16;
/** Longer than any token Lupa makes (a few ids); refused before any decoding. */
const MAX_TOKEN_CHARS = 512;
const BASE64URL = /^[A-Za-z0-9_-]+$/;
/** base36 without leading zeros (the one spelling of an id), and a 64-bit hex tag. */
const ID_TOKEN = /^(0|[1-9a-z][0-9a-z]{0,10})-([0-9a-f]{16})$/;

export class TokenSigner {
  private readonly key: Buffer;

  constructor(secret: string | Buffer) {
    this.key = typeof secret === 'string' ? Buffer.from(secret, 'utf8') : secret;
    if (this.key.length < 16) throw new Error('the token secret must be at least 16 bytes');
  }

  /**
   * Signs a few short fields (ids, channel names, numbers). With `issuedAt` (seconds since 1970)
   * the token also carries when it was made, so that the link it is in can expire.
   */
  sign(purpose: TokenPurpose, fields: readonly (string | number)[], issuedAt?: number): string {
    const strings = fields.map(String);
    // Tokens without an issue time keep the payload they always had (a bare array).
    const payload = JSON.stringify(issuedAt === undefined ? strings : { f: strings, iat: Math.floor(issuedAt) });
    return `${Buffer.from(payload, 'utf8').toString('base64url')}.${this.tag(purpose, payload).toString('base64url')}`;
  }

  /** The fields of a token made for `purpose`, or null when it is malformed, altered, spelt otherwise or for another purpose. */
  verify(purpose: TokenPurpose, token: string): string[] | null {
    return this.verifyIssued(purpose, token)?.fields ?? null;
  }

  /** As `verify`, with the time the token was made (null when it carries none). */
  verifyIssued(purpose: TokenPurpose, token: string): VerifiedToken | null {
    if (token.length > MAX_TOKEN_CHARS) return null;
    const dot = token.indexOf('.');
    if (dot <= 0) return null;
    const payloadPart = token.slice(0, dot);
    const tagPart = token.slice(dot + 1);
    if (tagPart.length !== TAG_CHARS || !BASE64URL.test(payloadPart) || !BASE64URL.test(tagPart)) return null;
    const payloadBytes = Buffer.from(payloadPart, 'base64url');
    const given = Buffer.from(tagPart, 'base64url');
    // Spare low bits in the last character decode to the same bytes: only the re-encoding is the token.
    if (payloadBytes.toString('base64url') !== payloadPart || given.toString('base64url') !== tagPart) return null;
    const payload = payloadBytes.toString('utf8');
    // Bytes that are not UTF-8 would all read as U+FFFD: the payload must be exactly the text signed.
    if (!Buffer.from(payload, 'utf8').equals(payloadBytes)) return null;
    const expected = this.tag(purpose, payload);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    return parsePayload(JSON.parse(payload));
  }

  /**
   * A short, case-insensitive token for one numeric id (`<base36 id>-<hex tag>`), for places
   * where case may be folded and length is scarce, such as the local part of an address (RFC 5321
   * §2.4: relays should not fold it, some do). Case is the one variation accepted; an id spelt with
   * leading zeros is refused.
   */
  signId(purpose: TokenPurpose, id: number): string {
    return `${id.toString(36)}-${this.tag(purpose, String(id)).subarray(0, 8).toString('hex')}`;
  }

  verifyId(purpose: TokenPurpose, token: string): number | null {
    const match = ID_TOKEN.exec(token.toLowerCase());
    if (match?.[1] === undefined || match[2] === undefined) return null;
    const id = parseInt(match[1], 36);
    if (!Number.isSafeInteger(id)) return null;
    const expected = this.tag(purpose, String(id)).subarray(0, 8);
    const given = Buffer.from(match[2], 'hex');
    return timingSafeEqual(given, expected) ? id : null;
  }

  private tag(purpose: TokenPurpose, payload: string): Buffer {
    return createHmac('sha256', this.key).update(`${purpose}\u001f${payload}`).digest().subarray(0, TAG_BYTES);
  }
}

/** A signed payload: the bare array of fields, or `{f: fields, iat: seconds}`. */
function parsePayload(value: unknown): VerifiedToken | null {
  if (isStrings(value)) return { fields: value, issuedAt: null };
  if (typeof value !== 'object' || value === null) return null;
  const { f, iat } = value as { f?: unknown; iat?: unknown };
  return isStrings(f) && typeof iat === 'number' && Number.isSafeInteger(iat) ? { fields: f, issuedAt: iat } : null;
}

function isStrings(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((f) => typeof f === 'string');
}
