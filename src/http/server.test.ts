import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { describeEachStore } from '../../test/support/stores.ts';
import { PERMISSIONS, ROLES } from '../core/access.ts';
import { createApiKey, revokeApiKey } from '../use-cases/api-keys.ts';
import { buildServer } from './server.ts';
import { json, useClient } from './testing.ts';

describeEachStore('the HTTP server', (ctx) => {
  const client = useClient(ctx);
  const keyDeps = () => ({ apiKeys: ctx.app.stores.apiKeys, now: ctx.app.now });

  describe('authentication', () => {
    it('answers /health without a key', async () => {
      const res = await client.server.inject({ method: 'GET', url: '/health' });
      expect(res.statusCode).toBe(200);
      expect(json(res)).toEqual({ status: 'ok' });
    });

    it('answers 401 UNAUTHENTICATED without a key, before looking at the input', async () => {
      const res = await client.server.inject({ method: 'GET', url: '/v1/decide?purpose=spam' });
      expect(res.statusCode).toBe(401);
      expect(json(res)).toEqual({ error: 'UNAUTHENTICATED', message: expect.any(String) });
      expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
    });

    it('answers 401 for an unknown key, a malformed header and a revoked key', async () => {
      const unknown = await client.server.inject({ method: 'GET', url: '/v1/customers/C1', headers: { authorization: 'Bearer lupa_nope' } });
      expect(unknown.statusCode).toBe(401);
      const basic = await client.server.inject({ method: 'GET', url: '/v1/customers/C1', headers: { authorization: `Basic ${client.keys.admin}` } });
      expect(basic.statusCode).toBe(401);
      const created = await createApiKey(keyDeps(), { name: 'to revoke', role: 'admin' });
      const headers = { authorization: `Bearer ${created.key}` };
      expect((await client.server.inject({ method: 'GET', url: '/v1/customers/C1', headers })).statusCode).toBe(404);
      await revokeApiKey(keyDeps(), { id: created.id });
      expect((await client.server.inject({ method: 'GET', url: '/v1/customers/C1', headers })).statusCode).toBe(401);
    });

    it('accepts the key in X-Api-Key', async () => {
      const res = await client.server.inject({ method: 'GET', url: '/v1/customers/C1', headers: { 'x-api-key': client.keys.agent } });
      expect(res.statusCode).toBe(404);
    });

    it('answers 403 FORBIDDEN when the role lacks the permission', async () => {
      const res = await client.get('/v1/customers/C1', 'analyst');
      expect(res.statusCode).toBe(403);
      expect(json(res)).toMatchObject({ error: 'FORBIDDEN' });
      expect((await client.get('/v1/customers?name=a', 'marketer')).statusCode).toBe(403);
      expect((await client.post('/v1/customers', { id: 'X', kind: 'person', name: 'X' }, 'dpo')).statusCode).toBe(403);
    });

    it('keeps only a hash of a key', async () => {
      const created = await createApiKey(keyDeps(), { name: 'hashed', role: 'dpo' });
      const stored = (await ctx.app.stores.apiKeys.list()).find((k) => k.id === created.id);
      expect(created.key).toMatch(/^lupa_[A-Za-z0-9_-]{43}$/);
      expect(stored?.keyHash).toMatch(/^[0-9a-f]{64}$/);
      expect(JSON.stringify(stored)).not.toContain(created.key);
    });

    it('answers an unknown route with 404 NOT_FOUND, without echoing the query', async () => {
      const res = await client.get('/v1/nothing?email=someone@example.fi');
      expect(res.statusCode).toBe(404);
      expect(json(res)).toMatchObject({ error: 'NOT_FOUND' });
      expect(res.body).not.toContain('someone@example.fi');
    });
  });

  describe('failures', () => {
    it('answers an unexpected failure with 500 INTERNAL and no details', async () => {
      const customers = Object.create(ctx.app.stores.customers) as typeof ctx.app.stores.customers;
      customers.getCustomer = () => Promise.reject(new Error('boom: secret@example.fi'));
      const server = await buildServer({ ...ctx.app, stores: { ...ctx.app.stores, customers } });
      try {
        const res = await server.inject({ method: 'GET', url: '/v1/customers/C1', headers: { authorization: `Bearer ${client.keys.admin}` } });
        expect(res.statusCode).toBe(500);
        expect(json(res)).toEqual({ error: 'INTERNAL', message: 'internal error' });
      } finally {
        await server.close();
      }
    });

    it('answers 503 STORE_UNAVAILABLE when the database cannot be reached, and serves no data unaudited', async () => {
      const audit = Object.create(ctx.app.stores.audit) as typeof ctx.app.stores.audit;
      audit.record = () => Promise.reject(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
      const server = await buildServer({ ...ctx.app, stores: { ...ctx.app.stores, audit } });
      try {
        await client.post('/v1/customers', { id: 'F1', kind: 'person', name: 'Failing Audit', email: 'fail@example.fi' });
        const res = await server.inject({ method: 'GET', url: '/v1/customers/F1', headers: { authorization: `Bearer ${client.keys.admin}` } });
        expect(res.statusCode).toBe(503);
        expect(json(res)).toMatchObject({ error: 'STORE_UNAVAILABLE' });
        expect(res.body).not.toContain('fail@example.fi');
      } finally {
        await server.close();
      }
    });

    it('does not expose HEAD, which would audit a read that sends nothing', async () => {
      const res = await client.server.inject({ method: 'HEAD', url: '/v1/customers/C1', headers: { authorization: `Bearer ${client.keys.admin}` } });
      expect(res.statusCode).toBe(404);
    });
  });

  describe('the OpenAPI document', () => {
    it('lists every route with its errors', async () => {
      const res = await client.server.inject({ method: 'GET', url: '/docs/json' });
      expect(res.statusCode).toBe(200);
      const doc = json<{ openapi: string; paths: Record<string, Record<string, { responses: Record<string, { description: string }>; parameters?: { name: string }[] }>> }>(res);
      expect(doc.openapi).toMatch(/^3\./);
      const routes = Object.entries(doc.paths).flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`));
      expect(routes.sort()).toEqual(
        [
          'GET /health',
          'POST /v1/customers',
          'GET /v1/customers',
          'GET /v1/customers/{id}',
          'PATCH /v1/customers/{id}',
          'GET /v1/customers/{id}/audit',
          'POST /v1/customers/{id}/ledger',
          'GET /v1/customers/{id}/ledger',
          'GET /v1/decide',
          'POST /v1/decide',
          'GET /v1/customers/{id}/permissions',
          'GET /v1/audience',
          'POST /v1/webhooks/bounces',
          'GET /v1/campaigns/{id}/results',
          'POST /v1/customers/{id}/call-outcomes',
          'POST /v1/calls',
          'GET /v1/calls/{id}',
          'GET /v1/customers/{id}/calls',
          'POST /v1/calls/{id}/recording',
          'GET /v1/recordings/{id}/audio',
          'GET /v1/call-lists/work',
          'POST /v1/phone-sales',
          'GET /v1/phone-sales',
          'GET /v1/phone-sales/{id}',
          'GET /v1/templates/{id}/preview',
          'PUT /v1/templates/{id}',
          'POST /v1/campaigns/{id}/test-send',
          'GET /v1/exports/calls.csv',
          'GET /v1/exports/post.csv',
          'POST /v1/templates/preview',
          'GET /v1/users',
          'POST /v1/users',
          'POST /v1/users/{id}/password-link',
          'POST /v1/users/{id}/disable',
          'GET /v1/api-keys',
          'POST /v1/api-keys',
          'DELETE /v1/api-keys/{id}',
          'GET /v1/admin/config',
          'GET /v1/customers/{id}/orders',
          'GET /v1/customers/{id}/messages',
          'GET /v1/customers/{id}/timeline',
          'GET /v1/products',
          'GET /v1/campaigns',
          'GET /v1/campaigns/{id}',
          'GET /v1/campaigns/{id}/skipped',
          'GET /v1/campaigns/{id}/deliveries/{customerId}',
          'GET /v1/templates',
          'GET /v1/templates/{id}',
          'GET /v1/admin/readiness',
          'PUT /v1/campaigns/{id}/unaligned-from',
          'POST /v1/session',
          'GET /v1/session',
          'DELETE /v1/session',
          'POST /v1/session/password',
          'POST /v1/password-links',
          'POST /v1/campaigns',
          'POST /v1/campaigns/{id}/launch',
          'POST /v1/campaigns/{id}/schedule',
          'POST /v1/campaigns/{id}/pause',
          'POST /v1/campaigns/{id}/resume',
          'POST /v1/campaigns/{id}/cancel',
          'GET /v1/audit',
          'GET /v1/audit.csv',
          'GET /v1/ledger',
          'GET /v1/suppressions',
          'POST /v1/suppressions',
          'POST /v1/suppressions/{id}/lift',
          'GET /v1/segments',
          'GET /v1/segments/{id}',
          'POST /v1/segments',
          'PATCH /v1/segments/{id}',
          'DELETE /v1/segments/{id}',
          'POST /v1/segments/count',
          'POST /v1/segments/rfm',
          'POST /v1/segments/refresh',
          'POST /v1/segments/{id}/refresh',
          'GET /v1/predictions/models',
          'GET /v1/predictions/models/{id}',
          'POST /v1/predictions/models',
          'POST /v1/predictions/models/{id}/score',
          'GET /v1/interests/topics',
          'POST /v1/interests/topics',
          'PATCH /v1/interests/topics/{code}',
          'GET /v1/customers/{id}/interests',
          'POST /v1/customers/{id}/interests',
          'POST /v1/interests/refresh',
          'GET /v1/tickets',
          'POST /v1/tickets',
          'GET /v1/tickets/{id}',
          'GET /v1/tickets/{id}/attachments/{attachmentId}',
          'POST /v1/tickets/{id}/replies',
          'PATCH /v1/tickets/{id}',
          'GET /v1/tickets/{id}/feedback',
          'GET /v1/feedback/results',
          'GET /v1/feedback/comments',
          'POST /v1/feedback/nps-surveys',
          'POST /v1/support/requests',
          'POST /v1/webhooks/support-mail',
          'GET /v1/offers',
          'GET /v1/offers/{id}',
          'POST /v1/offers',
          'PATCH /v1/offers/{id}',
          'GET /v1/customers/{id}/offers',
          'POST /v1/customers/{id}/offers/{offerId}/outcomes',
          'GET /v1/ad-audiences',
          'GET /v1/ad-audiences/preview',
          'POST /v1/ad-audiences',
          'GET /v1/ad-audiences/{id}',
          'POST /v1/ad-audiences/{id}/sync',
          'GET /v1/advertiser-segments',
          'PUT /v1/advertiser-segments/{segmentId}',
          'DELETE /v1/advertiser-segments/{segmentId}',
          'POST /v1/advertiser-segments/links',
          'GET /v1/ad-server/segments',
          'POST /v1/events',
          'POST /v1/sites/identify-tokens',
          'GET /v1/remarketing-lists',
          'GET /v1/remarketing-lists/{id}',
          'POST /v1/remarketing-lists',
          'POST /v1/remarketing-lists/{id}/refresh',
          'DELETE /v1/remarketing-lists/{id}',
          'GET /v1/remarketing/lists',
          'GET /v1/site-ads',
          'POST /v1/site-ads',
          'GET /v1/site-ads/{id}',
          'PATCH /v1/site-ads/{id}',
          'GET /v1/site-ads/{id}/report',
          'GET /v1/site-ads/fill',
          'POST /v1/site-ads/impressions',
        ].sort(),
      );
      const decide = doc.paths['/v1/decide']?.['get'];
      expect(Object.keys(decide?.responses ?? {}).sort()).toEqual(['200', '400', '401', '403', '404', '503']);
      expect(decide?.responses['400']?.description).toContain('UNKNOWN_PURPOSE');
      expect(decide?.parameters?.map((p) => p.name)).toEqual(['customer', 'purpose', 'channel', 'product', 'at']);
    });

    it('serves the UI at /docs', async () => {
      const res = await client.server.inject({ method: 'GET', url: '/docs/' });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toContain('text/html');
    });
  });

  describe('over a real socket', () => {
    it('serves requests on a port', async () => {
      const server = await buildServer(ctx.app);
      try {
        await server.listen({ port: 0, host: '127.0.0.1' });
        const { port } = server.server.address() as AddressInfo;
        const health = await fetch(`http://127.0.0.1:${port}/health`);
        expect(await health.json()).toEqual({ status: 'ok' });
        const created = await fetch(`http://127.0.0.1:${port}/v1/customers`, {
          method: 'POST',
          headers: { authorization: `Bearer ${client.keys.agent}`, 'content-type': 'application/json' },
          body: JSON.stringify({ id: 'S1', kind: 'person', name: 'Socket Sami', phone: '+358 40 765 4321' }),
        });
        expect(created.status).toBe(201);
        expect(created.headers.get('content-type')).toContain('application/json');
        expect(await created.json()).toMatchObject({ id: 'S1', phones: ['+358407654321'] });
      } finally {
        await server.close();
      }
    });
  });

  describe('logging', () => {
    it('logs requests without keys, query strings or bodies', async () => {
      const lines: string[] = [];
      const app = { ...ctx.app, config: { ...ctx.app.config, LUPA_LOG_LEVEL: 'info' as const } };
      const server = await buildServer(app, { logger: true, logStream: { write: (line) => void lines.push(line) } });
      try {
        const headers = { authorization: `Bearer ${client.keys.agent}` };
        await server.inject({ method: 'GET', url: '/v1/customers?email=secret.person@example.fi&name=Salainen', headers });
        await server.inject({ method: 'POST', url: '/v1/customers', headers, payload: { id: 'L1', kind: 'person', name: 'Salainen Henkilö', email: 'bad' } });
        await server.inject({ method: 'GET', url: '/v1/customers/L1', headers: { 'x-api-key': client.keys.admin } });
      } finally {
        await server.close();
      }
      const log = lines.join('');
      expect(log).toContain('/v1/customers');
      expect(log).toContain('"statusCode":400');
      for (const secret of ['secret.person', 'Salainen', client.keys.agent, client.keys.admin, 'lupa_']) expect(log).not.toContain(secret);
    });

    it('logs route patterns, never paths as sent, and no value a database error quotes', async () => {
      const lines: string[] = [];
      const customers = Object.create(ctx.app.stores.customers) as typeof ctx.app.stores.customers;
      // A PostgreSQL error as the driver gives it: the values it failed on in message, detail and where.
      customers.getCustomer = () =>
        Promise.reject(
          Object.assign(new Error('duplicate key value violates unique constraint "x": quoted.person@example.fi'), {
            code: '23505',
            detail: 'Key (email)=(quoted.person@example.fi) already exists.',
            where: 'SQL function "f" statement 1: quoted.person@example.fi',
            hint: 'quoted.person@example.fi',
            constraint: 'customers_email',
          }),
        );
      const app = { ...ctx.app, stores: { ...ctx.app.stores, customers }, config: { ...ctx.app.config, LUPA_LOG_LEVEL: 'info' as const } };
      const server = await buildServer(app, { logger: true, logStream: { write: (line) => void lines.push(line) } });
      try {
        const headers = { authorization: `Bearer ${client.keys.admin}` };
        await server.inject({ method: 'GET', url: '/v1/customers/C1', headers });
        await server.inject({ method: 'GET', url: '/v1/customers/path.person@example.fi', headers });
        await server.inject({ method: 'GET', url: '/v1/no-such/route.person@example.fi', headers });
      } finally {
        await server.close();
      }
      const log = lines.join('');
      expect(log).toContain('/v1/customers/:id');
      expect(log).toContain('23505');
      expect(log).toContain('customers_email');
      for (const secret of ['quoted.person', 'path.person', 'route.person']) expect(log).not.toContain(secret);
    });
  });
});

describe('docs/api.md', () => {
  it('shows the permission table as the code has it', () => {
    const doc = readFileSync(new URL('../../docs/api.md', import.meta.url), 'utf8');
    for (const [action, roles] of Object.entries(PERMISSIONS)) {
      const row = doc.split('\n').find((line) => line.startsWith(`| \`${action}\``));
      const cells = row?.split('|').slice(3, 3 + ROLES.length).map((c) => c.trim() === '✓');
      expect(cells, action).toEqual(ROLES.map((r) => (roles as readonly string[]).includes(r)));
    }
  });
});
