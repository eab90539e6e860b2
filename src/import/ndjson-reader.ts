/**
 * Splits a byte stream into numbered lines without holding more than one chunk and one
 * partial line in memory. Lines are handed out per chunk (an array), not one by one, so the
 * importer pays one `await` per chunk rather than one per record.
 */
import { StringDecoder } from 'node:string_decoder';

export interface RawLine {
  /** 1-based physical line number. */
  line: number;
  /** The line without its terminator; null when it was longer than `maxLineLength` and was skipped. */
  text: string | null;
}

/** A record larger than this is refused rather than buffered: one missing newline must not eat all memory. */
export const DEFAULT_MAX_LINE_LENGTH = 1 << 20;

export async function* ndjsonLines(
  stream: AsyncIterable<string | Buffer>,
  opts: { maxLineLength?: number } = {},
): AsyncGenerator<RawLine[]> {
  const max = opts.maxLineLength ?? DEFAULT_MAX_LINE_LENGTH;
  const decoder = new StringDecoder('utf8'); // keeps multi-byte characters split across chunks intact
  let carry = '';
  let skipping = false; // inside an over-long line: drop text until its newline
  let line = 0;
  let first = true;

  const emit = (out: RawLine[], raw: string): void => {
    line += 1;
    let text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (first) {
      first = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1); // byte-order mark written by some Windows tools
    }
    out.push({ line, text });
  };

  const take = (chunk: string): RawLine[] => {
    const out: RawLine[] = [];
    let start = 0;
    for (let nl = chunk.indexOf('\n'); nl !== -1; nl = chunk.indexOf('\n', start)) {
      if (skipping) {
        skipping = false;
        line += 1;
        out.push({ line, text: null });
      } else if (carry.length + nl - start > max) {
        carry = '';
        line += 1;
        out.push({ line, text: null });
      } else {
        emit(out, carry + chunk.slice(start, nl));
        carry = '';
      }
      start = nl + 1;
    }
    if (!skipping) {
      carry += chunk.slice(start);
      if (carry.length > max) {
        carry = '';
        skipping = true;
      }
    }
    return out;
  };

  for await (const chunk of stream) {
    const lines = take(typeof chunk === 'string' ? chunk : decoder.write(chunk));
    if (lines.length > 0) yield lines;
  }
  const tail = take(decoder.end());
  if (skipping) {
    line += 1;
    tail.push({ line, text: null });
  } else if (carry !== '') {
    emit(tail, carry);
  }
  if (tail.length > 0) yield tail;
}

/**
 * Nesting a record line may have: a record is an object holding at most an object or an array
 * of strings (depth 2). Deeper lines are refused before JSON.parse builds them: a line of a
 * mebibyte of `[` would otherwise become half a million nested arrays, which cost far more to
 * build and collect than a flat line of the same length.
 */
export const MAX_JSON_DEPTH = 32;

/** Lines shorter than this cannot nest deeper than MAX_JSON_DEPTH in a way that costs anything: not scanned. */
const DEPTH_SCAN_FROM = 4096;

/**
 * Whether the JSON text nests arrays and objects deeper than `max` (brackets inside strings do
 * not count). One pass, no allocation; only lines of at least 4 KiB are scanned.
 */
export function nestsDeeperThan(text: string, max: number = MAX_JSON_DEPTH): boolean {
  if (text.length < DEPTH_SCAN_FROM) return false;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) {
      inString = true;
    } else if (c === OPEN_ARRAY || c === OPEN_OBJECT) {
      if (++depth > max) return true;
    } else if (c === CLOSE_ARRAY || c === CLOSE_OBJECT) {
      depth--;
    }
  }
  return false;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
