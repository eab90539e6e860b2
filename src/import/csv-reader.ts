/**
 * A small streaming RFC 4180 parser: comma-separated, fields optionally in double quotes,
 * `""` for a quote inside a quoted field, quoted fields may hold commas and line breaks.
 * Records end at CRLF, LF or CR. Written here (no dependency) because the import only needs
 * this much and must run chunk by chunk with bounded memory.
 */
import { StringDecoder } from 'node:string_decoder';

export interface CsvRecord {
  /** Physical line on which the record starts (1-based). */
  line: number;
  fields: string[];
  /** Set when the record is malformed; `fields` is then incomplete. */
  error?: string;
}

const COMMA = 44;
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
const MAX_FIELDS = 1000;

export class CsvParser {
  private state = State.FieldStart;
  private field = '';
  private fields: string[] = [];
  private line = 1;
  private recordLine = 1;
  private recordHasText = false;
  private afterCr = false;
  private error: string | undefined;
  private first = true;

  constructor(private readonly maxFieldLength = DEFAULT_MAX_FIELD_LENGTH) {}

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
          } else if (c === COMMA) {
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
          if (c === COMMA) {
            this.endField(chunk.slice(start, i));
            start = i + 1;
          } else if (c === CR || c === LF) {
            this.endField(chunk.slice(start, i));
            this.endRecord(out, c);
            start = i + 1;
          }
          break;
        case State.Quoted:
          if (c === QUOTE) {
            this.field += chunk.slice(start, i);
            this.state = State.QuoteInQuoted;
          } else if (c === LF) {
            this.line += 1;
          }
          break;
        case State.QuoteInQuoted:
          if (c === QUOTE) {
            this.field += '"';
            this.state = State.Quoted;
            start = i + 1;
          } else if (c === COMMA) {
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
      if (this.field.length > this.maxFieldLength) this.fail(`a field is longer than ${this.maxFieldLength} characters`);
    }
    return out;
  }

  /** Ends the input; returns the last record if the text did not end with a line break. */
  end(): CsvRecord[] {
    const out: CsvRecord[] = [];
    if (this.state === State.Quoted) this.fail('a quoted field is not closed before the end of the file');
    else if (this.state !== State.Skip && this.recordHasText) this.endField('');
    if (this.recordHasText || this.error !== undefined) this.endRecord(out, LF);
    return out;
  }

  private endField(rest: string): void {
    this.fields.push(this.field + rest);
    this.field = '';
    this.state = State.FieldStart;
    // A line of nothing but commas must not grow without bound either.
    if (this.fields.length > MAX_FIELDS) this.fail(`a record has more than ${MAX_FIELDS} fields`);
  }

  /** The caller has already ended the last field (or the record is malformed). */
  private endRecord(out: CsvRecord[], terminator: number): void {
    // A line with nothing on it is not a record (blank lines between or after records).
    if (this.recordHasText || this.error !== undefined) {
      const rec: CsvRecord = { line: this.recordLine, fields: this.fields };
      if (this.error !== undefined) rec.error = this.error;
      out.push(rec);
    }
    this.fields = [];
    this.field = '';
    this.error = undefined;
    this.recordHasText = false;
    this.state = State.FieldStart;
    this.afterCr = terminator === CR;
    this.line += 1;
    this.recordLine = this.line;
  }

  private fail(message: string): void {
    this.error ??= message;
    this.field = '';
    this.state = State.Skip;
  }
}

export async function* csvRecords(stream: AsyncIterable<string | Buffer>, maxFieldLength?: number): AsyncGenerator<CsvRecord[]> {
  const parser = new CsvParser(maxFieldLength);
  const decoder = new StringDecoder('utf8');
  for await (const chunk of stream) {
    const records = parser.push(typeof chunk === 'string' ? chunk : decoder.write(chunk));
    if (records.length > 0) yield records;
  }
  const tail = [...parser.push(decoder.end()), ...parser.end()];
  if (tail.length > 0) yield tail;
}
