/**
 * The import use case: stream NDJSON (every record type) or CSV (customers) into the store in
 * batches. Valid rows land, invalid rows are reported with line, field and code and write nothing.
 * Re-running the same file changes nothing. Prints nothing: the caller decides what to show.
 */
import { requireStorable } from '../core/storable-values.ts';
import { DomainError, isDomainError } from '../core/errors.ts';
import type { Instant } from '../core/records.ts';
import type { DecisionSettings } from '../core/settings.ts';
import { emptyCounts, type BulkWriter } from '../storage/bulk/bulk-writer.ts';
import { PostgresBulkWriter } from '../storage/bulk/postgres-bulk-writer.ts';
import { SqliteBulkWriter } from '../storage/bulk/sqlite-bulk-writer.ts';
import type { Database } from '../storage/database.ts';
import { csvRecords, type CsvDelimiter, type CsvRecord } from './csv-reader.ts';
import { ErrorList, ImportBatch, type ImportRowError } from './import-batch.ts';
import { DEFAULT_MAX_LINE_LENGTH, MAX_JSON_DEPTH, ndjsonLines, nestsDeeperThan } from './ndjson-reader.ts';
import { parseCustomer, parseRecord, type ParsedRecord, type RecordContext, type RecordType } from './record-schemas.ts';
import { decodeText, DEFAULT_ENCODING, firstUndecodableLine, UndecodableInput } from './text-decoding.ts';

export type { ImportRowError } from './import-batch.ts';

export interface ImportResult {
  /** Records read (blank lines are not records). */
  rows: number;
  /** Per record type: rows that were new or changed something. */
  imported: Record<RecordType, number>;
  /** Per record type: valid rows that were already stored exactly so (e.g. on a re-import). */
  unchanged: Record<RecordType, number>;
  /** The first MAX_REPORTED_ERRORS errors, in line order. */
  errors: ImportRowError[];
  /** All errors, including those beyond the reported ones. */
  errorCount: number;
  /** What the import assumed about the file, for the user to check (e.g. the CSV separator it detected). */
  notices: string[];
}

export interface ImportDeps {
  database: Database;
  settings: DecisionSettings;
  now: () => Instant;
}

export interface ImportInput {
  stream: NodeJS.ReadableStream;
  format: 'ndjson' | 'csv';
  /** Records per batch: each is written all or nothing, while the next one is read. */
  batchSize?: number;
  /** The bytes' encoding (default UTF-8; e.g. windows-1252, iso-8859-15): see text-decoding.ts. */
  encoding?: string;
  /**
   * Opens the same input again from its start. When given, the whole input is checked to be text
   * in `encoding` before anything is written, so a file in the wrong encoding writes nothing.
   * Without it (standard input) the import stops at the first line that is not, keeping the rows before.
   */
  reread?: () => NodeJS.ReadableStream;
}

export const DEFAULT_BATCH_SIZE = 10_000;
export const MAX_REPORTED_ERRORS = 1_000;

/** The CSV columns, as in the NDJSON customer record; `id`, `kind` and `name` are required. */
export const CSV_COLUMNS = ['id', 'kind', 'name', 'email', 'phone', 'street', 'postalCode', 'city', 'country', 'locale'] as const;
type CsvColumn = (typeof CSV_COLUMNS)[number];
const REQUIRED_CSV_COLUMNS: readonly CsvColumn[] = ['id', 'kind', 'name'];
const ADDRESS_COLUMNS = ['street', 'postalCode', 'city', 'country'] as const;

