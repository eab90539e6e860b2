/**
 * The administrator's user, key and configuration routes, on both stores: only an admin reaches
 * them, a new user's link sets a password once, a new key works at once and not after revocation,
 * an admin cannot disable themself, and no secret leaves in the configuration view.
 */
import { expect, it } from 'vitest';
import { describeEachStore } from '../../test/support/stores.ts';
import { consoleDeps } from '../app.ts';
import { MASK } from '../config-view.ts';
import { createConsoleUser } from '../use-cases/console-users.ts';
import { json, useClient } from './testing.ts';

describeEachStore('admin: users, API keys, configuration', (ctx) => {
  const client = useClient(ctx);

  it('refuses every other role on every route', async () => {
    for (const role of ['marketer', 'agent', 'dpo', 'analyst'] as const) {
      expect((await client.get('/v1/users', role)).statusCode).toBe(403);
      expect((await client.post('/v1/users', { email: 'x@lupa.example', role: 'agent' }, role)).statusCode).toBe(403);
      expect((await client.get('/v1/api-keys', role)).statusCode).toBe(403);
      expect((await client.post('/v1/api-keys', { name: 'x', role: 'admin' }, role)).statusCode).toBe(403);
      expect((await client.get('/v1/admin/config', role)).statusCode).toBe(403);
    }
  });

  it('creates a user with a one-time link on the public URL that sets the password once', async () => {
    const res = await client.post('/v1/users', { email: 'Liisa.Agentti@Lupa.Example', role: 'agent' });
    expect(res.statusCode).toBe(201);
    const body = json<{ user: { id: string; email: string; role: string; hasPassword: boolean }; passwordLink: string }>(res);
    expect(body.user).toMatchObject({ email: 'liisa.agentti@lupa.example', role: 'agent', hasPassword: false });
    expect(body.passwordLink.startsWith(`${ctx.app.publicUrl}/set-password#token=`)).toBe(true);
    const token = body.passwordLink.split('#token=')[1];
    const set = () => client.server.inject({ method: 'POST', url: '/v1/password-links', payload: { token, password: 'a long enough passphrase' } });
    expect((await set()).statusCode).toBe(200);
    expect(json(await set())).toMatchObject({ error: 'LINK_INVALID' });
    const listed = json<{ users: { id: string; hasPassword: boolean }[] }>(await client.get('/v1/users')).users.find((u) => u.id === body.user.id);
    expect(listed).toMatchObject({ hasPassword: true });
    expect(JSON.stringify(await client.get('/v1/users').then((r) => r.body))).not.toMatch(/scrypt\$/);
  });

  it('names the field of a bad user and refuses a second user with the same e-mail', async () => {
    expect(json(await client.post('/v1/users', { email: 'not an address', role: 'agent' }))).toMatchObject({ error: 'VALIDATION_FAILED', field: 'email' });
    expect(json(await client.post('/v1/users', { email: 'a@lupa.example', role: 'owner' }))).toMatchObject({ error: 'VALIDATION_FAILED', field: 'role' });
    expect((await client.post('/v1/users', { email: 'twice@lupa.example', role: 'dpo' })).statusCode).toBe(201);
    const again = await client.post('/v1/users', { email: 'TWICE@lupa.example', role: 'dpo' });
    expect(again.statusCode).toBe(409);
    expect(json(again)).toMatchObject({ error: 'USER_EXISTS' });
  });

  it('disables a user (sessions end) and issues a fresh link; an admin signed in cannot disable themself', async () => {
    const deps = consoleDeps(ctx.app);
    const { user: admin } = await createConsoleUser(deps, { email: 'boss@lupa.example', role: 'admin', password: 'correct horse battery' });
    const { user: agent } = await createConsoleUser(deps, { email: 'leaving@lupa.example', role: 'agent', password: 'correct horse battery' });
    const signIn = await client.server.inject({ method: 'POST', url: '/v1/session', payload: { email: 'boss@lupa.example', password: 'correct horse battery' } });
    const cookie = `lupa_session=${signIn.cookies.find((c) => c.name === 'lupa_session')?.value ?? ''}`;
    const headers = { cookie, 'x-csrf-token': signIn.json<{ csrfToken: string }>().csrfToken, origin: 'http://localhost:80' };
    const self = await client.server.inject({ method: 'POST', url: `/v1/users/${admin.id}/disable`, headers });
    expect(json(self)).toMatchObject({ error: 'VALIDATION_FAILED', field: 'id' });
    const agentIn = await client.server.inject({ method: 'POST', url: '/v1/session', payload: { email: 'leaving@lupa.example', password: 'correct horse battery' } });
    const agentCookie = `lupa_session=${agentIn.cookies.find((c) => c.name === 'lupa_session')?.value ?? ''}`;
    const disabled = await client.server.inject({ method: 'POST', url: `/v1/users/${agent.id}/disable`, headers });
    expect(disabled.statusCode).toBe(200);
    expect(json(disabled)).toMatchObject({ user: { id: agent.id, disabledAt: expect.any(String) } });
    expect((await client.server.inject({ method: 'GET', url: '/v1/customers?q=x', headers: { cookie: agentCookie } })).statusCode).toBe(401);
    expect(json(await client.post(`/v1/users/${agent.id}/password-link`, {}))).toMatchObject({ passwordLink: expect.stringContaining('#token=') });
    expect((await client.post('/v1/users/user_nobody/password-link', {})).statusCode).toBe(404);
  });

  it('creates an API key shown once that works at once, lists it without the key, and revokes it', async () => {
    const res = await client.post('/v1/api-keys', { name: 'crm-sync', role: 'analyst' });
    expect(res.statusCode).toBe(201);
    const { apiKey, key } = json<{ apiKey: { id: string; role: string; revokedAt: null }; key: string }>(res);
    expect(apiKey).toMatchObject({ role: 'analyst', revokedAt: null });
    const asKey = () => client.server.inject({ method: 'GET', url: '/v1/campaigns', headers: { authorization: `Bearer ${key}` } });
    expect((await asKey()).statusCode).toBe(200);
    const list = await client.get('/v1/api-keys');
    expect(list.body).not.toContain(key);
    expect(json<{ apiKeys: { id: string }[] }>(list).apiKeys.map((k) => k.id)).toContain(apiKey.id);
    const revoke = await client.server.inject({ method: 'DELETE', url: `/v1/api-keys/${apiKey.id}`, headers: { authorization: `Bearer ${client.keys.admin}` } });
    expect(revoke.statusCode).toBe(204);
    expect((await asKey()).statusCode).toBe(401);
    const unknown = await client.server.inject({ method: 'DELETE', url: '/v1/api-keys/key_nothere', headers: { authorization: `Bearer ${client.keys.admin}` } });
    expect(unknown.statusCode).toBe(404);
  });

  it('shows the configuration in force with every secret masked', async () => {
    const res = await client.get('/v1/admin/config');
    expect(res.statusCode).toBe(200);
    const settings = json<{ settings: { name: string; value: string | null; source: string; secret: boolean }[] }>(res).settings;
    expect(settings.find((s) => s.name === 'LUPA_SECRET')).toMatchObject({ value: null, secret: true });
    expect(settings.find((s) => s.name === 'LUPA_SOFT_OPT_IN_MONTHS')).toMatchObject({ value: '12', source: 'default', secret: false });
    const database = settings.find((s) => s.name === 'LUPA_DATABASE_URL');
    expect(database?.source).toBe('set');
    const password = /^postgres:\/\/[^:]+:([^@]+)@/.exec(ctx.app.config.LUPA_DATABASE_URL)?.[1];
    if (password !== undefined) {
      expect(database?.value).toContain(MASK);
      expect(res.body).not.toContain(password);
    }
    if (ctx.app.config.LUPA_SECRET !== undefined) expect(res.body).not.toContain(ctx.app.config.LUPA_SECRET);
  });
});
