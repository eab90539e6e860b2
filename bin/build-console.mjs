#!/usr/bin/env node
/**
 * Builds the console (web/) into web/dist/, which `lupa serve` serves at /. Run by `npm run build`
 * (and so by `npm install`/`npm ci` through `prepare`), after the server's own build:
 *   1. the API's OpenAPI document (`lupa openapi`) → web/src/api/schema.d.ts (openapi-typescript),
 *      so the console's API calls are typed from the server's routes and a changed route breaks
 *      this build, not the user;
 *   2. Vite → web/dist/ (written last: web/dist/index.html exists only when the build finished).
 * Neither output is committed.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const WEB = join(ROOT, 'web');

// The document is over a megabyte, execFileSync's default limit of output: 64 MiB leaves room.
const document = JSON.parse(execFileSync(process.execPath, [join(ROOT, 'bin', 'lupa.mjs'), 'openapi'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env: { ...process.env, LUPA_LOG_LEVEL: 'silent' } }));
const { default: openapiTS, astToString } = await import('openapi-typescript');
const types = astToString(await openapiTS(document));
writeFileSync(join(WEB, 'src', 'api', 'schema.d.ts'), `// Generated from the API's OpenAPI document by bin/build-console.mjs: do not edit.\n${types}`);

const { build } = await import('vite');
await build({ configFile: join(WEB, 'vite.config.ts'), logLevel: 'warn' });