export async function runImport(deps: ImportDeps, input: ImportInput): Promise<ImportResult> {
  const encoding = input.encoding ?? DEFAULT_ENCODING;
  if (input.reread !== undefined) {
    const bad = await firstUndecodableLine(input.reread() as AsyncIterable<Buffer>, encoding);
    if (bad !== null) {
      const error: ImportRowError = { line: bad.line, field: null, code: 'VALIDATION_FAILED', message: `nothing was imported: ${bad.message}` };
      return { rows: 0, imported: emptyCounts(), unchanged: emptyCounts(), errors: [error], errorCount: 1, notices: [] };
    }
  }
  const writer: BulkWriter =
    deps.database.dialect === 'sqlite' ? new SqliteBulkWriter(deps.database.sqlite) : await PostgresBulkWriter.open(deps.database);
  const errors = new ErrorList(MAX_REPORTED_ERRORS);
  const batch = new ImportBatch(writer, deps.now, errors, Math.max(1, input.batchSize ?? DEFAULT_BATCH_SIZE));
  const ctx: RecordContext = { phoneRobinsonYears: deps.settings.phoneRobinsonYears, now: deps.now() };
  const notices: string[] = [];
  let stopped: UndecodableInput | null = null;
  const text = stopAtUndecodable(decodeText(input.stream as AsyncIterable<string | Buffer>, encoding), (err) => (stopped = err));
  let rows: number;
  try {
    rows = input.format === 'csv' ? await importCsv(text, batch, errors, notices) : await importNdjson(text, batch, ctx);
    await batch.finish();
  } finally {
    await batch.settle();
    await writer.close();
  }
  if (stopped !== null) {
    const { line, message } = stopped as UndecodableInput;
    errors.add({ line, field: null, code: 'VALIDATION_FAILED', message: `the import stopped at this line, after the rows before it: ${message}` });
  }
  return { rows, imported: { ...batch.imported }, unchanged: { ...batch.unchanged }, errors: errors.items, errorCount: errors.count, notices };
}

/** Ends the text where it cannot be decoded any further, handing the reason to `stop`. */
async function* stopAtUndecodable(text: AsyncIterable<string>, stop: (err: UndecodableInput) => void): AsyncGenerator<string> {
  try {
    yield* text;
  } catch (err) {
    if (!(err instanceof UndecodableInput)) throw err;
    stop(err);
  }
}

const DELIMITER_NOTICES: Record<CsvDelimiter, string | null> = {
  ',': null,
  ';': "the header holds ';': the file looks semicolon-separated (as Excel saves CSV in a Finnish locale), so its fields were read as separated by ';'",
  '\t': 'the header holds tabs: the file looks tab-separated, so its fields were read as separated by tabs',
};

/**
 * Adds a valid record (null: the row was rejected), flushing first when it repeats a key of the
 * batch and after when the batch is full. Returns a promise only then, so most rows cost no await.
 */
function offer(batch: ImportBatch, line: number, rec: ParsedRecord | null): Promise<void> | undefined {
  if (rec !== null && batch.clashes(rec)) return batch.flush().then(() => offer(batch, line, rec));
  if (rec !== null) batch.add(line, rec);
  return batch.full ? batch.flush() : undefined;
}

/** Validates one record; on failure records the error against the line and returns null. */
function validate(batch: ImportBatch, line: number, parse: () => ParsedRecord, fieldName: (f: string) => string = (f) => f, lastLine?: number): ParsedRecord | null {
  try {
    return parse();
  } catch (err) {
    if (!isDomainError(err)) throw err;
    batch.reject(line, err.code, err.field === undefined ? null : fieldName(err.field), err.message, lastLine);
    return null;
  }
}

/**
 * One NDJSON line as the import reads it (`text` null: the line was longer than the limit and
 * was not kept). Work linear in the line: a line nested deeper than MAX_JSON_DEPTH is refused by
 * one scan before JSON.parse builds it.
 * @throws DomainError INPUT_TOO_LARGE for a line over the length or nesting limit,
 *   VALIDATION_FAILED for text that is not JSON, or the record's own validation error.
 */
export function parseNdjsonLine(text: string | null, ctx: RecordContext): ParsedRecord {
  if (text === null) throw new DomainError('INPUT_TOO_LARGE', `the line is longer than ${DEFAULT_MAX_LINE_LENGTH} characters (is a line break missing?)`);
  if (nestsDeeperThan(text)) throw new DomainError('INPUT_TOO_LARGE', `the line nests arrays or objects deeper than ${MAX_JSON_DEPTH} levels; a record has at most 2`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // JSON.parse's message quotes the text around the error, which may be personal data.
    throw new DomainError('VALIDATION_FAILED', 'the line is not valid JSON');
  }
  return parseRecord(value, ctx);
}

