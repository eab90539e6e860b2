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

function splitRecipients(fields: readonly HeaderField[]): HeaderField[][] {
  const groups: HeaderField[][] = [];
  let current: HeaderField[] = [];
  for (const f of fields) {
    if (!RECIPIENT_FIELDS.has(f.name)) continue;
    const repeats = current.some((c) => c.name === f.name);
    if (repeats) {
      groups.push(current);
      current = [];
    }
    current.push(f);
  }
  if (current.length > 0) groups.push(current);
  return groups;
}

function toRecipient(group: readonly HeaderField[]): DsnRecipient | null {
  const finalRecipient = cleanAddress(headerValue(group, 'final-recipient'));
  const originalRecipient = cleanAddress(headerValue(group, 'original-recipient'));
  const action = headerValue(group, 'action')?.trim().toLowerCase().split(/[\s(]/)[0] ?? null;
  const status = findStatusCode(headerValue(group, 'status') ?? '');
  const diagnostic = headerValue(group, 'diagnostic-code')?.replace(/^\s*smtp\s*;\s*/i, '').trim() ?? null;
  if (finalRecipient === null && originalRecipient === null && status === null && action === null) return null;
  return { finalRecipient, originalRecipient, action, status, diagnostic: diagnostic === '' ? null : diagnostic };
}

/** `rfc822; <User@Example.COM>` → `user@example.com`; null when no address is in the value. */
export function cleanAddress(value: string | undefined | null): string | null {
  if (value === undefined || value === null) return null;
  const withoutType = value.replace(/^\s*[a-z0-9-]+\s*;+/i, '');
  return findAddress(withoutType);
}

const ADDRESS = /[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+/;

/** First e-mail address in the text, lower-cased, without brackets or trailing dots. */
export function findAddress(text: string): string | null {
  const m = ADDRESS.exec(text);
  if (m === null) return null;
  return m[0].replace(/^[.'"]+|[.'"]+$/g, '').toLowerCase();
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
