/** Files as spreadsheets and Windows tools save them: separators, byte-order marks and encodings. */
import { createReadStream, readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { expect, it } from 'vitest';
import { describeEachStore } from '../../test/support/stores.ts';
import { runImport, type ImportInput, type ImportResult } from './run-import.ts';

const fixture = (name: string): string => fileURLToPath(new URL(`../../test/fixtures/field/${name}`, import.meta.url));
const HEADER = 'id,kind,name,email,phone,street,postalCode,city,country,locale';

describeEachStore('runImport of files from spreadsheets', (ctx) => {
  const run = (input: Pick<ImportInput, 'stream' | 'format'> & Partial<ImportInput>): Promise<ImportResult> => {
    const { database, settings, now } = ctx.app;
    return runImport({ database, settings, now }, input);
  };
  /** Bytes as a file would give them, readable twice (the encoding is checked before writing). */
  const bytes = (data: Buffer, format: 'csv' | 'ndjson' = 'csv', encoding?: string): Promise<ImportResult> =>
    run({ stream: Readable.from([data]), reread: () => Readable.from([data]), format, ...(encoding === undefined ? {} : { encoding }) });
  const customer = (id: string) => ctx.app.database.db.selectFrom('customers').select(['name', 'street', 'city', 'email']).where('id', '=', id).executeTakeFirst();
  const customerCount = async (): Promise<number> =>
    Number((await ctx.app.database.db.selectFrom('customers').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  it('imports a semicolon-separated CSV with a byte-order mark, as Finnish Excel saves it, saying it read ; as the separator', async () => {
    const file = fixture('csv-excel-fi-semicolon-bom.csv');
    const result = await run({ stream: createReadStream(file), reread: () => createReadStream(file), format: 'csv' });
    expect([result.errors, result.imported.customer]).toEqual([[], 2]);
    expect(result.notices).toEqual([expect.stringContaining("semicolon-separated")]);
    expect(await customer('C2001')).toEqual({ name: 'Äijälä Päivi', street: 'Hämeenkatu 5 B 12', city: 'Tampere', email: 'paivi.aijala@example.fi' });
    expect(await customer('C2002')).toMatchObject({ name: 'Öhman Åsa', street: 'Åbovägen 3', city: 'Åbo' });
  });

  it('keeps quoted semicolons inside fields of a semicolon-separated file', async () => {
    const csv = 'id;kind;name;street;postalCode\r\nSQ1;business;"Oy Esimerkki; Turku";"Kauppakatu 3; B-porras";20100\r\n';
    const result = await bytes(Buffer.from(csv));
    expect(result.errors).toEqual([]);
    expect(await customer('SQ1')).toMatchObject({ name: 'Oy Esimerkki; Turku', street: 'Kauppakatu 3; B-porras' });
  });

  it('reads a tab-separated file, with commas inside its fields', async () => {
    const result = await bytes(Buffer.from('id\tkind\tname\r\nTB1\tperson\tVirtanen, Matti\r\n'));
    expect([result.errors, result.notices]).toEqual([[], [expect.stringContaining('tab-separated')]]);
    expect(await customer('TB1')).toMatchObject({ name: 'Virtanen, Matti' });
  });

  it('refuses a Windows-1252 ("ANSI") file without --encoding, naming the first line that is not UTF-8, and writes nothing', async () => {
    const before = await customerCount();
    const result = await bytes(readFileSync(fixture('csv-windows1252-ansi-umlauts.csv')));
    expect(result).toMatchObject({ rows: 0, errorCount: 1, errors: [{ line: 2, field: null, code: 'VALIDATION_FAILED', message: expect.stringMatching(/not valid UTF-8.*--encoding windows-1252/) }] });
    expect(await customerCount()).toBe(before);
    expect(await customer('C2101')).toBeUndefined();
  });

  it('refuses a line that is not UTF-8 far into a file, and writes none of the rows before it', async () => {
    const good = Array.from({ length: 50 }, (_, i) => `LATE${i},person,Asiakas ${i}`).join('\n');
    const data = Buffer.concat([Buffer.from(`${HEADER.split(',').slice(0, 3).join(',')}\n${good}\n`), Buffer.from('LATE99,person,K\xe4rkk\xe4inen\n', 'latin1')]);
    const result = await run({ stream: Readable.from([data]), reread: () => Readable.from([data]), format: 'csv', batchSize: 10 });
    expect(result.errors).toEqual([expect.objectContaining({ line: 52, code: 'VALIDATION_FAILED' })]);
    expect(await customer('LATE0')).toBeUndefined();
  });

  it('imports a Windows-1252 file given --encoding windows-1252, with ä, ö and å intact', async () => {
    const result = await bytes(readFileSync(fixture('csv-windows1252-ansi-umlauts.csv')), 'csv', 'windows-1252');
    expect([result.errors, result.imported.customer]).toEqual([[], 2]);
    expect(await customer('C2101')).toMatchObject({ name: 'Äijälä Päivi', street: 'Hämeenkatu 5 B 12' });
    expect(await customer('C2102')).toMatchObject({ name: 'Öhman Åsa', street: 'Åbovägen 3', city: 'Åbo' });
  });

  it('imports ISO-8859-1 and ISO-8859-15 files given their encoding (Š and Ž exist only in -15)', async () => {
    const latin1 = iconv.encode(`id,kind,name\nL1,person,Åsa Öhman\n`, 'iso-8859-1');
    expect((await bytes(latin1, 'csv', 'iso-8859-1')).errors).toEqual([]);
    expect(await customer('L1')).toMatchObject({ name: 'Åsa Öhman' });
    const latin9 = iconv.encode(`id,kind,name\nL9,person,Šárka Žák\n`, 'iso-8859-15');
    expect((await bytes(latin9, 'csv', 'iso-8859-15')).errors).toEqual([]);
    expect(await customer('L9')).toMatchObject({ name: 'Šárka Žák' });
  });

  it('refuses a UTF-16 file clearly, naming its byte-order mark, and imports it given --encoding utf-16le', async () => {
    const utf16 = iconv.encode(`id,kind,name\nU1,person,Äijälä Päivi\n`, 'utf-16le', { addBOM: true });
    const refused = await bytes(utf16);
    expect(refused.errors).toEqual([expect.objectContaining({ line: 1, message: expect.stringMatching(/UTF-16.*--encoding utf-16le/) })]);
    expect(await customer('U1')).toBeUndefined();
    expect((await bytes(utf16, 'csv', 'utf-16le')).errors).toEqual([]);
    expect(await customer('U1')).toMatchObject({ name: 'Äijälä Päivi' });
  });

  it('refuses NDJSON that is not UTF-8 the same way, naming the line', async () => {
    const data = Buffer.concat([
      Buffer.from('{"type":"customer","id":"N1","kind":"person","name":"Aino"}\n'),
      Buffer.from('{"type":"customer","id":"N2","kind":"person","name":"\xc4ij\xe4l\xe4"}\n', 'latin1'),
    ]);
    const result = await bytes(data, 'ndjson');
    expect(result.errors).toEqual([expect.objectContaining({ line: 2, message: expect.stringContaining('not valid UTF-8') })]);
    expect(await customer('N1')).toBeUndefined();
  });

  it('without a way to read the input twice (standard input), stops at the bad line and keeps the rows before it', async () => {
    const data = Buffer.concat([Buffer.from('id,kind,name\nS1,person,Aino\n'), Buffer.from('S2,person,\xc4ij\xe4l\xe4\nS3,person,Eero\n', 'latin1')]);
    const result = await run({ stream: Readable.from([data]), format: 'csv' });
    expect(result.errors).toEqual([expect.objectContaining({ line: 3, message: expect.stringContaining('stopped at this line') })]);
    expect(await customer('S1')).toMatchObject({ name: 'Aino' });
    expect(await customer('S3')).toBeUndefined();
  });

  it('refuses a row whose quote is never closed with the line where it opened and the lines it swallowed, keeping the rows before', async () => {
    const result = await bytes(Buffer.from('id,kind,name\nQ1,person,Aino\nQ2,person,"Eero\nQ3,person,Liisa\nQ4,person,Ville\n'));
    expect(result.errors).toEqual([expect.objectContaining({ line: 3, lastLine: 5, message: expect.stringContaining('not closed before the end of the file (line 5)') })]);
    expect(await customer('Q1')).toMatchObject({ name: 'Aino' });
  });

  it('imports every row of generated files (quotes, line breaks, separators inside fields, CRLF, BOM), or reports it by line', async () => {
    let file = 0;
    const name = fc.string({ unit: fc.constantFrom('a', 'Ä', ' ', ',', ';', '\t', '"', '\n', '\r\n'), minLength: 1, maxLength: 10 }).filter((n) => n.trim() === n && n !== '');
    await fc.assert(
      fc.asyncProperty(fc.array(name, { minLength: 1, maxLength: 8 }), fc.constantFrom(',', ';', '\t'), fc.constantFrom('\n', '\r\n'), fc.boolean(), async (names, sep, eol, bom) => {
        file += 1;
        const ids = names.map((_, i) => `P${file}x${i}`);
        const rows = names.map((n, i) => [ids[i], 'person', `"${n.replace(/"/g, '""')}"`].join(sep));
        const text = (bom ? '\uFEFF' : '') + ['id', 'kind', 'name'].join(sep) + eol + rows.join(eol) + eol;
        const result = await bytes(Buffer.from(text));
        for (const [i, id] of ids.entries()) {
          const stored = await customer(id);
          expect(stored?.name).toBe(names[i]);
        }
        expect(result.rows).toBe(names.length);
        expect([result.imported.customer, result.errors]).toEqual([names.length, []]);
      }),
      { numRuns: 15 },
    );
  });
});
