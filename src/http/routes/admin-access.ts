/**
 * The administrator's management of who gets in: console users (people) and API keys (programs),
 * and the effective configuration with its secrets masked. Everything here needs an admin; a key is
 * shown once, when it is made, and a user gets a one-time link to set the password (the same link
 * `lupa users create` prints).
 */
import { z } from 'zod';
import { consoleDeps } from '../../app.ts';
import type { App } from '../../composition-root.ts';
import { configView } from '../../config-view.ts';
import { ROLES } from '../../core/access.ts';
import { DomainError } from '../../core/errors.ts';
import { createApiKey, listApiKeys, revokeApiKey } from '../../use-cases/api-keys.ts';
import { consoleUserById, createConsoleUser, disableConsoleUser, issuePasswordLink, listConsoleUsers, setPasswordUrl } from '../../use-cases/console-users.ts';
import { actorOf, requirePermission, rolesNote } from '../auth.ts';
import { errorResponses } from '../errors.ts';
import type { ZodServer } from '../zod-provider.ts';
import { UserView } from './session.ts';

const RoleSchema = z.enum(ROLES);
const UserIdParam = z.string().regex(/^user_[A-Za-z0-9_-]{1,40}$/, 'must be a user id, e.g. user_3kTq9xYz01Ab');
const KeyIdParam = z.string().regex(/^key_[A-Za-z0-9_-]{1,40}$/, 'must be an API key id, e.g. key_3kTq9xYz01Ab');
const KeyView = z.object({ id: z.string(), name: z.string(), role: RoleSchema, createdAt: z.string(), revokedAt: z.string().nullable() });
const PasswordLink = z.string().meta({ description: 'One-time link to set the password (72 hours, works once); give it to the person only' });

