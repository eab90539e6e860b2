/**
 * The open pixel and the click redirect: the hottest paths, so they do as little as possible: check
 * the signed token, hand the hit to the buffered store, answer. A bad token gets 404, never a redirect.
 */
import type { App } from '../../composition-root.ts';
import { DomainError } from '../../core/errors.ts';
import { recordClick, recordOpen, type TrackingDeps } from '../../use-cases/tracking.ts';
import type { ZodServer } from '../zod-provider.ts';

/** A 1×1 transparent GIF. */
export const PIXEL = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');

export function trackingRoutes(server: ZodServer, app: App): void {
  const deps: TrackingDeps = { signer: app.signer, tracking: app.stores.tracking, links: app.stores.links, traffic: app.traffic };

  server.get<{ Params: { token: string } }>('/o/:token', { schema: { hide: true }, logLevel: 'warn' }, async (req, reply) => {
    const token = req.params.token.endsWith('.gif') ? req.params.token.slice(0, -4) : req.params.token;
    if (!recordOpen(deps, token, req.headers['user-agent'], Date.now())) return reply.code(404).send();
    return reply.header('cache-control', 'no-store, max-age=0').type('image/gif').send(PIXEL);
  });

  server.get<{ Params: { token: string } }>('/c/:token', { schema: { hide: true }, logLevel: 'warn' }, async (req, reply) => {
    const url = await recordClick(deps, req.params.token, req.headers['user-agent'], Date.now());
    // A person clicked: the 404 is the error page in their language (src/http/errors.ts).
    if (url === null) throw new DomainError('NOT_FOUND', 'this link is not valid');
    return reply.header('cache-control', 'no-store').redirect(url, 302);
  });
}
