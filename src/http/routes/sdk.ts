/**
 * The browser SDK (`/sdk/lupa.js`) and its demo page (`/sdk/demo`, `/sdk/demo.js`), from the build
 * (bin/build.mjs writes dist/sdk/). Without a build the routes answer 404 saying so.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { DomainError } from '../../core/errors.ts';
import { SDK_DEMO_PAGE } from '../pages/sdk-demo-page.ts';

const DEMO_CSP = "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; img-src 'self' https:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** dist/sdk of this installation, from src/http/routes (development) or dist/ (built), or null when not built. */
export function sdkBuildDir(): string | null {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    for (const candidate of [join(dir, 'sdk'), join(dir, 'dist', 'sdk')]) if (existsSync(join(candidate, 'lupa.js'))) return candidate;
    dir = dirname(dir);
  }
  return null;
}

export function sdkRoutes(server: FastifyInstance, buildDir: string | null = sdkBuildDir()): void {
  const file = (name: string): Buffer => {
    if (buildDir === null) throw new DomainError('NOT_FOUND', 'the browser SDK is not built: run npm run build');
    return readFileSync(join(buildDir, name));
  };
  const script = (name: string) => async (_req: unknown, reply: FastifyReply) =>
    // Revalidated on each use: a site's pages get a new SDK when Lupa is upgraded.
    reply.type('text/javascript; charset=utf-8').header('cache-control', 'public, max-age=300').header('access-control-allow-origin', '*').header('x-content-type-options', 'nosniff').send(file(name));
  // HEAD too (same headers, no body), which the server leaves out by default because a HEAD runs the
  // GET handler and would audit a read never sent: these handlers only send a public file, and
  // caches, link checkers and uptime monitors ask with HEAD.
  const route = { schema: { hide: true }, exposeHeadRoute: true } as const;
  server.get('/sdk/lupa.js', { ...route, logLevel: 'warn' }, script('lupa.js'));
  server.get('/sdk/demo.js', route, script('demo.js'));
  server.get('/sdk/demo', route, async (_req, reply) =>
    reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').header('content-security-policy', DEMO_CSP).header('x-content-type-options', 'nosniff').send(SDK_DEMO_PAGE),
  );
}
