/**
 * A small streaming RFC 4180 parser: fields separated by a comma (or the semicolon Excel writes
 * in a Finnish locale, or a tab), optionally in double quotes, `""` for a quote inside a quoted
 * field, quoted fields may hold separators and line breaks. Records end at CRLF, LF or CR.
 * Written here rather than taken from csv-parse because csv-parse reads about 60,000 customer
 * rows/s on our machine, this one about 500,000, and the import must reach 150,000 records/s
 * (docs/decisions/0005).
 */
import { StringDecoder } from 'node:string_decoder';
import type { ErrorCode } from '../core/errors.ts';

export interface CsvRecord {
  /** Physical line on which the record starts (1-based). */
  line: number;
  fields: string[];
  /** Set when the record is malformed; `fields` is then incomplete. */
  error?: string;
  /** With `error`: INPUT_TOO_LARGE for a field, record or field count over its limit, else VALIDATION_FAILED. */
  errorCode?: Extract<ErrorCode, 'VALIDATION_FAILED' | 'INPUT_TOO_LARGE'>;
  /**
   * The last line of a record that took several (line breaks in quoted fields, or a quote left
   * open, which takes the rest of the file); absent when the record is on one line.
   */
  lastLine?: number;
}

/** The separators a CSV file may use; the header line decides which. */
export const CSV_DELIMITERS = [',', ';', '\t'] as const;
export type CsvDelimiter = (typeof CSV_DELIMITERS)[number];

const QUOTE = 34;
const LF = 10;
const CR = 13;

const enum State {
  FieldStart,
  Unquoted,
  Quoted,
  /** A quote inside a quoted field: either the closing quote or the first half of `""`. */
  QuoteInQuoted,
  /** After a malformed record: skip to the end of the physical line. */
  Skip,
}

export const DEFAULT_MAX_FIELD_LENGTH = 1 << 20;
/**
 * Characters of one record (its fields and separators): a customer row is a few hundred. Fields
 * each under their limit could otherwise add up to a thousand times it before the record ends.
 */
export const DEFAULT_MAX_RECORD_LENGTH = 1 << 20;
const MAX_FIELDS = 1000;

/** How much of a record is read before it is refused (characters). */
export interface CsvLimits {
  maxFieldLength?: number;
  maxRecordLength?: number;
}

export class CsvParser {
  private state = State.FieldStart;
  private field = '';
  private fields: string[] = [];
  private line = 1;
  private recordLine = 1;
  private recordHasText = false;
  private afterCr = false;
  /** The last character read inside a quoted field was a CR (so an LF after it ends no further line). */
  private quotedAfterCr = false;
  private error: string | undefined;
  private errorCode: CsvRecord['errorCode'];
  /** Characters of the record's fields ended so far, separators included. */
  private recordLength = 0;
  private first = true;

  private readonly delimiter: number;
  private readonly maxFieldLength: number;
  private readonly maxRecordLength: number;

  constructor(delimiter: CsvDelimiter = ',', limits: CsvLimits = {}) {
    this.delimiter = delimiter.charCodeAt(0);
    this.maxFieldLength = limits.maxFieldLength ?? DEFAULT_MAX_FIELD_LENGTH;
    this.maxRecordLength = limits.maxRecordLength ?? DEFAULT_MAX_RECORD_LENGTH;
  }

  /** Parses a piece of text; returns the records completed by it. */
  push(chunk: string): CsvRecord[] {
    const out: CsvRecord[] = [];
    let i = 0;
    if (this.first && chunk.length > 0) {
      this.first = false;
      if (chunk.charCodeAt(0) === 0xfeff) i = 1;
    }
    let start = i; // where the unconsumed part of the current field starts in this chunk
    const n = chunk.length;
    for (; i < n; i++) {
      const c = chunk.charCodeAt(i);
      if (this.afterCr) {
        this.afterCr = false;
        if (c === LF) {
          start = i + 1;
          continue; // second half of CRLF
        }
      }
      switch (this.state) {
        case State.FieldStart:
          this.recordHasText ||= c !== CR && c !== LF;
          if (c === QUOTE) {
            this.state = State.Quoted;
            start = i + 1;
          } else if (c === this.delimiter) {
            this.fields.push('');
            start = i + 1;
          } else if (c === CR || c === LF) {
            this.endField(''); // after a trailing comma; on a blank line the record is dropped anyway
            this.endRecord(out, c);
            start = i + 1;
          } else {
            this.state = State.Unquoted;
            start = i;
          }
          break;
        case State.Unquoted:
          // A quote in the middle of an unquoted field is kept literally (Matti "Masa" Virtanen).
          if (c === this.delimiter) {
            this.endField(chunk.slice(start, i));
            start = i + 1;
          } else if (c === CR || c === LF) {
            this.endField(chunk.slice(start, i));
            this.endRecord(out, c);
            start = i + 1;
          }
          break;
        case State.Quoted:
          // Line breaks inside a field count as outside one: CRLF, LF or CR each make one line.
          if (c === QUOTE) {
            this.field += chunk.slice(start, i);
            this.state = State.QuoteInQuoted;
          } else if (c === CR || (c === LF && !this.quotedAfterCr)) {
            this.line += 1;
          }
          this.quotedAfterCr = c === CR;
          break;
        case State.QuoteInQuoted:
          if (c === QUOTE) {
            this.field += '"';
            this.state = State.Quoted;
            start = i + 1;
          } else if (c === this.delimiter) {
            this.endField('');
            start = i + 1;
          } else if (c === CR || c === LF) {
            this.endField('');
            this.endRecord(out, c);
            start = i + 1;
          } else {
            this.fail('text after a closing quote; a quote inside a quoted field is written as ""');
          }
          break;
        case State.Skip:
          if (c === CR || c === LF) {
            this.endRecord(out, c);
            start = i + 1;
          }
          break;
      }
    }
    if (this.state === State.Unquoted || this.state === State.Quoted) {
      this.field += chunk.slice(start);
      // Checked once a chunk: what is held never exceeds a limit by more than one chunk.
      if (this.field.length > this.maxFieldLength) this.fail(`a field is longer than ${this.maxFieldLength} characters (is a quote left open?)`, 'INPUT_TOO_LARGE');
      else if (this.recordLength + this.field.length > this.maxRecordLength) this.tooLongRecord();
    }
    return out;
  }

