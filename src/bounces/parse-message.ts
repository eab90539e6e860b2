/**
 * Turns a raw report message into the pieces a classifier needs: the DSN (RFC 3464), the feedback
 * report (RFC 5965), the headers of the returned original message, and the human-readable text.
 * Loose formats are accepted: DSN or feedback fields in a text/plain body, and the returned
 * message as message/rfc822, text/rfc822-headers, or a text part that is just headers.
 */
import { decodeHTML } from 'entities';
import { looksLikeDeliveryStatus, parseDeliveryStatus, type DsnReport } from './dsn.ts';
import { headerValue, parseHeaderBlock, type Headers } from './headers.ts';
import { parseMime, type MimePart } from './mime.ts';

export interface ParsedMessage {
  readonly headers: Headers;
  readonly subject: string;
  readonly from: string;
  /** Delivery-status fields from a DSN part, or from DSN fields found in a text part. */
  readonly dsn: DsnReport | null;
  /** Feedback-report fields (Feedback-Type, Original-Rcpt-To, …), or null. */
  readonly feedback: Headers | null;
  /** Headers of the returned (original) message, when it is attached. */
  readonly originalHeaders: Headers | null;
  /** Text written by the reporting system: text parts outside the returned message, HTML stripped. */
  readonly text: string;
  /** Values of the report's own vendor header fields that explain a failure (`X-Supplementary-Info`, …). */
  readonly vendorDiagnostics: string;
}

/**
 * Bounce texts explain themselves in the first few kilobytes; scanning at most this much of each
 * part keeps the phrase and address heuristics fast on hostile or huge input.
 */
const MAX_PART_TEXT = 64 * 1024;

/** At most this much notice text in all, however many parts a message has. */
const MAX_TEXT = 128 * 1024;

const DSN_TYPES = new Set(['message/delivery-status', 'message/global-delivery-status']);
const HEADER_TYPES = new Set(['text/rfc822-headers', 'message/rfc822-headers', 'text/rfc822-header', 'message/global-headers']);

export function parseMessage(raw: string | Buffer): ParsedMessage {
  const root = parseMime(raw);
  const found: Found = { dsnTexts: [], looseDsnTexts: [], feedback: [], original: null, inlineOriginal: null, texts: [] };
  visit(root, found, true);

  const dsnSource = found.dsnTexts.length > 0 ? found.dsnTexts : found.looseDsnTexts;
  let dsn: DsnReport | null = null;
  if (dsnSource.length > 0) {
    const reports = dsnSource.map(parseDeliveryStatus);
    dsn = { reportingMta: reports[0]?.reportingMta ?? null, recipients: reports.flatMap((r) => r.recipients) };
  }
  const feedback = found.feedback.length > 0 ? parseHeaderBlock(found.feedback.join('\n')) : null;
  return {
    headers: root.headers,
    subject: headerValue(root.headers, 'subject') ?? '',
    from: headerValue(root.headers, 'from') ?? '',
    dsn,
    feedback,
    originalHeaders: found.original ?? found.inlineOriginal,
    text: found.texts.join('\n').slice(0, MAX_TEXT),
    vendorDiagnostics: root.headers
      .filter((h) => VENDOR_DIAGNOSTIC_FIELD.test(h.name))
      .map((h) => h.value)
      .join('\n'),
  };
}

/** Header fields of a report in which vendors state a failure's cause. */
const VENDOR_DIAGNOSTIC_FIELD = /^x-[a-z-]*(diagnostic|error|reason|supplementary|failure|bounce)/;

interface Found {
  dsnTexts: string[];
  looseDsnTexts: string[];
  feedback: string[];
  original: Headers | null;
  /** Headers of a returned message pasted into the notice text (non-MIME bounces). */
  inlineOriginal: Headers | null;
  texts: string[];
}

