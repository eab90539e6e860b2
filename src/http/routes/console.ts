/**
 * The console (web/, built into web/dist/ by bin/build-console.mjs), served at / beside the API:
 * its screens' paths answer with the single page, its assets come from /assets/. Without a build
 * (a checkout that has not run `npm run build`), `GET /` stays the page that says what this server is.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { CONSOLE_PATHS } from '../../core/console-paths.ts';

/** The console's screens: every path the single page routes itself (web/src/main.tsx). */
export { CONSOLE_PATHS };

/**
 * The console's own rules for the browser: scripts only from Lupa itself, no framing; styles may be
 * inline (the component library sets style attributes).
 */
const CONSOLE_CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/** web/dist of this installation, from src/http/routes (development) or dist/ (built), or null when not built. */
export function consoleBuildDir(): string | null {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const candidate = join(dir, 'web', 'dist');
    if (existsSync(join(candidate, 'index.html'))) return candidate;
    dir = dirname(dir);
  }
  return null;
}

/** Serves the built console; false (nothing registered) when there is no build. */
export async function consoleRoutes(server: FastifyInstance, buildDir: string | null = consoleBuildDir()): Promise<boolean> {
  if (buildDir === null) return false;
  const indexFile = join(buildDir, 'index.html');
  // Hashed file names: an asset never changes under its name, so browsers may keep it for a year.
  await server.register(fastifyStatic, { root: join(buildDir, 'assets'), prefix: '/assets/', immutable: true, maxAge: '365d', index: false, wildcard: true, decorateReply: false });
  // Read at each request (a few hundred bytes): a rebuild while the server runs is served at once.
  for (const path of CONSOLE_PATHS) {
    server.get(path, { schema: { hide: true } }, async (_req, reply) =>
      reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').header('content-security-policy', CONSOLE_CSP).header('x-content-type-options', 'nosniff').send(readFileSync(indexFile)),
    );
  }
  return true;
}
