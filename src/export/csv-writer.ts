/**
 * The one CSV writer for every file Lupa hands out (call lists, print files, any other export):
 * files that people open in a spreadsheet, so the writer knows the spreadsheet's habits.
 *
 * - Formula neutralisation (OWASP "CSV Injection"): a cell that begins with `=`, `+`, `-`, `@`,
 *   a tab or a carriage return (or their full-width forms) gets a single quote in front and is
 *   quoted, so a spreadsheet shows the text and runs nothing. Names and streets come from web
 *   forms. Phone numbers are no exception: E.164 `+358401234567` is written `"'+358401234567"`
 *   (as a formula it would turn into the number 358401234567); programs that read the file
 *   drop one leading quote before those characters.
 * - RFC 4180 quoting, CRLF line ends, a header row from the first row's keys.
 * - Excel (`excel: true`, LUPA_CSV_EXCEL=1): a UTF-8 byte-order mark (else Excel reads UTF-8 as
 *   Windows-1252) and `;` between fields (Excel in a Finnish locale splits on `;`, the list separator
 *   where the decimal separator is a comma).
 * Built on csv-stringify (docs/decisions/0005).
 */
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify, type Options } from 'csv-stringify';

export interface CsvFormat {
  /** Byte-order mark and `;` for Excel in a Finnish (or other comma-decimal) locale. */
  excel: boolean;
}

export type CsvCell = string | number | boolean | null;

/** The cells csv-stringify's `escape_formulas` gives a leading quote: they are quoted too. */
const FORMULA_START = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;

export function csvOptions(format: CsvFormat): Options {
  return {
    header: true,
    bom: format.excel,
    delimiter: format.excel ? ';' : ',',
    record_delimiter: '\r\n',
    // With a record_delimiter given, csv-stringify would otherwise leave a field with a bare LF unquoted.
    quote_record_delimiter: true,
    escape_formulas: true,
    quoted_match: FORMULA_START,
    cast: { boolean: (value) => String(value) },
  };
}

/**
 * Writes the rows (objects with the same keys, in the same order) to `out` as CSV and ends it.
 * Waits when `out` is slower than the rows. Returns the number of rows, the header not counted.
 */
export async function writeCsv<Row extends { [K in keyof Row]: CsvCell }>(out: Writable, rows: AsyncIterable<Row>, format: CsvFormat): Promise<number> {
  let count = 0;
  async function* counted(): AsyncGenerator<Row> {
    for await (const row of rows) {
      count += 1;
      yield row;
    }
  }
  await pipeline(Readable.from(counted()), stringify(csvOptions(format)), out);
  return count;
}
