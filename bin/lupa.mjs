#!/usr/bin/env node
// The `lupa` command: runs the JavaScript built from src/ into dist/ (bin/build.mjs). When dist/ is
// missing or older than src/ (a fresh checkout, an edited source file), it is rebuilt first, so a
// developer never runs stale code; without the build tools that is an error naming the fix.
// `lupa serve` likewise builds the console (web/dist, bin/build-console.mjs) when it was never
// built, so the first start serves the sign-in page and not a page without a console.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { build, distState, ROOT } from './build.mjs';

const state = distState();
if (state !== null) {
  process.stderr.write(`lupa: dist/ is ${state === 'missing' ? 'missing' : 'older than src/'}; building it (npm run build)\n`);
  try {
    await build();
  } catch (err) {
    process.stderr.write(`lupa: cannot build dist/ (${err instanceof Error ? err.message : String(err)}); run npm install, then npm run build\n`);
    process.exit(1);
  }
}
if (process.argv[2] === 'serve' && !existsSync(join(ROOT, 'web', 'dist', 'index.html'))) {
  process.stderr.write('lupa: the console (web/dist/) is not built; building it (npm run build)\n');
  try {
    execFileSync(process.execPath, [join(ROOT, 'bin', 'build-console.mjs')], { stdio: ['ignore', 'ignore', 'inherit'] });
  } catch {
    process.stderr.write('lupa: cannot build the console; the API runs without it (run npm install, then npm run build)\n');
  }
}
await import('../dist/lupa.js');
