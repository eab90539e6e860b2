/** The built console served at /: its screens answer with the single page, under a strict CSP; its hashed assets are cached for good. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachStore } from '../../test/support/stores.ts';
import { SECTIONS } from '../../web/src/session/permissions.ts';
import { buildServer } from './server.ts';

describeEachStore('the console at /', (ctx) => {
  let server: FastifyInstance;
  let build: string;
  beforeAll(async () => {
    build = mkdtempSync(join(tmpdir(), 'lupa-web-'));
    mkdirSync(join(build, 'assets'));
    writeFileSync(join(build, 'index.html'), '<!doctype html><title>Lupa</title><div id="root"></div><script type="module" src="/assets/index-abc123.js"></script>');
    writeFileSync(join(build, 'assets', 'index-abc123.js'), 'console.log("console")');
    server = await buildServer(ctx.app, { consoleDir: build });
  });
  afterAll(async () => {
    await server.close();
    rmSync(build, { recursive: true, force: true });
  });

  it('answers every screen path with the single page, never cached stale, scripts only from itself', async () => {
    for (const url of ['/', '/sign-in', '/campaigns', '/customers/C0000001', '/set-password']) {
      const res = await server.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(200);
      expect(res.body).toContain('<div id="root">');
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.headers['content-security-policy']).toContain("script-src 'self'");
      expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    }
  });

  it('answers a reload of every section of the navigation and of the screens inside them', async () => {
    const screens = [...SECTIONS.map((s) => s.path), '/campaigns/new', '/campaigns/3', '/templates/new', '/segments/new', '/segments/4', '/customers/C1'];
    for (const url of screens) {
      const res = await server.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(200);
      expect(res.body, url).toContain('<div id="root">');
    }
  });

  it('serves hashed assets with a year of caching, and 404 for one that is not there', async () => {
    const asset = await server.inject({ method: 'GET', url: '/assets/index-abc123.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['cache-control']).toContain('immutable');
    expect((await server.inject({ method: 'GET', url: '/assets/missing.js' })).statusCode).toBe(404);
  });

  it('leaves the API, the health check and the API docs where they were', async () => {
    expect((await server.inject({ method: 'GET', url: '/health' })).json()).toEqual({ status: 'ok' });
    const session = await server.inject({ method: 'GET', url: '/v1/session' });
    expect(session.statusCode).toBe(200);
    expect(session.json()).toEqual({ signedIn: false });
  });
});
