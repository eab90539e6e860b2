/**
 * A minimal MIME walker. We own it instead of using a full mail library because bounce parsing
 * needs the opposite of a mail client's priorities: every part's text (including
 * message/delivery-status and text/rfc822-headers, which libraries treat as opaque attachments),
 * tolerance for wrong or missing content types, and no attachment handling at all.
 *
 * The raw message is held as a latin1 string so that every byte maps to one char; text is decoded
 * to its charset only when a part's body is read.
 */
import { decodeBytes, headerValue, parseContentType, parseHeaderBlock, splitHeadersAndBody, type Headers } from './headers.ts';

export interface MimePart {
  readonly headers: Headers;
  /** Lower-cased `type/subtype`; `text/plain` when missing. */
  readonly contentType: string;
  readonly params: Readonly<Record<string, string>>;
  /** Decoded text of a leaf part (transfer encoding and charset undone); '' for multiparts. */
  readonly text: string;
  /** Children of a multipart, or the one embedded message of message/rfc822. */
  readonly parts: readonly MimePart[];
}

/** Nesting limit: bounces embed at most a few levels; anything deeper is hostile or broken. */
const MAX_DEPTH = 8;

/**
 * Parts read in one message, at every level together: a report has two or three, a returned
 * message with attachments a few more. Past this the rest is not read, so that the work (and the
 * objects held) per message stay bounded whatever its shape.
 */
export const MAX_PARTS = 200;

/**
 * Bytes of a message that are read at all. A report states its cause and carries the returned
 * message's headers near the start; what follows is the returned message's body and attachments.
 */
export const MAX_MESSAGE_BYTES = 2 * 1024 * 1024;

export function parseMime(raw: string | Buffer): MimePart {
  const bytes = typeof raw === 'string' ? Buffer.from(raw, 'utf8') : raw;
  const latin1 = bytes.subarray(0, MAX_MESSAGE_BYTES).toString('latin1');
  return parseEntity(latin1, 0, { partsLeft: MAX_PARTS });
}

function parseEntity(latin1: string, depth: number, budget: { partsLeft: number }): MimePart {
  const { head, body } = splitHeadersAndBody(latin1);
  // Header text is usually ASCII; 8-bit headers are almost always UTF-8 in practice.
  const headers = parseHeaderBlock(Buffer.from(head, 'latin1').toString('utf8'), { stopAtJunk: false });
  const { type, params } = parseContentType(headerValue(headers, 'content-type'));
  const encoding = (headerValue(headers, 'content-transfer-encoding') ?? '7bit').trim().toLowerCase();

  if (type.startsWith('multipart/') && params['boundary'] !== undefined && depth < MAX_DEPTH) {
    const parts = splitMultipart(body, params['boundary'], budget).map((p) => parseEntity(p, depth + 1, budget));
    // A multipart whose boundary never appears is treated as text so its content is not lost.
    if (parts.length > 0) return { headers, contentType: type, params, text: '', parts };
  }
  const bytes = decodeTransfer(body, encoding);
  if ((type === 'message/rfc822' || type === 'message/global') && depth < MAX_DEPTH) {
    return { headers, contentType: type, params, text: '', parts: [parseEntity(bytes.toString('latin1'), depth + 1, budget)] };
  }
  return { headers, contentType: type, params, text: decodeText(bytes, params['charset']), parts: [] };
}

/**
 * The parts between the boundary's delimiter lines (RFC 2046 §5.1.1), each with its line breaks
 * as LF. One pass over the body that looks at a line only where it starts with the delimiter, and
 * takes at most `budget.partsLeft` parts.
 */
export function splitMultipart(body: string, boundary: string, budget: { partsLeft: number }): string[] {
  const delimiter = `--${boundary}`;
  const parts: string[] = [];
  let partStart = -1; // where the open part's first line starts; -1 while no part is open
  for (let start = 0; start < body.length; ) {
    const nl = body.indexOf('\n', start);
    const end = nl === -1 ? body.length : nl;
    if (body.startsWith(delimiter, start)) {
      const trimmed = body.slice(start, end).trimEnd();
      if (trimmed === delimiter || trimmed === `${delimiter}--`) {
        if (partStart !== -1) parts.push(lines(body.slice(partStart, Math.max(partStart, start - 1))).replace(/\r$/, ''));
        partStart = -1;
        if (trimmed !== delimiter || budget.partsLeft <= 0) return parts;
        budget.partsLeft -= 1;
        // A delimiter on the last line without a line break opens no part.
        if (nl !== -1) partStart = nl + 1;
      }
    }
    if (nl === -1) break;
    start = nl + 1;
  }
  // A missing closing delimiter (truncated bounce) still yields the last part.
  if (partStart !== -1) parts.push(lines(body.slice(partStart)));
  return parts;
}

/** CRLF line breaks as LF. */
function lines(text: string): string {
  return text.replace(/\r\n/g, '\n');
}

export function decodeTransfer(body: string, encoding: string): Buffer {
  if (encoding === 'base64') return Buffer.from(body.replace(/[^A-Za-z0-9+/=]/g, ''), 'base64');
  if (encoding === 'quoted-printable') {
    const text = body.replace(/=\r?\n/g, '').replace(/=([0-9A-Fa-f]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
    return Buffer.from(text, 'latin1');
  }
  return Buffer.from(body, 'latin1');
}

export function decodeText(bytes: Buffer, charset: string | undefined): string {
  if (charset !== undefined) return decodeBytes(bytes, charset);
  // No charset: ASCII is the default, but 8-bit text in bounces is mostly UTF-8; ISO-2022-JP
  // is 7-bit and recognisable by its escape sequences.
  if (bytes.includes(0x1b)) return decodeBytes(bytes, 'iso-2022-jp');
  return decodeBytes(bytes, 'utf-8');
}

/** Depth-first list of every part, the root first. */
export function allParts(root: MimePart): MimePart[] {
  const out: MimePart[] = [];
  const walk = (p: MimePart): void => {
    out.push(p);
    for (const c of p.parts) walk(c);
  };
  walk(root);
  return out;
}