export function adminAccessRoutes(server: ZodServer, app: App): void {
  const deps = consoleDeps(app);
  const keyDeps = { apiKeys: app.stores.apiKeys, now: app.now };
  const users = { tags: ['admin'], onRequest: requirePermission(app, 'users.manage') };
  const linkOf = (token: string) => setPasswordUrl(app.publicUrl, token);

  server.get(
    '/v1/users',
    { onRequest: users.onRequest, schema: { tags: users.tags, summary: 'Console users', description: `Every user, without password hashes. ${rolesNote('users.manage')}`, response: { 200: z.object({ users: z.array(UserView) }), ...errorResponses([]) } } },
    async () => ({ users: await listConsoleUsers(deps) }),
  );
  server.post(
    '/v1/users',
    {
      onRequest: users.onRequest,
      schema: {
        tags: users.tags,
        summary: 'Create a console user',
        description: `The user sets a password through the returned one-time link (as \`lupa users create\` without --password-stdin). ${rolesNote('users.manage')}`,
        body: z.strictObject({ email: z.string().min(1).max(320).meta({ example: 'liisa.agentti@lupa.example' }), role: RoleSchema.meta({ example: 'agent' }) }),
        response: { 201: z.object({ user: UserView, passwordLink: PasswordLink }), ...errorResponses(['VALIDATION_FAILED', 'USER_EXISTS']) },
      },
    },
    async (req, reply) => {
      const created = await createConsoleUser(deps, req.body);
      if (created.passwordToken === null) throw new Error('a user created without a password has a link');
      req.log.info({ user: created.user.id, by: actorOf(req).id }, 'console user created');
      return reply.code(201).send({ user: created.user, passwordLink: linkOf(created.passwordToken) });
    },
  );
  server.post(
    '/v1/users/:id/password-link',
    {
      onRequest: users.onRequest,
      schema: {
        tags: users.tags,
        summary: 'A new one-time link to set a password',
        description: `For a user who forgot the password or never set one; the current password keeps working until the link is used. ${rolesNote('users.manage')}`,
        params: z.strictObject({ id: UserIdParam }),
        response: { 200: z.object({ user: UserView, passwordLink: PasswordLink }), ...errorResponses(['VALIDATION_FAILED', 'NOT_FOUND']) },
      },
    },
    async (req) => {
      const user = await consoleUserById(deps, req.params.id);
      return { user, passwordLink: linkOf(await issuePasswordLink(deps, user.id)) };
    },
  );
  server.post(
    '/v1/users/:id/disable',
    {
      onRequest: users.onRequest,
      schema: {
        tags: users.tags,
        summary: 'Disable a console user',
        description: `Ends the user's sessions at once; the user can no longer sign in. You cannot disable yourself. ${rolesNote('users.manage')}`,
        params: z.strictObject({ id: UserIdParam }),
        response: { 200: z.object({ user: UserView }), ...errorResponses(['VALIDATION_FAILED', 'NOT_FOUND']) },
      },
    },
    async (req) => {
      // An administrator who disabled their own account could leave nobody able to manage users.
      if (actorOf(req).id === req.params.id) throw new DomainError('VALIDATION_FAILED', 'you cannot disable your own account', { field: 'id' });
      const user = await consoleUserById(deps, req.params.id);
      const disabled = await disableConsoleUser(deps, { email: user.email });
      req.log.info({ user: user.id, by: actorOf(req).id }, 'console user disabled');
      return { user: disabled };
    },
  );

  const keys = { tags: ['admin'], onRequest: requirePermission(app, 'api_keys.manage') };
  server.get(
    '/v1/api-keys',
    { onRequest: keys.onRequest, schema: { tags: keys.tags, summary: 'API keys', description: `Every key with its role and state; never the key itself (only its hash is stored). ${rolesNote('api_keys.manage')}`, response: { 200: z.object({ apiKeys: z.array(KeyView) }), ...errorResponses([]) } } },
    async () => ({ apiKeys: await listApiKeys(keyDeps) }),
  );
  server.post(
    '/v1/api-keys',
    {
      onRequest: keys.onRequest,
      schema: {
        tags: keys.tags,
        summary: 'Create an API key',
        description: `The key is in the answer once and never again: store it where the program reads it. ${rolesNote('api_keys.manage')}`,
        body: z.strictObject({ name: z.string().min(1).max(100).meta({ example: 'crm-sync' }), role: RoleSchema.meta({ example: 'marketer' }) }),
        response: { 201: z.object({ apiKey: KeyView, key: z.string().meta({ description: 'The key in clear, shown once' }) }), ...errorResponses(['VALIDATION_FAILED']) },
      },
    },
    async (req, reply) => {
      const created = await createApiKey(keyDeps, req.body);
      req.log.info({ key: created.id, by: actorOf(req).id }, 'API key created');
      const { key, ...apiKey } = created;
      return reply.code(201).send({ apiKey: { ...apiKey, revokedAt: null }, key });
    },
  );
  server.delete(
    '/v1/api-keys/:id',
    {
      onRequest: keys.onRequest,
      schema: {
        tags: keys.tags,
        summary: 'Revoke an API key',
        description: `At once in this server; other processes stop accepting it within LUPA_KEY_CACHE_SECONDS. Revoking twice is harmless. ${rolesNote('api_keys.manage')}`,
        params: z.strictObject({ id: KeyIdParam }),
        response: { 204: z.null(), ...errorResponses(['VALIDATION_FAILED', 'NOT_FOUND']) },
      },
    },
    async (req, reply) => {
      await revokeApiKey(keyDeps, req.params);
      req.log.info({ key: req.params.id, by: actorOf(req).id }, 'API key revoked');
      return reply.code(204).send(null);
    },
  );

  server.get(
    '/v1/admin/config',
    {
      onRequest: requirePermission(app, 'config.read'),
      schema: {
        tags: ['system'],
        summary: 'The effective configuration',
        description: `Every LUPA_* setting in force, whether it is the default, secrets masked (LUPA_SECRET, LUPA_SMS_AUTH_TOKEN, a password in a URL); docs/configuration.md. Read-only: settings change in the environment. ${rolesNote('config.read')}`,
        response: {
          200: z.object({ settings: z.array(z.object({ name: z.string(), value: z.string().nullable(), source: z.enum(['default', 'set']), secret: z.boolean() })) }),
          ...errorResponses([]),
        },
      },
    },
    () => ({ settings: configView(app.config) }),
  );
}
