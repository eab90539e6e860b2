/** Helpers for the HTTP tests: a server per suite, a key per role, requests that read as sentences. */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll } from 'vitest';
import type { App } from '../composition-root.ts';
import { ROLES, type Role } from '../core/access.ts';
import { createApiKey } from '../use-cases/api-keys.ts';
import { buildServer } from './server.ts';

export interface Client {
  readonly server: FastifyInstance;
  /** A key per role, created once per suite. */
  readonly keys: Record<Role, string>;
  get(url: string, role?: Role): Promise<LightMyRequestResponse>;
  post(url: string, body: unknown, role?: Role): Promise<LightMyRequestResponse>;
  patch(url: string, body: unknown, role?: Role): Promise<LightMyRequestResponse>;
}

/** Registers beforeAll/afterAll that build a server on the suite's app; use inside `describeEachStore`. */
export function useClient(ctx: { readonly app: App }): Client {
  let server: FastifyInstance | undefined;
  const keys: Partial<Record<Role, string>> = {};
  beforeAll(async () => {
    server = await buildServer(ctx.app);
    const deps = { apiKeys: ctx.app.stores.apiKeys, now: ctx.app.now };
    for (const role of ROLES) keys[role] = (await createApiKey(deps, { name: `test ${role}`, role })).key;
  });
  afterAll(async () => {
    await server?.close();
  });
  const ready = (): FastifyInstance => server ?? never();
  const auth = (role: Role): Record<string, string> => ({ authorization: `Bearer ${keys[role] ?? never()}` });
  return {
    get server() {
      return ready();
    },
    get keys() {
      return keys as Record<Role, string>;
    },
    get: (url, role = 'admin') => ready().inject({ method: 'GET', url, headers: auth(role) }),
    post: (url, body, role = 'admin') => ready().inject({ method: 'POST', url, headers: auth(role), payload: body as object }),
    patch: (url, body, role = 'admin') => ready().inject({ method: 'PATCH', url, headers: auth(role), payload: body as object }),
  };
}

function never(): never {
  throw new Error('test server not ready');
}

/** Parsed JSON body of a response. */
export function json<T = Record<string, unknown>>(res: LightMyRequestResponse): T {
  return res.json<T>();
}
