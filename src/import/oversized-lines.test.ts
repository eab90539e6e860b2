/**
 * A line without a line break far over the limit (a file cut wrong, a quote never closed, a
 * hostile upload) is refused by its line number with INPUT_TOO_LARGE and read in bounded memory:
 * the rows after it are imported, and the heap grows by much less than the line. A reader that
 * held the line would grow by all of it (here 128 MiB; a gibibyte the same way, only slower to
 * run).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../composition-root.ts';
import { loadConfig } from '../config.ts';
import { freshStore, type TestStore } from '../../test/support/stores.ts';
import { collectGarbage } from '../../test/support/work-growth.ts';
import { runImport, type ImportResult } from './run-import.ts';

const MIB = 1024 * 1024;
/** Reading 128 MiB takes seconds on a busy machine: a generous limit, never a timing assertion. */
const SLOW = { timeout: 180_000 };
/** The line: 128 chunks of 1 MiB. */
const LINE_CHUNKS = 128;


describe('a line of 128 MiB without a line break', () => {
  let store: TestStore;
  let app: App;

  beforeAll(async () => {
    store = await freshStore('sqlite');
    app = await createApp(loadConfig({ LUPA_DATABASE_URL: store.url, LUPA_LOG_LEVEL: 'silent' }));
  });
  afterAll(async () => {
    await app.close();
    await store.drop();
  });

  /** Imports `before`, then `chunk` LINE_CHUNKS times, then `after`; reports the import and the most the memory it holds grew meanwhile. */
  async function importAround(format: 'ndjson' | 'csv', before: string, chunk: Buffer, after: string): Promise<{ result: ImportResult; heapGrowth: number }> {
    // After a full collection, so that what counts is what the reader keeps, not garbage waiting.
    // Large decoded text lives outside the V8 heap (external strings): both count.
    const used = (): number => {
      collectGarbage();
      const m = process.memoryUsage();
      return m.heapUsed + m.external;
    };
    const baseline = used();
    let peak = baseline;
    async function* input(): AsyncGenerator<Buffer> {
      yield Buffer.from(before);
      // The same bytes again and again: the input itself costs no memory, only what the reader keeps.
      for (let i = 0; i < LINE_CHUNKS; i++) {
        if (i % 16 === 15) peak = Math.max(peak, used());
        yield chunk;
      }
      yield Buffer.from(after);
    }
    const result = await runImport({ database: app.database, settings: app.settings, now: app.now }, { stream: input() as unknown as NodeJS.ReadableStream, format });
    return { result, heapGrowth: peak - baseline };
  }

  it('in NDJSON, is refused at its line and the rows after it are imported', SLOW, async () => {
    const row = (id: string): string => JSON.stringify({ type: 'customer', id, kind: 'person', name: 'Aino' });
    const { result, heapGrowth } = await importAround('ndjson', `${row('N1')}\n{"type":"customer","name":"`, Buffer.alloc(MIB, 'x'), `"}\n${row('N3')}\n`);
    expect(heapGrowth).toBeLessThan(64 * MIB);
    expect(result.errors).toEqual([{ line: 2, field: null, code: 'INPUT_TOO_LARGE', message: 'the line is longer than 1048576 characters (is a line break missing?)' }]);
    expect(result.imported.customer).toBe(2);
  });

  it('in CSV, as fields each under the field limit, is refused at its line and the rows after it are imported', SLOW, async () => {
    // Fields of half a mebibyte: none over the field limit, 256 of them under the limit of 1000 fields.
    const fields = Buffer.alloc(MIB, 'x');
    fields[MIB / 2 - 1] = 0x2c;
    fields[MIB - 1] = 0x2c;
    const { result, heapGrowth } = await importAround('csv', 'id,kind,name\nC1,person,Aino\nC2,', fields, 'x\nC3,person,Aino\n');
    expect(heapGrowth).toBeLessThan(64 * MIB);
    expect(result.errors.map((e) => [e.line, e.code])).toEqual([[3, 'INPUT_TOO_LARGE']]);
    expect(result.errors[0]?.message).toMatch(/record is longer than 1048576 characters/);
    expect(result.imported.customer).toBe(2);
  });
});
