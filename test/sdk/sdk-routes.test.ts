/**
 * The SDK's public routes (src/http/routes/sdk.ts) answer HEAD as GET, with the same headers and no
 * body, although the server exposes no HEAD routes by default (a HEAD would run a GET handler that
 * audits a read).
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildServer } from '../../src/http/server.ts';
import { describeEachStore } from '../support/stores.ts';

describeEachStore('the browser SDK routes', (ctx) => {
  let server: FastifyInstance;
  beforeAll(async () => {
    server = await buildServer(ctx.app, { consoleDir: null });
  });
  afterAll(async () => server.close());

  it.each(['/sdk/lupa.js', '/sdk/demo.js', '/sdk/demo'])('answer HEAD %s as GET, without the body', async (url) => {
    const get = await server.inject({ method: 'GET', url });
    const head = await server.inject({ method: 'HEAD', url });
    expect(get.statusCode).toBe(200);
    expect(get.body.length).toBeGreaterThan(0);
    expect(head.statusCode).toBe(200);
    expect(head.body).toBe('');
    const { date: _getDate, ...getHeaders } = get.headers;
    const { date: _headDate, ...headHeaders } = head.headers;
    expect(headHeaders).toEqual(getHeaders);
  });

});