function visit(part: MimePart, found: Found, isRoot: boolean): void {
  const type = part.contentType;
  if (type === 'message/rfc822' || type === 'message/global') {
    // The returned message: only its headers matter (who it was sent to), never its body text,
    // which could contain words that look like bounce phrases.
    const inner = part.parts[0];
    if (inner !== undefined) found.original ??= inner.headers;
    return;
  }
  if (part.parts.length > 0) {
    for (const child of part.parts) visit(child, found, false);
    return;
  }
  const text = part.text;
  if (DSN_TYPES.has(type)) {
    found.dsnTexts.push(text.slice(0, MAX_PART_TEXT));
    return;
  }
  if (type === 'message/feedback-report' || (/^feedback-type[ \t]*:/im.test(text) && !isRoot)) {
    found.feedback.push(text.slice(0, MAX_PART_TEXT));
    return;
  }
  if (HEADER_TYPES.has(type)) {
    found.original ??= parseHeaderBlock(text, { stopAtJunk: true });
    return;
  }
  if (!isRoot && part.params['name'] === undefined && looksLikeHeaders(text) && !type.startsWith('text/html')) {
    // Returned headers sent as text/plain (a common MTA mistake).
    found.original ??= parseHeaderBlock(text, { stopAtJunk: true });
    return;
  }
  if (type.startsWith('text/') || type === 'message/disposition-notification' || type === 'application/octet-stream') {
    const bounded = text.slice(0, MAX_PART_TEXT);
    const { notice, returned } = splitReturnedMessage(type === 'text/html' ? stripHtml(bounded) : bounded);
    if (looksLikeDeliveryStatus(notice)) found.looseDsnTexts.push(notice);
    if (/^feedback-type[ \t]*:/im.test(notice)) found.feedback.push(notice);
    if (returned !== null) found.inlineOriginal ??= parseHeaderBlock(returned.replace(/^\s+/, ''), { stopAtJunk: true });
    found.texts.push(notice);
  }
}

/**
 * Lines with which MTAs introduce a pasted copy of the returned message. Text after them is the
 * sender's own message: scanning it for bounce phrases or codes would misread it.
 */
const RETURNED_MESSAGE_SEPARATOR =
  /^[ \t]*(?:[-=*_]{2,}[ \t]*(?:this is a copy of|(?:the )?original message|returned message|unsent message|below this line|message headers|copy of the original|returned mail|the headers? of the original)[^\n]*|original message:?|(?:the )?original message follows\.?|this is a copy of the message[^\n]*|below is a copy of the original message:?|below this line is a copy of the message\.?)[ \t]*$/im;

export function splitReturnedMessage(text: string): { notice: string; returned: string | null } {
  const m = RETURNED_MESSAGE_SEPARATOR.exec(text);
  if (m === null) return { notice: text, returned: null };
  return { notice: text.slice(0, m.index), returned: text.slice(m.index + m[0].length).replace(/^\r?\n/, '') };
}

/** A part whose first lines are typical message headers (Received, From, Message-ID, …). */
function looksLikeHeaders(text: string): boolean {
  const head = text.trimStart().split(/\r?\n/).slice(0, 3);
  return head.length > 0 && head.every((l) => /^([A-Za-z-]+:\s|\s)/.test(l)) && /^(received|return-path|message-id|from|date|to|subject|mime-version|x-[a-z-]+):/im.test(head[0] ?? '');
}

export function stripHtml(html: string): string {
  return withoutElements(html, ['style', 'script'])
    .replace(/<br\s*\/?>|<\/(p|div|tr|li|h\d)>/gi, '\n')
    .replace(/<[^<>]*>/g, ' ')
    // Every named and numeric reference (p&auml;iv&#228;n: päivän), by the HTML standard's table.
    .split('\n')
    .map((line) => decodeHTML(line).replace(/\u00a0/g, ' '))
    .join('\n')
    .replace(/[ \t]+/g, ' ');
}

/** The HTML without the named elements and their content; an element never closed runs to the end. */
function withoutElements(html: string, names: readonly string[]): string {
  const lower = html.toLowerCase();
  // The next opening of each name at or after `from`, found again only once passed: linear time.
  const opening = new Map(names.map((n) => [n, lower.indexOf(`<${n}`)]));
  let out = '';
  let from = 0;
  for (;;) {
    let name: string | undefined;
    for (const [n, at] of opening) {
      const found = at >= 0 && at < from ? lower.indexOf(`<${n}`, from) : at;
      opening.set(n, found);
      if (found >= 0 && (name === undefined || found < (opening.get(name) ?? 0))) name = n;
    }
    if (name === undefined) return out + html.slice(from);
    const at = opening.get(name) ?? 0;
    out += `${html.slice(from, at)} `;
    const close = lower.indexOf(`</${name}>`, at);
    if (close < 0) return out;
    from = close + name.length + 3;
  }
}
