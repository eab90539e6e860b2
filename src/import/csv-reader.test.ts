import fc from 'fast-check';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { CSV_DELIMITERS, CsvParser, csvRecords, detectDelimiter, type CsvDelimiter, type CsvRecord } from './csv-reader.ts';

function parse(text: string, chunkSize = text.length || 1): CsvRecord[] {
  const p = new CsvParser();
  const out: CsvRecord[] = [];
  for (let i = 0; i < text.length; i += chunkSize) out.push(...p.push(text.slice(i, i + chunkSize)));
  out.push(...p.end());
  return out;
}

describe('CsvParser', () => {
  it('splits plain fields and records, with LF, CRLF and no final newline', () => {
    expect(parse('a,b,c\n1,2,3\r\nx,,z')).toEqual([
      { line: 1, fields: ['a', 'b', 'c'] },
      { line: 2, fields: ['1', '2', '3'] },
      { line: 3, fields: ['x', '', 'z'] },
    ]);
  });

  it('reads quoted fields with commas, doubled quotes and line breaks (RFC 4180)', () => {
    const text = 'id,name\nC1,"Virtanen, Matti"\nC2,"Anna ""Annu"" Korhonen"\nC3,"Rivi 1\r\nRivi 2"\nC4,""\n';
    expect(parse(text)).toEqual([
      { line: 1, fields: ['id', 'name'] },
      { line: 2, fields: ['C1', 'Virtanen, Matti'] },
      { line: 3, fields: ['C2', 'Anna "Annu" Korhonen'] },
      { line: 4, lastLine: 5, fields: ['C3', 'Rivi 1\r\nRivi 2'] },
      { line: 6, fields: ['C4', ''] },
    ]);
  });

  it('keeps a trailing empty field and skips blank lines', () => {
    expect(parse('a,b,\n\n\r\nc,d,e\n\n')).toEqual([
      { line: 1, fields: ['a', 'b', ''] },
      { line: 4, fields: ['c', 'd', 'e'] },
    ]);
  });

  it('keeps a quote inside an unquoted field literally', () => {
    expect(parse('Matti "Masa" Virtanen,x')).toEqual([{ line: 1, fields: ['Matti "Masa" Virtanen', 'x'] }]);
  });

  it('reports text after a closing quote and goes on with the next line', () => {
    const records = parse('"ab"c,d\nok,1\n');
    expect(records[0]).toMatchObject({ line: 1, error: expect.stringContaining('closing quote') });
    expect(records[1]).toEqual({ line: 2, fields: ['ok', '1'] });
  });

  it('reports a quoted field left open at the end of the file', () => {
    expect(parse('a,"never closed\nmore')).toEqual([expect.objectContaining({ line: 1, error: expect.stringContaining('not closed') })]);
  });

  it('refuses an over-long field instead of buffering it', () => {
    const p = new CsvParser(',', { maxFieldLength: 10 });
    const out = [...p.push('"' + 'x'.repeat(20)), ...p.push('"\nnext,1\n'), ...p.end()];
    expect(out[0]).toMatchObject({ line: 1, error: expect.stringMatching(/longer than 10/), errorCode: 'INPUT_TOO_LARGE' });
    expect(out.at(-1)).toEqual({ line: 2, fields: ['next', '1'] });
  });

  it('refuses a record whose fields, each under the field limit, together pass the record limit', () => {
    const p = new CsvParser(',', { maxFieldLength: 10, maxRecordLength: 30 });
    const out = [...p.push('ok,1\n'), ...p.push('aaaaaaaa,'.repeat(3)), ...p.push('aaaaaaaa,'.repeat(3)), ...p.push('x\nnext,2\n'), ...p.end()];
    expect(out).toEqual([
      { line: 1, fields: ['ok', '1'] },
      { line: 2, fields: [], error: 'the record is longer than 30 characters (is a line break missing?)', errorCode: 'INPUT_TOO_LARGE' },
      { line: 3, fields: ['next', '2'] },
    ]);
  });

  it('refuses by default a record of many fields longer than 1 MiB, though no field is', async () => {
    // Eight fields of 200,000 characters: 1.6 million characters on one line.
    const line = Array.from({ length: 8 }, () => 'x'.repeat(200_000)).join(',');
    const records: CsvRecord[] = [];
    for await (const batch of csvRecords(Readable.from(['id,name\n', line, '\nC1,Aino\n']))) records.push(...batch);
    expect(records.map((r) => [r.line, r.errorCode ?? null, r.fields.length])).toEqual([
      [1, null, 2],
      [2, 'INPUT_TOO_LARGE', 0],
      [3, null, 2],
    ]);
    expect(records[1]?.error).toMatch(/record is longer than 1048576 characters/);
  });

  it('marks a malformed record VALIDATION_FAILED and a record over a limit INPUT_TOO_LARGE', () => {
    expect(parse('"ab"c,d\n')[0]?.errorCode).toBe('VALIDATION_FAILED');
    expect(parse(`${','.repeat(1001)}\n`)[0]).toMatchObject({ error: 'a record has more than 1000 fields', errorCode: 'INPUT_TOO_LARGE' });
  });

  it('drops a byte-order mark', () => {
    expect(parse('\uFEFFid,name\n')).toEqual([{ line: 1, fields: ['id', 'name'] }]);
  });

  it('gives the same records however the text is cut into chunks', () => {
    const field = fc.oneof(fc.string({ unit: fc.constantFrom('a', 'ö', ' ', ',', '"', '\n', '\r') }), fc.string());
    const table = fc.array(fc.array(field, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 5 });
    fc.assert(
      fc.property(table, fc.integer({ min: 1, max: 7 }), (rows, chunk) => {
        const quote = (f: string): string => `"${f.replace(/"/g, '""')}"`;
        const text = rows.map((r) => r.map(quote).join(',')).join('\r\n');
        const whole = parse(text);
        expect(whole.map((r) => r.fields)).toEqual(rows);
        expect(parse(text, chunk)).toEqual(whole);
      }),
    );
  });

  it('streams from a byte stream, keeping multi-byte characters split across chunks', async () => {
    const bytes = Buffer.from('id,name\nC1,Äänekoski\n', 'utf8');
    const chunks = [...bytes].map((b) => Buffer.from([b])); // one byte at a time
    const out: CsvRecord[] = [];
    for await (const records of csvRecords(Readable.from(chunks))) out.push(...records);
    expect(out.map((r) => r.fields)).toEqual([
      ['id', 'name'],
      ['C1', 'Äänekoski'],
    ]);
  });
});