  /** Ends the input; returns the last record if the text did not end with a line break. */
  end(): CsvRecord[] {
    const out: CsvRecord[] = [];
    if (this.state === State.Quoted) {
      // The file's final line break ends its last line; it starts no new one.
      if (/[\r\n]$/.test(this.field)) this.line -= 1;
      this.fail(`a quote opened in this row is not closed before the end of the file (line ${this.line}), so no row after it could be read; close the quote or double it ("")`);
    } else if (this.state !== State.Skip && this.recordHasText) this.endField('');
    if (this.recordHasText || this.error !== undefined) this.endRecord(out, LF);
    return out;
  }

  private endField(rest: string): void {
    const value = this.field + rest;
    this.fields.push(value);
    this.field = '';
    this.state = State.FieldStart;
    this.recordLength += value.length + 1;
    // A line of nothing but commas must not grow without bound either.
    if (this.fields.length > MAX_FIELDS) this.fail(`a record has more than ${MAX_FIELDS} fields`, 'INPUT_TOO_LARGE');
    else if (this.recordLength > this.maxRecordLength) this.tooLongRecord();
  }

  private tooLongRecord(): void {
    this.fail(`the record is longer than ${this.maxRecordLength} characters (is a line break missing?)`, 'INPUT_TOO_LARGE');
  }

  /** The caller has already ended the last field (or the record is malformed). */
  private endRecord(out: CsvRecord[], terminator: number): void {
    // A line with nothing on it is not a record (blank lines between or after records).
    if (this.recordHasText || this.error !== undefined) {
      const rec: CsvRecord = { line: this.recordLine, fields: this.fields };
      if (this.error !== undefined) {
        rec.error = this.error;
        rec.errorCode = this.errorCode ?? 'VALIDATION_FAILED';
      }
      if (this.line !== this.recordLine) rec.lastLine = this.line;
      out.push(rec);
    }
    this.fields = [];
    this.field = '';
    this.error = undefined;
    this.errorCode = undefined;
    this.recordLength = 0;
    this.recordHasText = false;
    this.state = State.FieldStart;
    this.afterCr = terminator === CR;
    this.line += 1;
    this.recordLine = this.line;
  }

  private fail(message: string, code: CsvRecord['errorCode'] = 'VALIDATION_FAILED'): void {
    if (this.error === undefined) {
      this.error = message;
      this.errorCode = code;
    }
    // What was read of the record is dropped: a refused record holds no memory while it is skipped.
    this.fields = [];
    this.field = '';
    this.state = State.Skip;
  }
}

/**
 * The separator a header line uses: whichever of `,` `;` tab occurs most outside quotes
 * (a comma when none does). Header names hold none of them, so the count is the columns less one.
 */
export function detectDelimiter(headerLine: string): CsvDelimiter {
  const counts = new Map<string, number>();
  let quoted = false;
  for (const c of headerLine) {
    if (c === '"') quoted = !quoted;
    else if (!quoted && (CSV_DELIMITERS as readonly string[]).includes(c)) counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  let best: CsvDelimiter = ',';
  for (const d of CSV_DELIMITERS) if ((counts.get(d) ?? 0) > (counts.get(best) ?? 0)) best = d;
  return best;
}

/** How much text is held to find the end of the header line before the separator is decided. */
const MAX_HEADER_LENGTH = 64 * 1024;

/**
 * Streams records, chunk by chunk. The separator is detected from the header line and handed to
 * `onDelimiter` before the first record.
 */
export async function* csvRecords(
  stream: AsyncIterable<string | Buffer>,
  opts: CsvLimits & { onDelimiter?: (delimiter: CsvDelimiter) => void } = {},
): AsyncGenerator<CsvRecord[]> {
  const decoder = new StringDecoder('utf8');
  let parser: CsvParser | null = null;
  let head = '';
  const start = (): CsvParser => {
    const delimiter = detectDelimiter(head.split(/\r?\n|\r/, 1)[0] ?? '');
    opts.onDelimiter?.(delimiter);
    return new CsvParser(delimiter, opts);
  };
  for await (const chunk of stream) {
    const text = typeof chunk === 'string' ? chunk : decoder.write(chunk);
    if (parser === null) {
      head += text;
      if (!/[\r\n]/.test(head) && head.length < MAX_HEADER_LENGTH) continue;
      parser = start();
      const records = parser.push(head);
      head = '';
      if (records.length > 0) yield records;
      continue;
    }
    const records = parser.push(text);
    if (records.length > 0) yield records;
  }
  parser ??= start();
  const tail = [...parser.push(head + decoder.end()), ...parser.end()];
  if (tail.length > 0) yield tail;
}
