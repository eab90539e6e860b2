/**
 * The CSV reader against csv-parse, in one run, on a generated 200,000-row customers CSV
 * (docs/decisions/0005): rows per second of reading alone (bytes → records, no validation, no
 * writing), from 64 KiB chunks held in memory. The import's target is 150,000 records/s overall,
 * so the reader must be several times faster than that.
 * Usage: npx tsx bench/csv-reader.ts [--rows N]
 */
import { Readable } from 'node:stream';
import { Parser } from 'csv-parse';
import { generateDemoRecords } from '../src/demo/generate-demo.ts';
import { writeCsv } from '../src/export/csv-writer.ts';
import { csvRecords } from '../src/import/csv-reader.ts';
import { CSV_COLUMNS } from '../src/import/run-import.ts';
import { decodeText } from '../src/import/text-decoding.ts';

async function customersCsv(rows: number): Promise<Buffer[]> {
  async function* customers() {
    for (const r of generateDemoRecords({ customers: rows, seed: 1 })) {
      if (r.type !== 'customer') continue;
      const a = r.address;
      yield { id: r.id, kind: r.kind, name: r.name, email: r.email ?? '', phone: r.phone ?? '', street: a?.street ?? '', postalCode: a?.postalCode ?? '', city: a?.city ?? '', country: a?.country ?? '', locale: r.locale ?? '' };
    }
  }
  const parts: Buffer[] = [];
  const sink = new (await import('node:stream')).Writable({
    write(chunk: Buffer, _enc, done) {
      parts.push(chunk);
      done();
    },
  });
  await writeCsv(sink, customers(), { excel: false });
  const all = Buffer.concat(parts);
  const chunks: Buffer[] = [];
  for (let i = 0; i < all.length; i += 65_536) chunks.push(all.subarray(i, i + 65_536));
  return chunks;
}

const readers: Record<string, (chunks: Buffer[]) => Promise<number>> = {
  /** What the import runs: UTF-8 checked by a fatal TextDecoder, then our parser. */
  'lupa (decodeText + csvRecords)': async (chunks) => {
    let n = 0;
    for await (const records of csvRecords(decodeText(Readable.from(chunks)))) n += records.length;
    return n;
  },
  'csvRecords alone': async (chunks) => {
    let n = 0;
    for await (const records of csvRecords(Readable.from(chunks))) n += records.length;
    return n;
  },
  'csv-parse (info for line numbers)': async (chunks) => {
    let n = 0;
    const parser = new Parser({ info: true, relax_column_count: true, skip_empty_lines: true, bom: true, record_delimiter: ['\r\n', '\n', '\r'] });
    Readable.from(chunks).pipe(parser);
    for await (const record of parser) n += record === null ? 0 : 1;
    return n;
  },
  'csv-parse (plain)': async (chunks) => {
    let n = 0;
    const parser = new Parser({ relax_column_count: true });
    Readable.from(chunks).pipe(parser);
    for await (const record of parser) n += record === null ? 0 : 1;
    return n;
  },
};

const rowsArg = process.argv.indexOf('--rows');
const rows = rowsArg >= 0 ? Number(process.argv[rowsArg + 1]) : 200_000;
const chunks = await customersCsv(rows);
const megabytes = chunks.reduce((n, c) => n + c.length, 0) / 1e6;
process.stdout.write(`${rows} customers, ${CSV_COLUMNS.length} columns, ${megabytes.toFixed(1)} MB\n`);
for (let round = 1; round <= 3; round++) {
  for (const [name, read] of Object.entries(readers)) {
    const started = performance.now();
    const records = await read(chunks);
    const seconds = (performance.now() - started) / 1000;
    process.stdout.write(`round ${round}  ${name.padEnd(36)} ${records} records  ${Math.round((records - 1) / seconds).toLocaleString('en')} rows/s\n`);
  }
}
