/** A browser's request for the tab icon is answered: the console's SVG icon, and /favicon.ico without an error. */
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachStore } from '../../test/support/stores.ts';
import { buildServer } from './server.ts';

describeEachStore('the tab icon', (ctx) => {
  let server: FastifyInstance;
  beforeAll(async () => {
    server = await buildServer(ctx.app, { consoleDir: null });
  });
  afterAll(async () => server.close());

  it('serves the SVG icon the console links, and answers /favicon.ico with 204 rather than 404', async () => {
    const svg = await server.inject({ method: 'GET', url: '/favicon.svg' });
    expect(svg.statusCode).toBe(200);
    expect(svg.headers['content-type']).toContain('image/svg+xml');
    expect(svg.body).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    const ico = await server.inject({ method: 'GET', url: '/favicon.ico' });
    expect(ico.statusCode).toBe(204);
    expect(ico.body).toBe('');
    expect(readFileSync(new URL('../../web/index.html', import.meta.url), 'utf8')).toContain('<link rel="icon" type="image/svg+xml" href="/favicon.svg" />');
  });
});
