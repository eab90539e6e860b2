/**
 * The icon browsers show in a tab: a small SVG (a magnifying glass, "lupa" in Finnish) at
 * /favicon.svg, which the console's page links; /favicon.ico, which browsers ask for on every other
 * page by themselves, answers 204 No Content, so that no browser logs a failed request for it.
 */
import type { FastifyInstance } from 'fastify';

export const FAVICON_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">' +
  '<circle cx="13" cy="13" r="9" fill="#e8eaf6" stroke="#283593" stroke-width="4"/>' +
  '<path d="M20 20l8 8" stroke="#283593" stroke-width="5" stroke-linecap="round"/></svg>';

/** A day: the icon rarely changes, and an old one does no harm. */
const CACHE = 'public, max-age=86400';

export function faviconRoutes(server: FastifyInstance): void {
  server.get('/favicon.svg', { schema: { hide: true } }, async (_req, reply) =>
    reply.type('image/svg+xml').header('cache-control', CACHE).header('x-content-type-options', 'nosniff').send(FAVICON_SVG),
  );
  server.get('/favicon.ico', { schema: { hide: true } }, async (_req, reply) => reply.code(204).header('cache-control', CACHE).send());
}
