/**
 * Reads a customer's mail to the support address (docs/customer-service.md): who sent it, its
 * subject, the Message-IDs it answers (In-Reply-To, References), its text, and its attachments as
 * bytes. Runs in the inbound parser's thread (threaded-bounce-parser.ts), never in the event loop,
 * over the MIME pieces the bounce parser uses: one pass over the message, at most MAX_PARTS parts,
 * MAX_DEPTH levels, MAX_TEXT characters of text; the message's size is bounded at the socket
 * (LUPA_BOUNCE_MAX_BYTES).
 */
import { decodeText, decodeTransfer, splitMultipart } from './mime.ts';
import { stripHtml } from './parse-message.ts';
import { headerValue, parseContentType, parseHeaderBlock, splitHeadersAndBody, type Headers } from './headers.ts';

export interface SupportAttachment {
  fileName: string;
  contentType: string;
  data: Uint8Array;
}

export interface SupportMail {
  /** The sender's address as written in From (not yet normalised), or '' when there is none. */
  from: string;
  fromName: string | null;
  subject: string;
  /** This message's own Message-ID, `<…>`, or null. */
  messageId: string | null;
  /** The Message-IDs it refers to, In-Reply-To first, then References from the newest. */
  refersTo: string[];
  /** The text of the message: its first text/plain part, else its first text/html part without tags. */
  text: string;
  attachments: SupportAttachment[];
  /** An auto-reply (Auto-Submitted, RFC 3834; Precedence bulk/auto_reply): kept, but never answered automatically. */
  automatic: boolean;
  /**
   * A delivery status notification (RFC 3464: multipart/report; report-type=delivery-status): a
   * mail system saying that a message did not arrive, not a customer writing. Its `refersTo` also
   * holds the Message-ID of the returned message's headers, so it can be tied to the reply it is about.
   */
  deliveryReport: boolean;
}

const MAX_DEPTH = 8;
const MAX_PARTS = 100;
/** Characters of text kept: a support message says what it needs to in far less. */
export const MAX_TEXT = 100_000;
/** Attachments kept from one message; more is a mass mailing, not a customer's question. */
export const MAX_ATTACHMENTS = 20;

interface Found {
  plain: string | null;
  html: string | null;
  attachments: SupportAttachment[];
  /** Message-IDs of a returned message's headers (a delivery report's third part). */
  returnedIds: string[];
}

/** The support mail in `raw` (the whole message as received). Never throws on malformed input: what cannot be read is left out. */
export function parseSupportMail(raw: Buffer): SupportMail {
  const latin1 = raw.toString('latin1');
  const { head, body } = splitHeadersAndBody(latin1);
  const headers = parseHeaderBlock(Buffer.from(head, 'latin1').toString('utf8'), { stopAtJunk: false });
  const found: Found = { plain: null, html: null, attachments: [], returnedIds: [] };
  visit(headers, body, 0, { partsLeft: MAX_PARTS }, found);
  const { address, name } = mailbox(headerValue(headers, 'from') ?? '');
  const text = found.plain ?? (found.html === null ? '' : stripHtml(found.html));
  const autoSubmitted = (headerValue(headers, 'auto-submitted') ?? 'no').trim().toLowerCase();
  const precedence = (headerValue(headers, 'precedence') ?? '').trim().toLowerCase();
  const top = parseContentType(headerValue(headers, 'content-type'));
  const deliveryReport = top.type === 'multipart/report' && (top.params['report-type'] ?? '').toLowerCase() === 'delivery-status';
  return {
    from: address,
    fromName: name,
    subject: (headerValue(headers, 'subject') ?? '').replace(/\s+/g, ' ').trim().slice(0, 500),
    messageId: messageIds(headerValue(headers, 'message-id') ?? '')[0] ?? null,
    refersTo: [...new Set([...refersTo(headerValue(headers, 'in-reply-to'), headerValue(headers, 'references')), ...found.returnedIds])].slice(0, 50),
    text: text.replace(/\r\n/g, '\n').trim().slice(0, MAX_TEXT),
    attachments: found.attachments,
    automatic: deliveryReport || (autoSubmitted !== '' && autoSubmitted !== 'no') || ['bulk', 'auto_reply', 'list', 'junk'].includes(precedence),
    deliveryReport,
  };
}

