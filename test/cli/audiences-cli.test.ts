/**
 * `lupa audiences` as the contract has it: `hash --platform P [--email] [--phone] [--country] --json`
 * prints `{"email": hex|null, "phone": hex|null}`; `preview --platform meta --json [filters]` prints
 * `{"eligible": n, "blocked": {...}}`, equal to `lupa decide --purpose ad_audience --channel web`
 * customer by customer; a sync without the platform's settings exits 6 and sends nothing.
 */
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { beforeAll, expect, it, vi } from 'vitest';
import { lupa, PROCESS_TEST_TIMEOUT_MS } from '../support/processes.ts';
import { startStandIns } from '../support/stand-ins-runner.ts';
import { describeEachStoreUrl } from '../support/stores.ts';

vi.setConfig({ testTimeout: PROCESS_TEST_TIMEOUT_MS });
const sha = (s: string): string => createHash('sha256').update(s).digest('hex');

describeEachStoreUrl('lupa audiences', (store) => {
  const run = (args: string[]) => lupa(['--db', store().url, ...args]);

  beforeAll(async () => {
    expect((await run(['demo', '--customers', '40'])).code).toBe(0);
  });

  it('prints the exact hashes each platform gets', async () => {
    const meta = await run(['audiences', 'hash', '--platform', 'meta', '--email', ' First.Last@Gmail.COM ', '--phone', '00358 40 123 4567', '--json']);
    expect(meta.code).toBe(0);
    expect(JSON.parse(meta.stdout)).toEqual({ email: sha('first.last@gmail.com'), phone: sha('358401234567') });
    const google = await run(['audiences', 'hash', '--platform', 'google', '--email', 'first.last+x@googlemail.com', '--phone', '070-123 45 67', '--country', 'SE', '--json']);
    expect(JSON.parse(google.stdout)).toEqual({ email: sha('firstlast+x@googlemail.com'), phone: sha('+46701234567') });
    expect(JSON.parse((await run(['audiences', 'hash', '--platform', 'meta', '--json'])).stdout)).toEqual({ email: null, phone: null });
    expect((await run(['audiences', 'hash', '--platform', 'tiktok', '--json'])).code).toBe(2);
  });

  it('says on stderr which given identifier would not be uploaded, the answer staying null', async () => {
    const odd = await run(['audiences', 'hash', '--platform', 'meta', '--email', 'not-an-email', '--phone', '12', '--json']);
    expect(odd.code).toBe(0);
    expect(JSON.parse(odd.stdout)).toEqual({ email: null, phone: null });
    expect(odd.stderr).toContain('--email is not an e-mail address');
    expect(odd.stderr).toContain('--phone is not a phone number');
    // The values given are not repeated back.
    expect(odd.stderr).not.toContain('not-an-email');
    expect((await run(['audiences', 'hash', '--platform', 'google', '--json'])).stderr).toContain('give --email, --phone or both');
    expect((await run(['audiences', 'hash', '--platform', 'meta', '--email', 'a@b.fi', '--json'])).stderr).toBe('');
  });

  it('previews the upload as per-customer decide counts it', async () => {
    const preview = await run(['audiences', 'preview', '--platform', 'meta', '--json']);
    expect(preview.code).toBe(0);
    const counts = JSON.parse(preview.stdout) as { eligible: number; blocked: Record<string, number> };
    expect(Object.keys(counts).sort()).toEqual(['blocked', 'eligible']);
    let eligible = 0;
    const blocked: Record<string, number> = {};
    for (let i = 1; i <= 40; i++) {
      const id = `C${String(i).padStart(7, '0')}`;
      const d = JSON.parse((await run(['decide', '--customer', id, '--purpose', 'ad_audience', '--channel', 'web', '--json'])).stdout) as { allowed: boolean; reasons: string[] };
      if (d.allowed) eligible += 1;
      else for (const r of d.reasons) blocked[r] = (blocked[r] ?? 0) + 1;
    }
    expect(counts).toEqual({ eligible, blocked });
  });

  it('creates, lists and refuses a sync to a platform without settings', async () => {
    expect((await run(['audiences', 'create', '--name', 'Meta', '--platform', 'meta', '--external-id', '123'])).code).toBe(0);
    expect((await run(['audiences', 'list', '--json'])).stdout).toContain('"name":"Meta"');
    const sync = await run(['audiences', 'sync', '1']);
    expect(sync.code).toBe(6);
    expect(sync.stderr).toContain('AD_PLATFORM_NOT_CONFIGURED');
    expect(JSON.parse((await run(['audiences', 'status', '1', '--json'])).stdout)).toMatchObject({ audience: { identifiers: 0, lastSync: null } });
    // Before a first sync, the status tells who would be uploaded now, by reason, as the preview counts them.
    const preview = JSON.parse((await run(['audiences', 'preview', '--platform', 'meta', '--json'])).stdout) as { eligible: number; blocked: Record<string, number> };
    const text = (await run(['audiences', 'status', '1'])).stdout;
    expect(text).toContain(`identifiers; not synced yet\n  now: ${preview.eligible} eligible`);
    for (const [reason, n] of Object.entries(preview.blocked)) expect(text).toContain(`${reason} ${n}`);
  });

  it("exits with the failure's code when a sync fails, also when syncing every audience", async () => {
    expect((JSON.parse((await run(['audiences', 'preview', '--platform', 'meta', '--json'])).stdout) as { eligible: number }).eligible).toBeGreaterThan(0);
    // A platform that refuses every request: AD_PLATFORM_UNAVAILABLE without retries (no rate limit).
    const refusing = createServer((_req, res) => res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":{"code":2}}'));
    await new Promise<void>((resolve) => refusing.listen(0, '127.0.0.1', resolve));
    const { port } = refusing.address() as AddressInfo;
    const env = { LUPA_META_API_URL: `http://127.0.0.1:${port}`, LUPA_META_ACCESS_TOKEN: 'meta-token' };
    try {
      const one = await lupa(['--db', store().url, 'audiences', 'sync', '1'], env);
      expect(one.code).toBe(7);
      expect(one.stderr).toContain('AD_PLATFORM_UNAVAILABLE');
      // Every audience in turn: the failure is said and the exit code is not 0 (it was).
      const all = await lupa(['--db', store().url, 'audiences', 'sync'], env);
      expect(all.stderr).toContain('ad audience 1: sync failed: AD_PLATFORM_UNAVAILABLE');
      expect(all.code).toBe(7);
    } finally {
      await new Promise((resolve) => refusing.close(resolve));
    }
  });

  it('syncs to the stand-ins `npm run stand-ins` starts, with the settings it prints (docs/sites-and-ads.md)', async () => {
    const running = await startStandIns({ metaPort: 0, googlePort: 0 });
    try {
      for (const [key, value] of Object.entries(running.settings)) expect(running.instructions).toContain(`${key}=${value}`);
      expect((await run(['audiences', 'create', '--name', 'Google', '--platform', 'google', '--external-id', '456'])).code).toBe(0);
      const google = JSON.parse((await run(['audiences', 'list', '--json'])).stdout) as { audiences?: { id: number; name: string }[] } | { id: number; name: string }[];
      const list = Array.isArray(google) ? google : (google.audiences ?? []);
      const googleId = list.find((a) => a.name === 'Google')?.id;
      const meta = await lupa(['--db', store().url, 'audiences', 'sync', '1'], running.settings);
      expect(meta.code, meta.stderr).toBe(0);
      const sync = await lupa(['--db', store().url, 'audiences', 'sync', String(googleId)], running.settings);
      expect(sync.code, sync.stderr).toBe(0);
      expect(running.refusals()).toEqual([]);
      expect(running.meta.members('123').size).toBeGreaterThan(0);
      expect(running.google.members('456').size).toBeGreaterThan(0);
      expect(running.summary()).toMatch(/^Meta: .*POST users \d+.*; 0 refused\nGoogle: .*; 0 refused\n$/);
    } finally {
      await running.close();
    }
  });
});
