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
