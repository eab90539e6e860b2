import fc from 'fast-check';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { CsvParser, csvRecords, type CsvRecord } from './csv-reader.ts';

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
      { line: 4, fields: ['C3', 'Rivi 1\r\nRivi 2'] },
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
    const p = new CsvParser(',', 10);
    const out = [...p.push('"' + 'x'.repeat(20)), ...p.push('"\nnext,1\n'), ...p.end()];
    expect(out[0]?.error).toMatch(/longer than 10/);
    expect(out.at(-1)).toEqual({ line: 2, fields: ['next', '1'] });
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
