/**
 * Header blocks (RFC 5322 fields, DSN fields, feedback-report fields): unfolding, lookup and
 * RFC 2047 encoded words. Reporting MTAs fold and indent loosely, so parsing is forgiving:
 * a line that starts with white space continues the previous field, whatever the indent.
 */

export interface HeaderField {
  /** Lower-cased field name. */
  readonly name: string;
  readonly value: string;
}

export type Headers = readonly HeaderField[];

const FIELD_LINE = /^([!-9;-~]+)[ \t]*:[ \t]*(.*)$/;
const CR = 13;

/**
 * Fields read from one block: a message carries a few dozen, a long Received chain a hundred or
 * so. Past this the block is hostile and the rest of it is not read, so that the work and the
 * objects held per block stay bounded.
 */
export const MAX_HEADER_FIELDS = 1000;

/**
 * Parses a block of `Name: value` lines. Stops at the first line that is neither a field nor a
 * continuation when `stopAtJunk` is set (returned headers followed by a body); otherwise such a
 * line continues the previous field, and an empty line ends it (DSN fields embedded in prose).
 * Lines end at LF or CRLF; at most MAX_HEADER_FIELDS fields are read.
 */
export function parseHeaderBlock(text: string, opts: { stopAtJunk?: boolean } = {}): HeaderField[] {
  const fields: { name: string; value: string }[] = [];
  let current: { name: string; value: string } | undefined;
  // Line by line without splitting the whole text first: a block cut short reads no further.
  for (let start = 0; start <= text.length; ) {
    const nl = text.indexOf('\n', start);
    const end = nl === -1 ? text.length : nl;
    const line = text.slice(start, nl > start && text.charCodeAt(nl - 1) === CR ? nl - 1 : end);
    start = end + 1;
    if (/^[ \t]/.test(line) && current !== undefined && line.trim() !== '') {
      current.value += ` ${line.trim()}`;
      continue;
    }
    const m = FIELD_LINE.exec(line);
    if (m !== null && m[1] !== undefined) {
      if (fields.length >= MAX_HEADER_FIELDS) break;
      current = { name: m[1].toLowerCase(), value: (m[2] ?? '').trim() };
      fields.push(current);
      continue;
    }
    if (opts.stopAtJunk === true) break;
    // Loose DSNs wrap long Diagnostic-Code values without indenting the continuation lines.
    if (current !== undefined && line.trim() !== '') current.value += ` ${line.trim()}`;
    else current = undefined;
  }
  return fields.map((f) => ({ name: f.name, value: decodeEncodedWords(f.value) }));
}

export function headerValue(headers: Headers, name: string): string | undefined {
  const lower = name.toLowerCase();
  return headers.find((h) => h.name === lower)?.value;
}

export function headerValues(headers: Headers, name: string): string[] {
  const lower = name.toLowerCase();
  return headers.filter((h) => h.name === lower).map((h) => h.value);
}

/** Splits raw text into its header block and body at the first empty line. */
export function splitHeadersAndBody(raw: string): { head: string; body: string } {
  // A part that starts with an empty line has no headers at all.
  const lead = /^\r?\n/.exec(raw);
  if (lead !== null) return { head: '', body: raw.slice(lead[0].length) };
  const m = /\r?\n\r?\n/.exec(raw);
  if (m === null) return { head: raw, body: '' };
  return { head: raw.slice(0, m.index), body: raw.slice(m.index + m[0].length) };
}

/** `type/subtype; a=b; c="d"` → lower-cased type and lower-cased parameter names. */
export function parseContentType(value: string | undefined): { type: string; params: Record<string, string> } {
  if (value === undefined || value.trim() === '') return { type: 'text/plain', params: {} };
  const [first, ...rest] = splitParams(value);
  const params: Record<string, string> = {};
  for (const p of rest) {
    const eq = p.indexOf('=');
    if (eq < 0) continue;
    const key = p.slice(0, eq).trim().toLowerCase();
    let val = p.slice(eq + 1).trim();
    if (val.startsWith('"') && val.endsWith('"') && val.length >= 2) val = val.slice(1, -1).replace(/\\(.)/g, '$1');
    params[key] = val;
  }
  return { type: (first ?? '').trim().toLowerCase(), params };
}

/** Splits on `;` outside quotes. */
function splitParams(value: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (const ch of value) {
    if (ch === '"') quoted = !quoted;
    if (ch === ';' && !quoted) {
      out.push(cur);
      cur = '';
    } else {
      cur += ch;
    }
  }
  out.push(cur);
  return out;
}

/** RFC 2047 `=?charset?B|Q?text?=`; adjacent encoded words join without the space between them. */
export function decodeEncodedWords(value: string): string {
  if (!value.includes('=?')) return value;
  return value
    .replace(/(\?=)\s+(=\?)/g, '$1$2')
    .replace(/=\?([^?]+)\?([bBqQ])\?([^?]*)\?=/g, (whole, charset: string, enc: string, text: string) => {
      try {
        const bytes =
          enc.toUpperCase() === 'B'
            ? Buffer.from(text, 'base64')
            : Buffer.from(
                text.replace(/_/g, ' ').replace(/=([0-9A-Fa-f]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16))),
                'latin1',
              );
        return decodeBytes(bytes, charset.replace(/\*.*$/, ''));
      } catch {
        return whole;
      }
    });
}

/** Bytes → text in the declared charset; unknown charsets fall back to UTF-8 (lossy, never throws). */
export function decodeBytes(bytes: Buffer, charset: string | undefined): string {
  const label = (charset ?? 'utf-8').trim().toLowerCase();
  try {
    return new TextDecoder(label).decode(bytes);
  } catch {
    return new TextDecoder('utf-8').decode(bytes);
  }
}
