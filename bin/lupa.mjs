#!/usr/bin/env node
// The `lupa` command: runs the JavaScript built from src/ into dist/ (bin/build.mjs). When dist/ is
// missing or older than src/ (a fresh checkout, an edited source file), it is rebuilt first, so a
// developer never runs stale code; without the build tools that is an error naming the fix.
import { build, distState } from './build.mjs';

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
await import('../dist/lupa.js');
