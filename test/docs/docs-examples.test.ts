/**
 * Every command and request in README.md and docs/ runs as written against the demo data: each
 * document's shell blocks (test/docs/doc-blocks.ts says which, and how to mark the few that cannot
 * run) run in order against a fresh `lupa serve` with its first-start demo data, and must all exit 0.
 * New documents under docs/ are picked up by themselves.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shellBlocks } from './doc-blocks.ts';
import { firstStartDatabase, runDoc, type FirstStart } from './run-docs.ts';

const REPO = fileURLToPath(new URL('../..', import.meta.url));

function markdownUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? markdownUnder(join(dir, e.name)) : e.name.endsWith('.md') ? [join(dir, e.name)] : []));
}

const DOCS = [join(REPO, 'README.md'), ...markdownUnder(join(REPO, 'docs')).sort()].map((path) => {
  const text = readFileSync(path, 'utf8');
  return { name: relative(REPO, path), text, blocks: shellBlocks(text) };
});

describe('the documentation’s examples', () => {
  let firstStart: FirstStart | undefined;
  beforeAll(async () => {
    firstStart = await firstStartDatabase(REPO);
  }, 15 * 60_000);
  afterAll(() => firstStart?.drop());

  it('finds README.md and every document under docs/', () => {
    expect(DOCS.map((d) => d.name)).toEqual(expect.arrayContaining(['README.md', 'docs/api.md', 'docs/email.md', 'docs/import.md']));
  });

  it('gives a reason for every block it leaves out, and puts every marker before a shell block', () => {
    const problems: string[] = [];
    for (const doc of DOCS) {
      for (const b of doc.blocks) if (b.notRun === '' || b.showsError === '') problems.push(`${doc.name}:${b.line}: a marker without a reason`);
      const markers = [...doc.text.matchAll(/^\s*<!--\s*(not-run|shows-error)\b/gm)].length;
      const marked = doc.blocks.filter((b) => b.notRun !== null || b.showsError !== null).length;
      if (markers !== marked) problems.push(`${doc.name}: ${markers - marked} marker(s) not right before a sh/bash/shell/console block`);
    }
    expect(problems).toEqual([]);
  });

  for (const doc of DOCS) {
    const runnable = doc.blocks.filter((b) => b.notRun === null);
    if (runnable.length === 0) continue;
    it(`runs the examples of ${doc.name} as written`, async () => {
      if (firstStart === undefined) throw new Error('no first start');
      const run = await runDoc(REPO, firstStart, doc.name, runnable);
      const tail = (s: string): string => s.slice(-3000);
      expect(run.code, `${tail(run.stderr)}\n--- stdout:\n${tail(run.stdout)}`).toBe(0);
      expect(run.serverExit, `lupa serve did not stop cleanly:\n${tail(run.serverOutput)}`).toBe(0);
    }, 15 * 60_000);
  }
});
