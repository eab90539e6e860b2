/**
 * RFC 3464 delivery-status fields. Works on a proper message/delivery-status body and on the
 * same fields pasted into a text/plain body, which many MTAs do; blank lines are used to group
 * per-recipient fields when present, and a repeated Final-Recipient starts a new recipient when not.
 */
import { headerValue, parseHeaderBlock, type HeaderField } from './headers.ts';

export interface DsnRecipient {
  readonly finalRecipient: string | null;
  readonly originalRecipient: string | null;
  readonly action: string | null;
  readonly status: string | null;
  /** Diagnostic-Code, followed by the recipient's vendor fields (`X-Supplementary-Info`, …). */
  readonly diagnostic: string | null;
}

export interface DsnReport {
  readonly reportingMta: string | null;
  readonly recipients: readonly DsnRecipient[];
}

const RECIPIENT_FIELDS = new Set(['final-recipient', 'original-recipient', 'action', 'status', 'diagnostic-code', 'remote-mta', 'last-attempt-date', 'will-retry-until']);

export function parseDeliveryStatus(text: string): DsnReport {
  let reportingMta: string | null = null;
  const recipients: DsnRecipient[] = [];
  for (const block of text.split(/\r?\n[ \t]*\r?\n/)) {
    const fields = parseHeaderBlock(block);
    reportingMta ??= headerValue(fields, 'reporting-mta') ?? null;
    for (const group of splitRecipients(fields)) {
      const rec = toRecipient(group);
      if (rec !== null) recipients.push(rec);
    }
  }
  return { reportingMta, recipients };
}

/** True when the text carries DSN recipient fields (used to find DSNs with a wrong content type). */
export function looksLikeDeliveryStatus(text: string): boolean {
  return /^(final-recipient|original-recipient)[ \t]*:/im.test(text) && /^(status|action)[ \t]*:/im.test(text);
}

/** Vendor extension fields of a recipient (`X-Supplementary-Info`, `X-Display-Name`, …). */
const isVendorField = (name: string): boolean => name.startsWith('x-');

function splitRecipients(fields: readonly HeaderField[]): HeaderField[][] {
  const groups: HeaderField[][] = [];
  let current: HeaderField[] = [];
  // The names in the current group, so that a repeat is found in constant time, not by a scan.
  let names = new Set<string>();
  for (const f of fields) {
    if (!RECIPIENT_FIELDS.has(f.name) && !isVendorField(f.name)) continue;
    if (names.has(f.name)) {
      groups.push(current);
      current = [];
      names = new Set();
    }
    current.push(f);
    names.add(f.name);
  }
  if (current.length > 0) groups.push(current);
  return groups;
}

function toRecipient(group: readonly HeaderField[]): DsnRecipient | null {
  const finalRecipient = cleanAddress(headerValue(group, 'final-recipient'));
  const originalRecipient = cleanAddress(headerValue(group, 'original-recipient'));
  const action = headerValue(group, 'action')?.trim().toLowerCase().split(/[\s(]/)[0] ?? null;
  const status = findStatusCode(headerValue(group, 'status') ?? '');
  const code = headerValue(group, 'diagnostic-code')?.replace(/^\s*smtp\s*;\s*/i, '').trim() ?? '';
  // Some servers state the cause only in a vendor field, beside a generic Diagnostic-Code or none.
  const vendor = group.filter((f) => isVendorField(f.name)).map((f) => f.value.trim());
  const diagnostic = [code, ...vendor].filter((v) => v !== '').join('\n');
  if (finalRecipient === null && originalRecipient === null && status === null && action === null) return null;
  return { finalRecipient, originalRecipient, action, status, diagnostic: diagnostic === '' ? null : diagnostic };
}

/** `rfc822; <User@Example.COM>` → `user@example.com`; null when no address is in the value. */
export function cleanAddress(value: string | undefined | null): string | null {
  if (value === undefined || value === null) return null;
  const withoutType = value.replace(/^\s*[a-z0-9-]+\s*;+/i, '');
  return findAddress(withoutType);
}

/** Characters of an address's local part (RFC 5322 dot-atom text), by char code. */
const LOCAL_CHARS = new Uint8Array(128);
for (const c of "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!#$%&'*+/=?^_`{|}~.-") LOCAL_CHARS[c.charCodeAt(0)] = 1;
const isLocal = (code: number): boolean => code < 128 && LOCAL_CHARS[code] === 1;
const isAlnum = (code: number): boolean => (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
const HYPHEN = 45;
const DOT = 46;

/**
 * First e-mail address in the text, lower-cased, without brackets or trailing dots. A scan outward
 * from each `@` (no regex over the text), so a long run without an address costs linear time.
 */
export function findAddress(text: string): string | null {
  for (let at = text.indexOf('@'); at >= 0; at = text.indexOf('@', at + 1)) {
    let start = at;
    while (start > 0 && isLocal(text.charCodeAt(start - 1))) start--;
    if (start === at) continue;
    const end = domainEnd(text, at + 1);
    if (end !== null) return text.slice(start, end).replace(/^[.'"]+|[.'"]+$/g, '').toLowerCase();
  }
  return null;
}

/** End of a domain of at least two labels starting at `from` (labels: alphanumerics and inner hyphens), or null. */
function domainEnd(text: string, from: number): number | null {
  let labels = 0;
  let end = from;
  let i = from;
  while (isAlnum(text.charCodeAt(i))) {
    let j = i;
    while (isAlnum(text.charCodeAt(j)) || text.charCodeAt(j) === HYPHEN) j++;
    let last = j;
    while (text.charCodeAt(last - 1) === HYPHEN) last--;
    labels++;
    end = last;
    if (last !== j || text.charCodeAt(j) !== DOT || !isAlnum(text.charCodeAt(j + 1))) break;
    i = j + 1;
  }
  return labels >= 2 ? end : null;
}

/** First enhanced status code (RFC 3463 `class.subject.detail`) in the text. */
export function findStatusCode(text: string): string | null {
  const m = /(?<![\w.])([245])\.(\d{1,3})\.(\d{1,3})(?![\d]|\.\d)/.exec(text);
  return m === null ? null : `${m[1]}.${Number(m[2])}.${Number(m[3])}`;
}

/** Every enhanced status code in the text, in order. */
export function findAllStatusCodes(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/(?<![\w.])([245])\.(\d{1,3})\.(\d{1,3})(?![\d]|\.\d)/g)) out.push(`${m[1]}.${Number(m[2])}.${Number(m[3])}`);
  return out;
}

/** First SMTP reply code (`550`, `4.5.0`-free three-digit code at a word boundary) in the text. */
export function findReplyCode(text: string): string | null {
  const m = /(?<![\d.\-/:])([245][0-5]\d)(?:[ -]|$)(?![\d])/m.exec(text);
  return m === null ? null : (m[1] ?? null);
}