describe('detectDelimiter', () => {
  it('takes the separator the header uses most, outside quotes, and a comma when there is none', () => {
    expect(detectDelimiter('id;kind;name;email')).toBe(';');
    expect(detectDelimiter('id\tkind\tname')).toBe('\t');
    expect(detectDelimiter('id,kind,name')).toBe(',');
    expect(detectDelimiter('"a;b;c",kind,name')).toBe(',');
    expect(detectDelimiter('id')).toBe(',');
  });
});

/** Reads a whole text through csvRecords, cut into chunks of the given size. */
async function readAll(text: string, chunkSize: number): Promise<{ records: CsvRecord[]; delimiter: CsvDelimiter | null }> {
  const chunks: string[] = [];
  for (let i = 0; i < text.length; i += chunkSize) chunks.push(text.slice(i, i + chunkSize));
  const records: CsvRecord[] = [];
  let delimiter: CsvDelimiter | null = null;
  for await (const batch of csvRecords(Readable.from(chunks), { onDelimiter: (d) => (delimiter = d) })) records.push(...batch);
  return { records, delimiter };
}

describe('csvRecords never loses a row', () => {
  // Fields with quotes, separators of every kind, line breaks of every kind and non-ASCII letters.
  const field = fc.string({ unit: fc.constantFrom('a', 'ö', ' ', ',', ';', '\t', '"', '\n', '\r\n', '\r'), maxLength: 8 });
  const rows = fc.array(fc.tuple(field, field), { minLength: 1, maxLength: 12 });
  const quote = (f: string): string => `"${f.replace(/"/g, '""')}"`;
  const lineBreaks = (f: string): number => (f.match(/\r\n|\n|\r/g) ?? []).length;

  it('reads every row of a well-formed file, at its line, whatever the separator, line ends, BOM and chunking', async () => {
    await fc.assert(
      fc.asyncProperty(rows, fc.constantFrom(...CSV_DELIMITERS), fc.constantFrom('\n', '\r\n'), fc.boolean(), fc.integer({ min: 1, max: 9 }), async (table, sep, eol, bom, chunk) => {
        const lines = table.map(([a, b], i) => [`R${i}`, quote(a), quote(b)].join(sep));
        const text = (bom ? '\uFEFF' : '') + ['id', 'kind', 'name'].join(sep) + eol + lines.join(eol) + eol;
        const { records, delimiter } = await readAll(text, chunk);
        expect(delimiter).toBe(sep);
        let line = 2;
        const expected = table.map(([a, b], i) => {
          const breaks = lineBreaks(a) + lineBreaks(b);
          const rec = breaks === 0 ? { line, fields: [`R${i}`, a, b] } : { line, lastLine: line + breaks, fields: [`R${i}`, a, b] };
          line += 1 + breaks;
          return rec;
        });
        expect(records.slice(1)).toEqual(expected);
      }),
    );
  });

  it('reads or reports, by line, every row after a malformed one: a quote never closed, or text after a closing quote', async () => {
    await fc.assert(
      fc.asyncProperty(rows, fc.nat(), fc.constantFrom('unclosed', 'after-quote'), fc.constantFrom('\n', '\r\n'), fc.integer({ min: 1, max: 9 }), async (table, pick, fault, eol, chunk) => {
        // Rows without line breaks in their fields, so that each row is one line and its line is its index + 2.
        const flat = table.map(([a, b]) => [a.replace(/[\r\n]/g, ' '), b.replace(/[\r\n]/g, ' ')] as const);
        const bad = pick % flat.length;
        const lines = flat.map(([a, b], i) => {
          if (i !== bad) return [`R${i}`, quote(a), quote(b)].join(',');
          // An opening quote with no quote after it on the line; a quote on a later line may close it.
          return fault === 'unclosed' ? `R${i},"${(a + b).replace(/"/g, '')}` : `R${i},"${a.replace(/"/g, '""')}"x,${quote(b)}`;
        });
        const text = 'id,kind,name' + eol + lines.join(eol) + eol;
        const { records } = await readAll(text, chunk);
        // As the import does: a record with an error or with another number of fields than the header is refused with its lines.
        const refused = records.filter((r) => r.error !== undefined || r.fields.length !== 3);
        const span = (r: CsvRecord): [number, number] => [r.line, r.lastLine ?? r.line];
        const within = (list: CsvRecord[], line: number): boolean => list.some((r) => span(r)[0] <= line && line <= span(r)[1]);
        // The bad line is refused with its record, or (its quote closed by one on a later line, as in
        // `R0,"` above `R1,"",",a"`) read in one record that names both lines, for the import to judge.
        const spanning = records.filter((r) => r.lastLine !== undefined);
        expect(within(refused, bad + 2) || within(spanning, bad + 2)).toBe(true);
        flat.forEach(([a, b], i) => {
          if (i === bad) return; // checked above
          const line = i + 2;
          const own = records.find((r) => r.line === line);
          // A row is read as itself, or its line lies in a record refused with its lines, or (a quote
          // opened above and closed on it) in one record that spans it and names it with lastLine.
          if (own !== undefined && !refused.includes(own)) expect(own.fields).toEqual([`R${i}`, a, b]);
          else if (own === undefined) expect(records.some((r) => r.lastLine !== undefined && span(r)[0] < line && line <= span(r)[1])).toBe(true);
          if (i < bad) expect(own?.fields).toEqual([`R${i}`, a, b]);
        });
      }),
    );
  });
});

