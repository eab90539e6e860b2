#!/usr/bin/env node
/**
 * `npm run build` (also run by `npm install` and `npm ci`, through `prepare`): bundles src/ into
 * dist/ with esbuild, so that `lupa` starts as plain JavaScript instead of compiling TypeScript at
 * every start. Packages stay in node_modules (`packages: 'external'`; better-sqlite3 is native);
 * each command's heavier code is a chunk loaded only when that command runs. The SQL migrations
 * are copied beside the code, where src/storage/migrate.ts looks for them.
 *
 * Layout: dist/lupa.js (the command, from src/cli/run.ts), dist/sdk/ (the browser SDK lupa.js and its demo's script), dist/sqlite-bulk-writer-thread.js (the
 * import's writer thread), dist/bounce-parse-thread.js (inbound reports parsed off the event loop), dist/sqlite-site-event-writer-thread.js (site events written off the event loop), dist/upkeep-jobs-thread.js (the server's periodic upkeep), dist/chunk-*.js (shared code), dist/migrations/, and dist/build.json,
 * written last: dist is complete, and as new as that file says, only when it is there.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const DIST = join(ROOT, 'dist');
const STAMP = join(DIST, 'build.json');
const ENTRIES = ['lupa', 'sqlite-bulk-writer-thread', 'bounce-parse-thread', 'sqlite-site-event-writer-thread', 'upkeep-jobs-thread'];
const ENTRY_SOURCES = ['src/cli/run.ts', 'src/storage/bulk/sqlite-bulk-writer-thread.ts', 'src/bounces/bounce-parse-thread.ts', 'src/storage/site-events/sqlite-site-event-writer-thread.ts', 'src/jobs/upkeep-jobs-thread.ts'];
/** What the build reads: a file here newer than the stamp makes dist/ stale. */
const INPUTS = [join(ROOT, 'src'), fileURLToPath(import.meta.url)];

/** The newest modification time (ms) of a file or of any file under a directory. */
function newestChange(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs; // a deleted or renamed file changes its directory
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestChange(join(path, entry)));
  return newest;
}

/** Why dist/ cannot be run as it is ('missing' or 'stale'), or null when it is up to date with src/. */
export function distState() {
  if (!existsSync(STAMP)) return 'missing';
  const built = statSync(STAMP).mtimeMs;
  return INPUTS.some((input) => newestChange(input) > built) ? 'stale' : null;
}

/**
 * The browser SDK's phone plans (src/sdk/phone-plans.ts) as their value: the module is evaluated
 * here, from libphonenumber's metadata, and lupa.js gets only the small table it yields, not the
 * metadata (the SDK stays dependency-free and small, and reads numbers as the server's
 * libphonenumber of this installation does).
 */
async function phonePlansPlugin(esbuild) {
  const module = await esbuild.build({ absWorkingDir: ROOT, entryPoints: ['src/sdk/phone-plans.ts'], bundle: true, format: 'esm', platform: 'node', write: false, logLevel: 'warning' });
  const { PHONE_PLANS } = await import(`data:text/javascript;base64,${Buffer.from(module.outputFiles[0].contents).toString('base64')}`);
  return {
    name: 'phone-plans',
    setup(build) {
      build.onLoad({ filter: /[\\/]src[\\/]sdk[\\/]phone-plans\.ts$/ }, () => ({ contents: `export const PHONE_PLANS = ${JSON.stringify(PHONE_PLANS)};`, loader: 'js' }));
    },
  };
}

/**
 * Builds dist/. Files are written into a temporary directory and renamed into dist/ one by one,
 * chunks before entries, so a `lupa` starting (or rebuilding) at the same time never sees half a
 * build. `clean` also removes what earlier builds left that this one did not write; without it the
 * old chunks stay, for a process that is still running the previous build.
 */
export async function build({ clean = false } = {}) {
  const esbuild = await import('esbuild');
  const tmp = mkdtempSync(join(ROOT, '.dist-'));
  try {
    await esbuild.build({
      absWorkingDir: ROOT,
      entryPoints: Object.fromEntries(ENTRIES.map((entry, i) => [entry, ENTRY_SOURCES[i]])),
      outdir: tmp,
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'node',
      target: 'node20.19',
      packages: 'external',
      sourcemap: 'linked',
      logLevel: 'warning',
    });
    // The browser SDK and its demo page's script: for browsers, one self-contained minified file each.
    await esbuild.build({
      absWorkingDir: ROOT,
      entryPoints: { lupa: 'src/sdk/lupa.ts', demo: 'src/sdk/demo.ts' },
      plugins: [await phonePlansPlugin(esbuild)],
      outdir: join(tmp, 'sdk'),
      bundle: true,
      format: 'iife',
      platform: 'browser',
      target: ['es2020', 'chrome90', 'firefox90', 'safari14'],
      minify: true,
      legalComments: 'none',
      logLevel: 'warning',
    });
    cpSync(join(ROOT, 'src', 'storage', 'migrations'), join(tmp, 'migrations'), { recursive: true });
    mkdirSync(DIST, { recursive: true });
    const written = readdirSync(tmp);
    const entriesLast = (name) => (ENTRIES.some((entry) => name.startsWith(`${entry}.js`)) ? 1 : 0);
    for (const name of [...written].sort((a, b) => entriesLast(a) - entriesLast(b))) {
      if (name === 'migrations' || name === 'sdk') cpSync(join(tmp, name), join(DIST, name), { recursive: true });
      else renameSync(join(tmp, name), join(DIST, name));
    }
    if (clean) for (const name of readdirSync(DIST)) if (!written.includes(name) && name !== 'build.json') rmSync(join(DIST, name), { recursive: true, force: true });
    writeFileSync(STAMP, `${JSON.stringify({ builtAt: new Date().toISOString() })}\n`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await build({ clean: true });
}
