import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { nestsDeeperThan, ndjsonLines, type RawLine } from './ndjson-reader.ts';

async function lines(chunks: (string | Buffer)[], maxLineLength?: number): Promise<RawLine[]> {
  const out: RawLine[] = [];
  for await (const batch of ndjsonLines(Readable.from(chunks), maxLineLength === undefined ? {} : { maxLineLength })) out.push(...batch);
  return out;
}

describe('ndjsonLines', () => {
  it('numbers lines across chunk boundaries, with CRLF and without a final newline', async () => {
    expect(await lines(['{"a":', '1}\r\n\n{"b"', ':2}'])).toEqual([
      { line: 1, text: '{"a":1}' },
      { line: 2, text: '' },
      { line: 3, text: '{"b":2}' },
    ]);
  });

  it('keeps multi-byte characters split across byte chunks', async () => {
    const bytes = Buffer.from('{"city":"Äänekoski"}\n', 'utf8');
    const chunks = [...bytes].map((b) => Buffer.from([b]));
    expect(await lines(chunks)).toEqual([{ line: 1, text: '{"city":"Äänekoski"}' }]);
  });

  it('drops a byte-order mark on the first line only', async () => {
    expect(await lines(['\uFEFF{}\n{}'])).toEqual([
      { line: 1, text: '{}' },
      { line: 2, text: '{}' },
    ]);
  });

  it('skips an over-long line (text null) without buffering it, and goes on', async () => {
    const long = 'x'.repeat(50);
    expect(await lines(['{"ok":1}\n', long.slice(0, 25), long.slice(25), '\n{"ok":2}\n'], 20)).toEqual([
      { line: 1, text: '{"ok":1}' },
      { line: 2, text: null },
      { line: 3, text: '{"ok":2}' },
    ]);
    expect(await lines([long], 20)).toEqual([{ line: 1, text: null }]);
  });

  it('finds lines nested deeper than the limit, counting no bracket inside a string', () => {
    const pad = ' '.repeat(4096);
    expect(nestsDeeperThan(`${pad}${'['.repeat(33)}${']'.repeat(33)}`)).toBe(true);
    expect(nestsDeeperThan(`${pad}${'['.repeat(32)}${']'.repeat(32)}`)).toBe(false);
    expect(nestsDeeperThan(`${pad}{"a":"${'['.repeat(100)}\\"${'{'.repeat(100)}"}`)).toBe(false);
    expect(nestsDeeperThan(`${pad}${'[{}'.repeat(1000)}`)).toBe(true);
    // A short line is not scanned: it cannot nest deep enough to cost anything.
    expect(nestsDeeperThan('['.repeat(100))).toBe(false);
  });
});