function visit(headers: Headers, body: string, depth: number, budget: { partsLeft: number }, found: Found): void {
  const { type, params } = parseContentType(headerValue(headers, 'content-type'));
  if (type.startsWith('multipart/') && params['boundary'] !== undefined && depth < MAX_DEPTH) {
    for (const part of splitMultipart(body, params['boundary'], budget)) {
      const split = splitHeadersAndBody(part);
      visit(parseHeaderBlock(Buffer.from(split.head, 'latin1').toString('utf8'), { stopAtJunk: false }), split.body, depth + 1, budget, found);
    }
    return;
  }
  const encoding = (headerValue(headers, 'content-transfer-encoding') ?? '7bit').trim().toLowerCase();
  // The returned message's headers in a delivery report: its Message-ID names the reply that bounced.
  if (type === 'text/rfc822-headers' || type === 'message/rfc822-headers' || type === 'message/rfc822') {
    const returned = parseHeaderBlock(decodeTransfer(body, encoding).toString('utf8'), { stopAtJunk: false });
    found.returnedIds.push(...messageIds(headerValue(returned, 'message-id') ?? '').slice(0, 1));
  }
  const disposition = parseContentType(headerValue(headers, 'content-disposition'));
  const fileName = disposition.params['filename'] ?? disposition.params['filename*'] ?? params['name'];
  const isBody = disposition.type !== 'attachment' && fileName === undefined;
  if (isBody && type === 'text/plain' && found.plain === null) {
    found.plain = decodeText(decodeTransfer(body, encoding), params['charset']).slice(0, MAX_TEXT);
    return;
  }
  if (isBody && type === 'text/html' && found.html === null) {
    found.html = decodeText(decodeTransfer(body, encoding), params['charset']).slice(0, MAX_TEXT * 2);
    return;
  }
  if (!isBody && found.attachments.length < MAX_ATTACHMENTS) {
    found.attachments.push({ fileName: safeFileName(fileName ?? 'attachment'), contentType: type, data: decodeTransfer(body, encoding) });
  }
}

/** `"Aino Virtanen" <aino@example.fi>` → the address and the name (RFC 5322 §3.4, loosely). */
function mailbox(value: string): { address: string; name: string | null } {
  const angle = /<([^<>\s]+@[^<>\s]+)>/.exec(value);
  if (angle !== null) {
    const name = value.slice(0, angle.index).replace(/^[\s"]+|[\s"]+$/g, '');
    return { address: angle[1] ?? '', name: name === '' ? null : name.slice(0, 200) };
  }
  const bare = /[^\s<>"(),;:]+@[^\s<>"(),;:]+/.exec(value);
  return { address: bare?.[0] ?? '', name: null };
}

/** The Message-IDs a mail refers to, from its In-Reply-To and References values: In-Reply-To first, then References from the newest, each once, at most 50. */
export function refersTo(inReplyTo: string | undefined, references: string | undefined): string[] {
  return [...new Set([...messageIds(inReplyTo ?? ''), ...messageIds(references ?? '').reverse()])].slice(0, 50);
}

/** Every `<…>` in a header value, in order, lower-cased. */
export function messageIds(value: string): string[] {
  return (value.match(/<[^<>\s]{1,250}>/g) ?? []).map((id) => id.toLowerCase());
}

/** A file name that names one file: no directories, no control characters, at most 200 characters. */
function safeFileName(name: string): string {
  const rfc2231 = /^[\w-]*'[\w-]*'(.*)$/.exec(name);
  let decoded = rfc2231 === null ? name : rfc2231[1] ?? name;
  try {
    if (rfc2231 !== null) decoded = decodeURIComponent(decoded);
  } catch {
    // A broken percent sequence stays as written.
  }
  const base = decoded.split(/[/\\]/).pop()?.replace(/[\u0000-\u001f\u007f]/g, '').trim() ?? '';
  return (base === '' || base === '.' || base === '..' ? 'attachment' : base).slice(0, 200);
}
