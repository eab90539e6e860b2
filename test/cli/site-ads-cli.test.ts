/**
 * `lupa ads list|create|update|report` as documented: an ad is created for the company's own site,
 * listed, stopped; a target elsewhere exits 2 naming the field; the report counts impressions and
 * clicks with people and aggregate apart, and `lupa ads segments` is still there beside them.
 */
import { beforeAll, expect, it, vi } from 'vitest';
import { lupa, PROCESS_TEST_TIMEOUT_MS } from '../support/processes.ts';
import { describeEachStoreUrl } from '../support/stores.ts';

vi.setConfig({ testTimeout: PROCESS_TEST_TIMEOUT_MS });

describeEachStoreUrl('lupa ads (own-product ads)', (store) => {
  const run = (args: string[]) => lupa(['--db', store().url, ...args], { LUPA_SITE_ORIGINS: 'https://uutisvirta.fi' });

  beforeAll(async () => {
    expect((await run(['migrate'])).code).toBe(0);
  });

  it('creates, lists, stops and reports an ad', async () => {
    const bad = await run(['ads', 'create', '--name', 'X', '--headline', 'H', '--text', 'T', '--target', 'https://elsewhere.example/x', '--placement', 'front-top']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('targetUrl');
    const created = await run(['ads', 'create', '--name', 'Print trial', '--headline', 'Uutisvirta on paper', '--text', 'First month 9.90 €', '--target', 'https://uutisvirta.fi/tilaa', '--placement', 'front-top,article-side', '--image', '/img/uv.png', '--json']);
    expect(created.code).toBe(0);
    const ad = JSON.parse(created.stdout) as { id: number; placements: string[]; active: boolean };
    expect(ad).toMatchObject({ placements: ['front-top', 'article-side'], active: true });
    const listed = await run(['ads', 'list']);
    expect(listed.stdout).toContain('Print trial');
    expect(listed.stdout).toMatch(/^id\s+name\s+state\s+runs\s/m);
    // A new end date is said back (it was not).
    const until = await run(['ads', 'update', String(ad.id), '--until', '2027-01-01T00:00:00Z']);
    expect(until.stdout).toContain('runs until 2027-01-01T00:00:00.000Z');
    const stopped = await run(['ads', 'update', String(ad.id), '--stop', '--json']);
    expect(JSON.parse(stopped.stdout)).toMatchObject({ id: ad.id, active: false, headline: 'Uutisvirta on paper' });
    const report = await run(['ads', 'report', String(ad.id), '--json']);
    expect(report.code).toBe(0);
    expect(JSON.parse(report.stdout)).toMatchObject({ adId: ad.id, total: { impressions: 0, clicks: 0, ctr: null }, people: { impressions: 0 }, aggregate: { impressions: 0 } });
    expect((await run(['ads', 'report', '999'])).code).not.toBe(0);
    expect((await run(['ads', 'segments', 'list'])).code).toBe(0);
  });
});
