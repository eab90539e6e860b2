/**
 * Console sign-in: `POST /v1/session` (e-mail and password → session cookie), `GET /v1/session`
 * (who is signed in, and the CSRF token the console sends back on changes; `{"signedIn": false}`,
 * still 200, when nobody is: being signed out is an answer, not an error), `DELETE /v1/session`
 * (sign out: the session ends on the server), `POST /v1/session/password` (change one's own
 * password) and `POST /v1/password-links` (set a password with a one-time link). The cookie is
 * HttpOnly and SameSite=Lax, and Secure when Lupa is reached over https.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { consoleDeps } from '../../app.ts';
import type { App } from '../../composition-root.ts';
import { DomainError } from '../../core/errors.ts';
import { setPasswordWithLink } from '../../use-cases/console-users.ts';
import { changeOwnPassword, signIn, signOut, type SignedIn } from '../../use-cases/console-sessions.ts';
import { SESSION_COOKIE, sessionOf } from '../auth.ts';
import { errorResponses } from '../errors.ts';
import type { ZodServer } from '../zod-provider.ts';

export const UserView = z.object({
  id: z.string(),
  email: z.string(),
  role: z.enum(['admin', 'marketer', 'agent', 'dpo', 'analyst']),
  createdAt: z.string(),
  disabledAt: z.string().nullable(),
  hasPassword: z.boolean(),
});
const SessionView = z.object({ user: UserView, csrfToken: z.string(), expiresAt: z.string() });
/** `GET /v1/session`: the session with `signedIn: true`, or only `signedIn: false` (no cookie, or an ended one). */
const SessionState = z.discriminatedUnion('signedIn', [SessionView.extend({ signedIn: z.literal(true) }), z.object({ signedIn: z.literal(false) })]);
const SignInBody = z.strictObject({
  email: z.string().min(1).max(320).meta({ example: 'admin@lupa.example' }),
  password: z.string().min(1).max(1024),
});
const ChangePasswordBody = z.strictObject({ currentPassword: z.string().min(1).max(1024), newPassword: z.string().min(1).max(1024) });
const LinkBody = z.strictObject({ token: z.string().min(20).max(100), password: z.string().min(1).max(1024) });

function secureCookies(app: App, req: FastifyRequest): boolean {
  return app.publicUrl.startsWith('https://') || req.protocol === 'https';
}

function setSessionCookie(app: App, req: FastifyRequest, reply: FastifyReply, signedIn: SignedIn): void {
  reply.setCookie(SESSION_COOKIE, signedIn.token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: secureCookies(app, req),
    expires: new Date(signedIn.expiresAt),
  });
}

async function requireSession(app: App, req: FastifyRequest) {
  const session = await sessionOf(app, req);
  if (session === null) throw new DomainError('UNAUTHENTICATED', 'sign in to the console');
  return session;
}

export function sessionRoutes(server: ZodServer, app: App): void {
  const deps = consoleDeps(app);
  const tags = ['session'];
  server.post(
    '/v1/session',
    {
      schema: {
        tags,
        summary: 'Sign in to the console',
        description:
          'Sets the `lupa_session` cookie (HttpOnly, SameSite=Lax, Secure over https). Send `csrfToken` back as `X-CSRF-Token` on every change made with the cookie. Five failures with one e-mail within 15 minutes lock it for 15 minutes (SIGN_IN_LOCKED).',
        security: [],
        body: SignInBody,
        response: { 200: SessionView, ...errorResponses(['VALIDATION_FAILED', 'SIGN_IN_FAILED', 'SIGN_IN_LOCKED'], { authenticated: false }) },
      },
    },
    async (req, reply) => {
      const signedIn = await signIn(deps, req.body);
      setSessionCookie(app, req, reply, signedIn);
      req.log.info({ user: signedIn.user.id }, 'console sign-in');
      return { user: signedIn.user, csrfToken: signedIn.csrfToken, expiresAt: signedIn.expiresAt };
    },
  );
  server.get(
    '/v1/session',
    {
      schema: {
        tags,
        summary: 'Who is signed in',
        description:
          'Answers 200 either way: `signedIn: true` with the user, the CSRF token and the expiry, or `{"signedIn": false}` without a session cookie or with one whose session has ended, expired or whose user is disabled.',
        security: [],
        response: { 200: SessionState, ...errorResponses([]) },
      },
    },
    async (req, reply) => {
      const session = await sessionOf(app, req);
      void reply.header('cache-control', 'no-store');
      if (session === null) return { signedIn: false as const };
      return { signedIn: true as const, user: session.user, csrfToken: session.csrfToken, expiresAt: session.expiresAt };
    },
  );
  server.delete(
    '/v1/session',
    { schema: { tags, summary: 'Sign out (the session ends on the server)', security: [], response: { 204: z.null(), ...errorResponses(['CSRF_FAILED']) } } },
    async (req, reply) => {
      const session = await requireSession(app, req);
      await signOut(deps, session);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.code(204).send(null);
    },
  );
  server.post(
    '/v1/session/password',
    {
      schema: {
        tags,
        summary: 'Change your own password',
        description: 'Ends every session of the user and opens a new one for this browser (a new cookie and CSRF token).',
        security: [],
        body: ChangePasswordBody,
        response: { 200: SessionView, ...errorResponses(['VALIDATION_FAILED', 'SIGN_IN_FAILED', 'CSRF_FAILED']) },
      },
    },
    async (req, reply) => {
      const session = await requireSession(app, req);
      const signedIn = await changeOwnPassword(deps, session, req.body);
      setSessionCookie(app, req, reply, signedIn);
      return { user: signedIn.user, csrfToken: signedIn.csrfToken, expiresAt: signedIn.expiresAt };
    },
  );
  server.post(
    '/v1/password-links',
    {
      schema: {
        tags,
        summary: 'Set a password with a one-time link',
        description: 'The token is the part after `#token=` in the link `lupa users create` printed. A link works once, for 72 hours.',
        security: [],
        body: LinkBody,
        response: { 200: z.object({ user: UserView }), ...errorResponses(['VALIDATION_FAILED', 'LINK_INVALID'], { authenticated: false }) },
      },
    },
    async (req) => ({ user: await setPasswordWithLink(deps, req.body) }),
  );
}
