/**
 * `lupa ads segments link` as a process beside a running server (docs/sites-and-ads.md, "Audiences
 * for advertisers"): the command builds the link from its own settings, not by asking the server.
 * With the server's LUPA_HOST and LUPA_PORT and no LUPA_PUBLIC_URL, the link opens the catalogue
 * on that server, and stderr says which address it assumed; with LUPA_PUBLIC_URL the link starts
 * with it (the address advertisers reach) and no note is printed.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { createApp, type App } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { buildServer } from '../../src/http/server.ts';
import { freePort } from '../docs/run-docs.ts';
import { lupa, PROCESS_TEST_TIMEOUT_MS } from '../support/processes.ts';
import { describeOnStore, freshStore, type TestStore } from '../support/stores.ts';

vi.setConfig({ testTimeout: PROCESS_TEST_TIMEOUT_MS });

describeOnStore('sqlite', 'lupa ads segments link beside a running server', () => {
  let store: TestStore;
  let app: App;
  let server: FastifyInstance;
  let env: Record<string, string>;
  beforeAll(async () => {
    store = await freshStore('sqlite');
    const port = await freePort();
    env = { LUPA_DATABASE_URL: store.url, LUPA_HOST: '127.0.0.1', LUPA_PORT: String(port) };
    expect((await lupa(['migrate'], env)).code).toBe(0);
    app = await createApp(loadConfig({ ...env, LUPA_LOG_LEVEL: 'silent' }));
    server = await buildServer(app);
    await server.listen({ host: '127.0.0.1', port });
  });
  afterAll(async () => {
    await server?.close();
    await app?.close();
    await store?.drop();
  });

  it("prints a link that opens the catalogue on the server of this shell's LUPA_HOST and LUPA_PORT, and says so", async () => {
    const run = await lupa(['ads', 'segments', 'link', '--days', '14'], env);
    expect(run.code).toBe(0);
    const url = run.stdout.split('\n')[0] ?? '';
    expect(url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${env['LUPA_PORT']}/a/`));
    expect(run.stderr).toContain(`LUPA_PUBLIC_URL is not set, so this link assumes the catalogue page is reached at http://127.0.0.1:${env['LUPA_PORT']}`);
    expect(run.stderr).toContain('lupa ads segments link --days 14');
    const page = await fetch(url);
    expect(page.status).toBe(200);
  });

  it('starts the link with LUPA_PUBLIC_URL when it is set, without a note', async () => {
    const run = await lupa(['ads', 'segments', 'link', '--json'], { ...env, LUPA_PUBLIC_URL: 'https://lupa.uutisvirta.fi' });
    expect(run.code).toBe(0);
    expect((JSON.parse(run.stdout) as { url: string }).url).toMatch(/^https:\/\/lupa\.uutisvirta\.fi\/a\//);
    expect(run.stderr).toBe('');
  });
});
