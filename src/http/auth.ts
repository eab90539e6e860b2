/**
 * Authentication (an API key, or a console user's session cookie) and the permission check, run as
 * each route's `onRequest` hook: before the body is parsed or validated, so a caller without a key
 * learns nothing about the input rules. A request made with the session cookie that changes
 * something must carry the session's CSRF token (synchroniser-token pattern, OWASP CSRF cheat sheet).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { can, PERMISSIONS, type Action, type Actor } from '../core/access.ts';
import { DomainError } from '../core/errors.ts';
import { authenticate } from '../use-cases/api-keys.ts';
import { activeSession, csrfMatches, type ActiveSession } from '../use-cases/console-sessions.ts';
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

/** The console's session cookie. */
export const SESSION_COOKIE = 'lupa_session';
/** The header a cookie-authenticated request that changes something carries the CSRF token in. */
export const CSRF_HEADER = 'x-csrf-token';

const sessions = new WeakMap<FastifyRequest, ActiveSession>();

/** Methods that change nothing (RFC 9110 §9.2.1 safe methods) need no CSRF token. */
function isSafeMethod(method: string): boolean {
  return method === 'GET' || method === 'HEAD' || method === 'OPTIONS';
}

/**
 * The console session of the request's cookie, or null without one (or with an ended one). For a
 * state-changing method the `X-CSRF-Token` header must match the session's token and an `Origin`
 * header, when sent, must be this server's: CSRF_FAILED otherwise.
 */
export async function sessionOf(app: App, req: FastifyRequest): Promise<ActiveSession | null> {
  const known = sessions.get(req);
  if (known !== undefined) return known;
  const token = req.cookies[SESSION_COOKIE];
  if (token === undefined || token === '') return null;
  const session = await activeSession({ users: app.stores.consoleUsers, now: app.now }, token);
  if (session === null) return null;
  if (!isSafeMethod(req.method)) {
    const header = req.headers[CSRF_HEADER];
    const origin = req.headers.origin;
    const sameOrigin = origin === undefined || origin === `${req.protocol}://${req.host}` || origin === new URL(app.publicUrl).origin;
    if (!sameOrigin || !csrfMatches(session, typeof header === 'string' ? header : undefined)) {
      throw new DomainError('CSRF_FAILED', `a change made with the console's session needs its ${CSRF_HEADER} header, from the console's own origin`);
    }
  }
  sessions.set(req, session);
  return session;
}

/** The caller of a valid key allowed to do `action`; UNAUTHENTICATED (no actor) or FORBIDDEN otherwise. */
async function authorize(app: App, key: string | null, action: Action, req?: FastifyRequest): Promise<Actor> {
  // A key, when one is sent, decides alone: a program's request is never read as the browser's session.
  const actor = key !== null ? await authenticate(app.stores, key) : req === undefined ? null : ((await sessionOf(app, req))?.actor ?? null);
  if (actor === null) {
    throw new DomainError('UNAUTHENTICATED', 'send a valid API key as Authorization: Bearer <key> or X-Api-Key, or sign in to the console');
  }
  if (!can(actor.role, action)) {
    throw new DomainError('FORBIDDEN', `role ${actor.role} may not ${action} (allowed: ${PERMISSIONS[action].join(', ')})`);
  }
  return actor;
}

/** An `onRequest` hook: 401 UNAUTHENTICATED without a valid key, 403 FORBIDDEN when the role may not do `action`. */
export function requirePermission(app: App, action: Action) {
  return async (req: FastifyRequest): Promise<void> => {
    actors.set(req, await authorize(app, presentedKey(req), action, req));
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
      actors.set(req, await authorize(app, presentedPageKey(req), action, req));
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
