import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { shellBlocks } from './doc-blocks.ts';
import { firstStartDatabase, runDoc } from './run-docs.ts';
const REPO = new URL('../..', import.meta.url).pathname;
it('runs docs', async () => {
  const fs = await firstStartDatabase(REPO);
  try {
    for (const name of (process.env.DOCS ?? '').split(',')) {
      const blocks = shellBlocks(readFileSync(REPO + name, 'utf8')).filter((b) => b.notRun === null);
      const run = await runDoc(REPO, fs, name, blocks);
      expect(run.code, `${name}\n${run.stderr.slice(-3000)}\n${run.stdout.slice(-2000)}`).toBe(0);
    }
  } finally {
    await fs.drop();
  }
}, 900_000);
