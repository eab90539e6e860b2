/**
 * API-key authentication and the permission check, run as each route's `onRequest` hook: before the
 * body is parsed or validated, so a caller without a key learns nothing about the input rules.
 */
import type { FastifyRequest } from 'fastify';
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

/** An `onRequest` hook: 401 UNAUTHENTICATED without a valid key, 403 FORBIDDEN when the role may not do `action`. */
export function requirePermission(app: App, action: Action) {
  return async (req: FastifyRequest): Promise<void> => {
    const key = presentedKey(req);
    const actor = key === null ? null : await authenticate(app.stores, key);
    if (actor === null) {
      throw new DomainError('UNAUTHENTICATED', 'send a valid API key as Authorization: Bearer <key> or X-Api-Key');
    }
    if (!can(actor.role, action)) {
      throw new DomainError('FORBIDDEN', `role ${actor.role} may not ${action} (allowed: ${PERMISSIONS[action].join(', ')})`);
    }
    actors.set(req, actor);
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
