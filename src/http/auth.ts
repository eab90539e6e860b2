/**
 * API-key authentication and the permission check, run as each route's `onRequest` hook: before the
 * body is parsed or validated, so a caller without a key learns nothing about the input rules.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { can, PERMISSIONS, type Action, type Actor } from '../core/access.ts';
import { DomainError } from '../core/errors.ts';
import { authenticate } from '../use-cases/api-keys.ts';
import type { App } from '../composition-root.ts';

/** Kept beside the request, not on it: no global type augmentation of Fastify for other servers. */
const actors = new WeakMap<FastifyRequest, Actor>();

/** The key from `Authorization: Bearer <key>`, else from `X-Api-Key`. */
export function presentedKey(req: FastifyRequest): string | null {
  const header = req.headers.authorization;
  if (typeof header === 'string' && header.trim() !== '') {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header.trim());
    return match?.[1] ?? null;
  }
  const apiKey = req.headers['x-api-key'];
  return typeof apiKey === 'string' && apiKey.trim() !== '' ? apiKey.trim() : null;
}

/**
 * The key a browser sends for a page: the password of HTTP Basic authentication (RFC 7617; the user
 * name is ignored), else the API's headers. Browsers send Basic credentials in a header after the
 * person typed them once, so the key never appears in a URL.
 */
export function presentedPageKey(req: FastifyRequest): string | null {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(req.headers.authorization?.trim() ?? '');
  if (match?.[1] === undefined) return presentedKey(req);
  const credentials = Buffer.from(match[1], 'base64').toString('utf8');
  const password = credentials.slice(credentials.indexOf(':') + 1).trim();
  return credentials.includes(':') && password !== '' ? password : null;
}

/** The caller of a valid key allowed to do `action`; UNAUTHENTICATED (no actor) or FORBIDDEN otherwise. */
async function authorize(app: App, key: string | null, action: Action): Promise<Actor> {
  const actor = key === null ? null : await authenticate(app.stores, key);
  if (actor === null) {
    throw new DomainError('UNAUTHENTICATED', 'send a valid API key as Authorization: Bearer <key> or X-Api-Key');
  }
  if (!can(actor.role, action)) {
    throw new DomainError('FORBIDDEN', `role ${actor.role} may not ${action} (allowed: ${PERMISSIONS[action].join(', ')})`);
  }
  return actor;
}

/** An `onRequest` hook: 401 UNAUTHENTICATED without a valid key, 403 FORBIDDEN when the role may not do `action`. */
export function requirePermission(app: App, action: Action) {
  return async (req: FastifyRequest): Promise<void> => {
    actors.set(req, await authorize(app, presentedKey(req), action));
  };
}

/**
 * The same check for pages a person opens in a browser, signing in with HTTP Basic (the API key as
 * the password). Without a valid key the answer is 401 with a Basic challenge and `refused`'s page,
 * so the browser asks for the key; a key whose role may not do `action` is 403 FORBIDDEN.
 */
export function requirePagePermission(app: App, action: Action, refused: (req: FastifyRequest) => string) {
  return async (req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> => {
    try {
      actors.set(req, await authorize(app, presentedPageKey(req), action));
      return undefined;
    } catch (err) {
      if (!(err instanceof DomainError) || err.code !== 'UNAUTHENTICATED') throw err;
      req.log.info({ code: err.code }, 'request refused');
      return reply
        .code(401)
        .header('www-authenticate', 'Basic realm="Lupa", charset="UTF-8"')
        .header('cache-control', 'no-store')
        .type('text/html; charset=utf-8')
        .send(refused(req));
    }
  };
}

/** The authenticated caller; only valid on routes guarded by `requirePermission`. */
export function actorOf(req: FastifyRequest): Actor {
  const actor = actors.get(req);
  // Reaching a handler without an actor is a wiring bug; refusing is the safe answer.
  if (actor === undefined) throw new DomainError('UNAUTHENTICATED', 'this route is missing its key check');
  return actor;
}

/** For the OpenAPI description of a route: who may call it. */
export function rolesNote(action: Action): string {
  return `Roles: ${PERMISSIONS[action].join(', ')} (permission \`${action}\`).`;
}
