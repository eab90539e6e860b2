/** Which blocks of a document the docs test runs, and what its markers do. */
import { describe, expect, it } from 'vitest';
import { shellBlocks } from './doc-blocks.ts';

const DOC = [
  '# Title',
  '```sh',
  'npx lupa migrate',
  '```',
  '```text',
  'example.fi. IN TXT "v=spf1 -all"',
  '```',
  '<!-- not-run: needs a real SMS gateway -->',
  '',
  '```bash',
  'curl https://gateway.example',
  '```',
  '<!-- shows-error: a bad link is a 404 page -->',
  '```sh',
  "curl -s http://127.0.0.1:8080/u/x | grep -o 'Linkki'",
  '```',
  '```console',
  '$ npx lupa keys create --role admin \\',
  '    --name Ops',
  'lupa_abc',
  '$ npx lupa keys list',
  'k1 admin active Ops',
  '```',
  '```json',
  '{"a": 1}',
  '```',
].join('\n');

describe('shell blocks of a document', () => {
  const blocks = shellBlocks(DOC);

  it('takes sh, bash and console blocks with their lines, and leaves text and json out', () => {
    expect(blocks.map((b) => [b.line, b.lang])).toEqual([
      [2, 'sh'],
      [10, 'bash'],
      [14, 'sh'],
      [17, 'console'],
    ]);
  });

  it('reads a not-run marker (with its reason) and a shows-error marker before a block, across a blank line', () => {
    expect(blocks.map((b) => [b.notRun, b.showsError])).toEqual([
      [null, null],
      ['needs a real SMS gateway', null],
      [null, 'a bad link is a 404 page'],
      [null, null],
    ]);
  });

  it('runs a console block’s $ lines with their continuations, not its output', () => {
    expect(blocks[3]?.code).toBe('npx lupa keys create --role admin \\\n    --name Ops\nnpx lupa keys list');
  });
});