async function importNdjson(stream: AsyncIterable<string>, batch: ImportBatch, ctx: RecordContext): Promise<number> {
  let rows = 0;
  for await (const lines of ndjsonLines(stream)) {
    for (const { line, text } of lines) {
      if (text !== null && text.trim() === '') continue;
      rows += 1;
      const rec = validate(batch, line, () => parseNdjsonLine(text, ctx));
      const flushing = offer(batch, line, rec);
      if (flushing !== undefined) await flushing;
    }
  }
  return rows;
}

async function importCsv(stream: AsyncIterable<string>, batch: ImportBatch, errors: ErrorList, notices: string[]): Promise<number> {
  let columns: CsvColumn[] | null = null;
  let rows = 0;
  const onDelimiter = (d: CsvDelimiter): void => {
    const notice = DELIMITER_NOTICES[d];
    if (notice !== null) notices.push(notice);
  };
  for await (const records of csvRecords(stream, { onDelimiter })) {
    for (const record of records) {
      if (columns === null) {
        columns = csvHeader(record, errors);
        // Without a usable header no row can be read reliably: stop rather than guess.
        if (columns === null) return 0;
        continue;
      }
      rows += 1;
      let rec: ParsedRecord | null = null;
      if (record.error !== undefined) {
        batch.reject(record.line, record.errorCode ?? 'VALIDATION_FAILED', null, record.error, record.lastLine);
      } else if (record.fields.length !== columns.length) {
        batch.reject(record.line, 'VALIDATION_FAILED', null, `the row has ${record.fields.length} fields, the header ${columns.length}`, record.lastLine);
      } else {
        const object = csvCustomer(columns, record.fields);
        // Address errors name the CSV column (postalCode), not the NDJSON path (address.postalCode).
        rec = validate(
          batch,
          record.line,
          () => {
            requireStorable(object);
            return { type: 'customer', customer: parseCustomer(object) };
          },
          (f) => f.replace(/^address\./, ''),
          record.lastLine,
        );
      }
      const flushing = offer(batch, record.line, rec);
      if (flushing !== undefined) await flushing;
    }
  }
  if (columns === null) errors.add({ line: 1, field: null, code: 'VALIDATION_FAILED', message: 'the CSV file has no header row' });
  return rows;
}

function csvHeader(record: CsvRecord, errors: ErrorList): CsvColumn[] | null {
  const fail = (field: string | null, message: string, code: ImportRowError['code'] = 'VALIDATION_FAILED'): null => {
    errors.add({ line: record.line, field, code, message });
    return null;
  };
  if (record.error !== undefined) return fail(null, record.error, record.errorCode);
  const byLowerName = new Map<string, CsvColumn>(CSV_COLUMNS.map((c) => [c.toLowerCase(), c]));
  const columns: CsvColumn[] = [];
  for (const raw of record.fields) {
    const name = raw.trim();
    const column = byLowerName.get(name.toLowerCase());
    if (column === undefined) return fail(name, `unknown column ${name}; the columns are ${CSV_COLUMNS.join(', ')}`);
    if (columns.includes(column)) return fail(name, `column ${name} appears twice`);
    columns.push(column);
  }
  const missing = REQUIRED_CSV_COLUMNS.find((c) => !columns.includes(c));
  return missing === undefined ? columns : fail(missing, `the header lacks the required column ${missing}`);
}

/** The CSV row as the NDJSON customer object, so both formats share one validation. */
function csvCustomer(columns: readonly CsvColumn[], fields: readonly string[]): Record<string, unknown> {
  const object: Record<string, unknown> = {};
  const address: Record<string, string> = {};
  columns.forEach((column, i) => {
    const value = fields[i] ?? '';
    if (value === '') return;
    if ((ADDRESS_COLUMNS as readonly string[]).includes(column)) address[column] = value;
    else object[column] = value;
  });
  if (Object.keys(address).length > 0) object.address = address;
  return object;
}
