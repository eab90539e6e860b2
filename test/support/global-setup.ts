/**
 * Once per run: builds dist/ (the CLI tests start `lupa` as a user would, and it runs the built code),
 * and says when the PostgreSQL suites are skipped and how to run them.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { POSTGRES_SKIP_REASON } from './stores.ts';

export default function setup(): void {
  execFileSync(process.execPath, [fileURLToPath(new URL('../../bin/build.mjs', import.meta.url))], { stdio: 'inherit' });
  if (POSTGRES_SKIP_REASON !== null) process.stderr.write(`PostgreSQL suites ${POSTGRES_SKIP_REASON} (e.g. postgres://postgres@127.0.0.1:5432/test)\n`);
}
