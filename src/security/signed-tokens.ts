/**
 * Opaque tokens for links and addresses that leave Lupa (unsubscribe, preferences, tracking, site
 * ad clicks, identify tokens, bounce addresses). A token's fields (ids, a visitor id, times) are
 * sealed: encrypted and authenticated with AES-256-GCM under a key derived (HKDF-SHA256) from the
 * installation's secret, with the purpose as associated data. Nothing in a token is readable by
 * whoever holds the link (compliance.md §3: tracking tokens are opaque), so a forwarded message or a
 * shared ad link tells no one a customer number or a visitor's cookie id, which would otherwise
 * be enough to act as that visitor (docs/decisions/0034). A token made for one purpose cannot be
 * used for another, and a changed byte is refused.
 *
 * Each token has exactly one spelling: unpadded base64url (RFC 4648 §5) of
 * `version ‖ nonce ‖ ciphertext ‖ GCM tag`, with nothing before or after. Node's base64 decoder
 * also reads the standard alphabet, padding, white space, stray characters and spare low bits; a
 * token written any of those ways would decode to the same bytes and verify, so a link could be
 * altered (or wrapped by a mail client) and still work. `verify` refuses every spelling but the one
 * `sign` writes.
 *
 * Links made before tokens were sealed (`<base64url JSON payload>.<base64url HMAC tag>`: readable
 * fields) are still read, so that unsubscribe links never stop working (decision 0014) and mail
 * already sent keeps its links; Lupa makes no new ones.
 */
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';

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
/** The sealed spelling's first byte, so that another scheme can follow without guessing. */
const SEALED_VERSION = 1;
/** A random 96-bit nonce per token (GCM's own size; 2^-32 collision odds only after 2^32 tokens under one key). */
const NONCE_BYTES = 12;
const GCM_TAG_BYTES = 16;
const BASE64URL = /^[A-Za-z0-9_-]+$/;
/** base36 without leading zeros (the one spelling of an id), and a 64-bit hex tag. */
const ID_TOKEN = /^(0|[1-9a-z][0-9a-z]{0,10})-([0-9a-f]{16})$/;

export class TokenSigner {
  /** The HMAC key of the legacy spelling and of the id tokens: the secret itself, as it always was. */
  private readonly key: Buffer;
  /** The sealing key, derived so that the secret is never used for two algorithms. */
  private readonly sealKey: Buffer;

  constructor(secret: string | Buffer) {
    this.key = typeof secret === 'string' ? Buffer.from(secret, 'utf8') : secret;
    if (this.key.length < 16) throw new Error('the token secret must be at least 16 bytes');
    this.sealKey = Buffer.from(hkdfSync('sha256', this.key, Buffer.alloc(0), 'lupa token seal v1 aes-256-gcm', 32));
  }

  /**
   * Seals a few short fields (ids, channel names, numbers). With `issuedAt` (seconds since 1970)
   * the token also carries when it was made, so that the link it is in can expire.
   */
  sign(purpose: TokenPurpose, fields: readonly (string | number)[], issuedAt?: number): string {
    const payload = payloadText(fields, issuedAt);
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.sealKey, nonce, { authTagLength: GCM_TAG_BYTES });
    cipher.setAAD(sealedAad(purpose));
    const body = Buffer.concat([cipher.update(payload, 'utf8'), cipher.final()]);
    return Buffer.concat([Buffer.of(SEALED_VERSION), nonce, body, cipher.getAuthTag()]).toString('base64url');
  }

  /**
   * A token in the spelling Lupa made before tokens were sealed (fields readable, HMAC-signed).
   * Lupa makes none any more; kept so that tests can make the links already sent and check they
   * still work.
   */
  signLegacy(purpose: TokenPurpose, fields: readonly (string | number)[], issuedAt?: number): string {
    const payload = payloadText(fields, issuedAt);
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
    if (dot === -1) return this.unseal(purpose, token);
    return this.verifyLegacy(purpose, token, dot);
  }

  private unseal(purpose: TokenPurpose, token: string): VerifiedToken | null {
    if (!BASE64URL.test(token)) return null;
    const bytes = Buffer.from(token, 'base64url');
    // Spare low bits in the last character decode to the same bytes: only the re-encoding is the token.
    if (bytes.toString('base64url') !== token) return null;
    if (bytes.length <= 1 + NONCE_BYTES + GCM_TAG_BYTES || bytes[0] !== SEALED_VERSION) return null;
    const nonce = bytes.subarray(1, 1 + NONCE_BYTES);
    const body = bytes.subarray(1 + NONCE_BYTES, bytes.length - GCM_TAG_BYTES);
    const decipher = createDecipheriv('aes-256-gcm', this.sealKey, nonce, { authTagLength: GCM_TAG_BYTES });
    decipher.setAAD(sealedAad(purpose));
    decipher.setAuthTag(bytes.subarray(bytes.length - GCM_TAG_BYTES));
    let payloadBytes: Buffer;
    try {
      payloadBytes = Buffer.concat([decipher.update(body), decipher.final()]);
    } catch {
      return null; // altered, another key, or another purpose: the tag does not hold
    }
    const payload = payloadBytes.toString('utf8');
    if (!Buffer.from(payload, 'utf8').equals(payloadBytes)) return null;
    return parsePayload(JSON.parse(payload));
  }

  /** A token of the spelling made before tokens were sealed: `<payload>.<HMAC tag>`. */
  private verifyLegacy(purpose: TokenPurpose, token: string, dot: number): VerifiedToken | null {
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

/** The payload: a bare array of fields (tokens without an issue time, as they always were), or `{f: fields, iat: seconds}`. */
function payloadText(fields: readonly (string | number)[], issuedAt: number | undefined): string {
  const strings = fields.map(String);
  return JSON.stringify(issuedAt === undefined ? strings : { f: strings, iat: Math.floor(issuedAt) });
}

/** The version and purpose, authenticated with the payload: a token sealed for one purpose does not open for another. */
function sealedAad(purpose: TokenPurpose): Buffer {
  return Buffer.from(`${SEALED_VERSION}\u001f${purpose}`, 'utf8');
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
