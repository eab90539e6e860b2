/**
 * Console sign-in over HTTP, on both stores: the cookie's attributes, the session as an actor with
 * its role (and named in the audit trail), CSRF on changes, sign-out and disabling that end the
 * session on the server, the lock after repeated failures, and one-time set-password links.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachStore } from '../../test/support/stores.ts';
import { consoleDeps } from '../app.ts';
import type { CustomerId, Instant } from '../core/records.ts';
import { createConsoleUser, disableConsoleUser } from '../use-cases/console-users.ts';
import { buildServer } from './server.ts';

let clock = Date.parse('2026-11-30T09:00:00.000Z');
const now = (): Instant => new Date(clock).toISOString() as Instant;
const PASSWORD = 'correct horse battery';

interface Signed {
  cookie: string;
  csrf: string;
}

function sessionCookie(res: LightMyRequestResponse): string {
  const cookie = res.cookies.find((c) => c.name === 'lupa_session');
  if (cookie === undefined) throw new Error('no session cookie set');
  return `lupa_session=${cookie.value}`;
}

describeEachStore(
  'console sign-in',
  (ctx) => {
    let server: FastifyInstance;
    const signIn = (email: string, password: string) => server.inject({ method: 'POST', url: '/v1/session', payload: { email, password } });
    const signedIn = async (email: string): Promise<Signed> => {
      const res = await signIn(email, PASSWORD);
      expect(res.statusCode).toBe(200);
      return { cookie: sessionCookie(res), csrf: res.json<{ csrfToken: string }>().csrfToken };
    };

    beforeAll(async () => {
      server = await buildServer(ctx.app);
      const deps = consoleDeps(ctx.app);
      for (const role of ['admin', 'agent', 'analyst'] as const) await createConsoleUser(deps, { email: `${role}@lupa.example`, role, password: PASSWORD });
      await ctx.app.stores.customers.insertCustomer({
        id: 'C1' as CustomerId,
        kind: 'person',
        name: 'Aino Virtanen',
        emails: ['aino@example.fi'],
        phones: [],
        address: null,
        locale: 'fi',
        createdAt: now(),
        updatedAt: now(),
      });
    });
    afterAll(async () => server.close());

    it('sets an HttpOnly, SameSite=Lax session cookie and says who is signed in', async () => {
      const res = await signIn('Admin@Lupa.Example', PASSWORD);
      expect(res.statusCode).toBe(200);
      const cookie = res.cookies.find((c) => c.name === 'lupa_session');
      expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
      // Served over plain http here (no https public URL): Secure would make the browser drop it.
      expect(cookie?.secure).toBeUndefined();
      const me = await server.inject({ method: 'GET', url: '/v1/session', headers: { cookie: sessionCookie(res) } });
      expect(me.statusCode).toBe(200);
      expect(me.json()).toMatchObject({ user: { email: 'admin@lupa.example', role: 'admin' } });
      expect(JSON.stringify(me.json())).not.toContain('scrypt');
    });

    it('answers one way for an unknown e-mail and a wrong password', async () => {
      const unknown = await signIn('nobody@lupa.example', PASSWORD);
      const wrong = await signIn('agent@lupa.example', 'not the password at all');
      expect(unknown.statusCode).toBe(401);
      expect(wrong.statusCode).toBe(401);
      expect(unknown.json()).toEqual(wrong.json());
      expect(wrong.cookies).toHaveLength(0);
    });

    it('lets the session act with its role and audits a read naming the user', async () => {
      const agent = await signedIn('agent@lupa.example');
      const read = await server.inject({ method: 'GET', url: '/v1/customers/C1', headers: { cookie: agent.cookie } });
      expect(read.statusCode).toBe(200);
      const entries = await ctx.app.stores.audit.forCustomer('C1' as CustomerId);
      const userId = (await ctx.app.stores.consoleUsers.userByEmail('agent@lupa.example'))?.id;
      expect(userId).toMatch(/^user_/);
      expect(entries.some((e) => e.actor === userId && e.role === 'agent')).toBe(true);

      const analyst = await signedIn('analyst@lupa.example');
      const refused = await server.inject({ method: 'GET', url: '/v1/customers/C1', headers: { cookie: analyst.cookie } });
      expect(refused.statusCode).toBe(403);
      expect(refused.json()).toMatchObject({ error: 'FORBIDDEN' });
    });

    it('refuses a change made with the cookie without the CSRF token, or from another origin', async () => {
      const agent = await signedIn('agent@lupa.example');
      const change = (headers: Record<string, string>) =>
        server.inject({ method: 'PATCH', url: '/v1/customers/C1', headers: { cookie: agent.cookie, ...headers }, payload: { name: 'Aino Laine' } });
      const without = await change({});
      expect(without.statusCode).toBe(403);
      expect(without.json()).toMatchObject({ error: 'CSRF_FAILED' });
      expect((await change({ 'x-csrf-token': 'forged-token-forged-token-forged-token' })).statusCode).toBe(403);
      expect((await change({ 'x-csrf-token': agent.csrf, origin: 'https://evil.example' })).statusCode).toBe(403);
      expect((await ctx.app.stores.customers.getCustomer('C1' as CustomerId))?.name).toBe('Aino Virtanen');
      const allowed = await change({ 'x-csrf-token': agent.csrf });
      expect(allowed.statusCode).toBe(200);
      expect((await ctx.app.stores.customers.getCustomer('C1' as CustomerId))?.name).toBe('Aino Laine');
    });

    it('ends the session on the server at sign-out: the same cookie opens nothing afterwards', async () => {
      const admin = await signedIn('admin@lupa.example');
      const refusedWithoutCsrf = await server.inject({ method: 'DELETE', url: '/v1/session', headers: { cookie: admin.cookie } });
      expect(refusedWithoutCsrf.statusCode).toBe(403);
      const out = await server.inject({ method: 'DELETE', url: '/v1/session', headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrf } });
      expect(out.statusCode).toBe(204);
      const after = await server.inject({ method: 'GET', url: '/v1/customers/C1', headers: { cookie: admin.cookie } });
      expect(after.statusCode).toBe(401);
    });

    it('locks an e-mail after five failures, even for the right password, and opens it 15 minutes later', async () => {
      await createConsoleUser(consoleDeps(ctx.app), { email: 'dpo@lupa.example', role: 'dpo', password: PASSWORD });
      for (let i = 0; i < 4; i++) expect((await signIn('dpo@lupa.example', `wrong guess ${i} wrong`)).statusCode).toBe(401);
      const fifth = await signIn('dpo@lupa.example', 'wrong guess 5 wrong');
      expect(fifth.statusCode).toBe(429);
      expect(fifth.json()).toMatchObject({ error: 'SIGN_IN_LOCKED' });
      expect((await signIn('dpo@lupa.example', PASSWORD)).statusCode).toBe(429);
      clock += 15 * 60_000 + 1000;
      expect((await signIn('dpo@lupa.example', PASSWORD)).statusCode).toBe(200);
      // The lock is per e-mail as typed, known or not: locking an unknown one looks the same.
      for (let i = 0; i < 4; i++) await signIn('ghost@lupa.example', 'wrong guess wrong');
      expect((await signIn('ghost@lupa.example', 'wrong guess wrong')).json()).toMatchObject({ error: 'SIGN_IN_LOCKED' });
    });

    it("ends a disabled user's sessions at once and refuses their sign-in", async () => {
      await createConsoleUser(consoleDeps(ctx.app), { email: 'leaver@lupa.example', role: 'agent', password: PASSWORD });
      const leaver = await signedIn('leaver@lupa.example');
      await disableConsoleUser(consoleDeps(ctx.app), { email: 'leaver@lupa.example' });
      expect((await server.inject({ method: 'GET', url: '/v1/session', headers: { cookie: leaver.cookie } })).json()).toEqual({ signedIn: false });
      expect((await signIn('leaver@lupa.example', PASSWORD)).statusCode).toBe(401);
    });

    it('expires a session after LUPA_SESSION_HOURS', async () => {
      const admin = await signedIn('admin@lupa.example');
      clock += 12 * 3_600_000 + 1000;
      expect((await server.inject({ method: 'GET', url: '/v1/session', headers: { cookie: admin.cookie } })).json()).toEqual({ signedIn: false });
    });

    it('sets a password once through a one-time link', async () => {
      const created = await createConsoleUser(consoleDeps(ctx.app), { email: 'new.marketer@lupa.example', role: 'marketer' });
      expect(created.passwordToken).not.toBeNull();
      expect((await signIn('new.marketer@lupa.example', PASSWORD)).statusCode).toBe(401);
      const short = await server.inject({ method: 'POST', url: '/v1/password-links', payload: { token: created.passwordToken, password: 'short' } });
      expect(short.statusCode).toBe(400);
      expect(short.json()).toMatchObject({ field: 'password' });
      const set = await server.inject({ method: 'POST', url: '/v1/password-links', payload: { token: created.passwordToken, password: PASSWORD } });
      expect(set.statusCode).toBe(200);
      expect((await signIn('new.marketer@lupa.example', PASSWORD)).statusCode).toBe(200);
      const again = await server.inject({ method: 'POST', url: '/v1/password-links', payload: { token: created.passwordToken, password: 'another long password' } });
      expect(again.statusCode).toBe(410);
      expect(again.json()).toMatchObject({ error: 'LINK_INVALID' });
    });

    describe('changing one’s own password', () => {
      it('needs the current password, ends the other sessions and keeps this browser signed in', async () => {
        const first = await signedIn('agent@lupa.example');
        const second = await signedIn('agent@lupa.example');
        const change = (body: object) =>
          server.inject({ method: 'POST', url: '/v1/session/password', headers: { cookie: second.cookie, 'x-csrf-token': second.csrf }, payload: body });
        expect((await change({ currentPassword: 'not it at all', newPassword: 'a brand new passphrase' })).statusCode).toBe(401);
        const changed = await change({ currentPassword: PASSWORD, newPassword: 'a brand new passphrase' });
        expect(changed.statusCode).toBe(200);
        expect((await server.inject({ method: 'GET', url: '/v1/session', headers: { cookie: first.cookie } })).json()).toEqual({ signedIn: false });
        expect((await server.inject({ method: 'GET', url: '/v1/session', headers: { cookie: sessionCookie(changed) } })).statusCode).toBe(200);
        expect((await signIn('agent@lupa.example', 'a brand new passphrase')).statusCode).toBe(200);
      });
    });
  },
  { now, env: { LUPA_PASSWORD_SCRYPT_LOG_N: '14' } },
);
