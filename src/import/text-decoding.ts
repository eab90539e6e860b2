/**
 * Bytes of an import file → text, chunk by chunk, refusing bytes that are not valid in the
 * file's encoding instead of turning them into U+FFFD: a replacement character in a name or a
 * street would be stored for good and break every later match on that address.
 *
 * UTF-8 (the default) is checked with a fatal `TextDecoder`. Other encodings (Windows-1252,
 * ISO-8859-1, ISO-8859-15, UTF-16, …: whatever iconv-lite knows) are decoded by iconv-lite; the
 * single-byte ones map every byte, so they never fail. A byte-order mark is dropped.
 */
import { TextDecoder } from 'node:util';
import iconv from 'iconv-lite';
import { DomainError } from '../core/errors.ts';

export const DEFAULT_ENCODING = 'utf-8';

/** The input holds bytes that are not text in the expected encoding; `line` is 1-based. */
export class UndecodableInput extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
    this.name = 'UndecodableInput';
  }
}

/**
 * Checks an encoding name given by a user (`--encoding`).
 * @throws DomainError VALIDATION_FAILED (field `encoding`) when iconv-lite does not know it.
 */
export function checkEncoding(encoding: string): string {
  if (!iconv.encodingExists(encoding)) {
    throw new DomainError('VALIDATION_FAILED', `unknown encoding ${encoding}; use e.g. utf-8, windows-1252, iso-8859-1 or iso-8859-15`, { field: 'encoding' });
  }
  return encoding;
}

function isUtf8Name(encoding: string): boolean {
  return /^utf-?8$/i.test(encoding);
}

const LF = 0x0a;
/** Bytes held back while waiting for a line break; past this the text is decoded without one. */
const MAX_CARRY = 1 << 22;

/**
 * Decodes a byte stream (string chunks pass through as they are) into text chunks.
 * Memory: one chunk plus the unfinished last line (at most 4 MiB) of bytes.
 * @throws UndecodableInput naming the first line with bytes that are not valid UTF-8 (or a UTF-16
 *   byte-order mark when UTF-8 was expected). Lines count LF bytes, as the readers do.
 */
export async function* decodeText(stream: AsyncIterable<string | Buffer>, encoding: string = DEFAULT_ENCODING): AsyncGenerator<string> {
  if (!isUtf8Name(encoding)) {
    const decoder = iconv.getDecoder(checkEncoding(encoding)); // strips a BOM by default
    for await (const chunk of stream) {
      const text = typeof chunk === 'string' ? chunk : decoder.write(chunk);
      if (text !== '') yield text;
    }
    const tail = decoder.end();
    if (tail !== undefined && tail !== '') yield tail;
    return;
  }
  // Text is decoded up to the last line break of what has arrived. A line break is one byte that
  // never occurs inside a multi-byte character, so each slice decodes on its own and an error can
  // be traced to its line exactly.
  const decoder = new TextDecoder('utf-8', { fatal: true }); // drops a leading BOM
  let carry: Buffer | null = null;
  let linesBefore = 0; // LF bytes in what has been decoded
  let first = true;
  for await (const chunk of stream) {
    if (typeof chunk === 'string') {
      yield chunk;
      continue;
    }
    if (first && chunk.length > 0) {
      first = false;
      refuseUtf16(chunk);
    }
    const bytes: Buffer = carry === null ? chunk : Buffer.concat([carry, chunk]);
    const cut = bytes.lastIndexOf(LF) + 1;
    const end = cut === 0 && bytes.length > MAX_CARRY ? bytes.length : cut;
    carry = end === bytes.length ? null : bytes.subarray(end);
    if (end === 0) continue;
    const slice = bytes.subarray(0, end);
    yield* decodeSlice(decoder, slice, linesBefore, end === cut);
    linesBefore += countLf(slice);
  }
  if (carry !== null) yield* decodeSlice(decoder, carry, linesBefore, true);
}

/** The slice's text; when it holds a bad line, the text of the lines before it, then the error. */
function* decodeSlice(decoder: TextDecoder, slice: Buffer, linesBefore: number, complete: boolean): Generator<string> {
  let text: string;
  try {
    text = decoder.decode(slice, { stream: !complete });
  } catch {
    const bad = firstBadLine(slice);
    if (bad.offset > 0) yield new TextDecoder('utf-8').decode(slice.subarray(0, bad.offset));
    throw new UndecodableInput(
      linesBefore + bad.line,
      'the line is not valid UTF-8. If the file was saved as "ANSI" or "CSV" by Excel, give its encoding, e.g. --encoding windows-1252',
    );
  }
  if (text !== '') yield text;
}

/** The first line within `slice` that is not valid UTF-8 on its own: its 1-based number and byte offset. */
function firstBadLine(slice: Buffer): { line: number; offset: number } {
  const check = new TextDecoder('utf-8', { fatal: true });
  let line = 1;
  let start = 0;
  while (start < slice.length) {
    const nl = slice.indexOf(LF, start);
    const end = nl === -1 ? slice.length : nl;
    try {
      check.decode(slice.subarray(start, end));
    } catch {
      return { line, offset: start };
    }
    start = end + 1;
    line += 1;
  }
  return { line: 1, offset: 0 }; // only reachable when a character was split across an over-long line's slices
}

function countLf(bytes: Buffer): number {
  let n = 0;
  for (let i = bytes.indexOf(LF); i !== -1; i = bytes.indexOf(LF, i + 1)) n += 1;
  return n;
}

function refuseUtf16(start: Buffer): void {
  const bom = start.subarray(0, 2).toString('hex');
  if (bom === 'fffe' || bom === 'feff') {
    const encoding = bom === 'fffe' ? 'utf-16le' : 'utf-16be';
    throw new UndecodableInput(1, `the file is UTF-16 (it starts with the byte-order mark of ${encoding}); nothing was imported. Save it as UTF-8, or give --encoding ${encoding}`);
  }
}

/**
 * Reads the whole input and returns the first line that cannot be decoded, or null: the check
 * made before an import writes anything. Reads in bounded memory.
 */
export async function firstUndecodableLine(stream: AsyncIterable<string | Buffer>, encoding: string = DEFAULT_ENCODING): Promise<UndecodableInput | null> {
  try {
    for await (const text of decodeText(stream, encoding)) void text;
    return null;
  } catch (err) {
    if (err instanceof UndecodableInput) return err;
    throw err;
  }
}
