/**
 * `lupa offers` as documented: the demo's offers are listed with their rates, a customer's offers
 * are ranked on a channel with the offers not made and why, a wrong field exits 2 naming it, and a
 * recorded outcome is counted in the stats.
 */
import { beforeAll, expect, it, vi } from 'vitest';
import { lupa, PROCESS_TEST_TIMEOUT_MS } from '../support/processes.ts';
import { describeEachStoreUrl } from '../support/stores.ts';

vi.setConfig({ testTimeout: PROCESS_TEST_TIMEOUT_MS });

describeEachStoreUrl('lupa offers', (store) => {
  const run = (args: string[]) => lupa(['--db', store().url, ...args]);

  beforeAll(async () => {
    expect((await run(['demo', '--customers', '200'])).code).toBe(0);
  });

  it('lists the demo offers and ranks a customer’s offers with why the others are not made', async () => {
    const listed = JSON.parse((await run(['offers', 'list', '--json'])).stdout) as { offers: { code: string; stats: { shown: number } }[] };
    expect(listed.offers.map((o) => o.code)).toEqual(['UV-DIGI-12', 'UV-PRINT-7-6', 'KP-DIGI-3', 'KPH-MAG-12', 'ERA-WELCOME']);
    expect(listed.offers[0]?.stats.shown).toBeGreaterThan(0);
    const ranked = await run(['offers', 'rank', 'C0000001', '--channel', 'web', '--explain', '--json']);
    expect(ranked.code).toBe(0);
    const r = JSON.parse(ranked.stdout) as { offers: { code: string }[]; notMade: { code: string; reasons: string[] }[] };
    expect(r.notMade.find((n) => n.code === 'UV-PRINT-7-6')?.reasons).toContain('OFFER_NOT_ON_CHANNEL');
    expect(r.offers.length + r.notMade.length).toBe(5);
  });

  it('names a wrong field, and counts a recorded outcome', async () => {
    const bad = await run(['offers', 'create', '--code', 'X-1', '--name', 'X', '--sku', 'KPH-MAG', '--price', 'ten', '--period', '3', '--channels', 'web', '--fi', 'a', '--sv', 'b', '--en', 'c']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('(price)');
    const created = await run(['offers', 'create', '--code', 'X-1', '--name', 'X', '--sku', 'KPH-MAG', '--price', '10', '--period', '3', '--channels', 'web', '--fi', 'a', '--sv', 'b', '--en', 'c', '--json']);
    expect(created.code).toBe(0);
    const id = (JSON.parse(created.stdout) as { id: number }).id;
    expect((await run(['offers', 'outcome', String(id), 'C0000002', 'shown', '--channel', 'web'])).code).toBe(0);
    expect((await run(['offers', 'outcome', String(id), 'C0000002', 'accepted', '--channel', 'web'])).code).toBe(0);
    const stats = JSON.parse((await run(['offers', 'stats', '--json'])).stdout) as { offers: { code: string; shown: number; accepted: number; acceptanceRate: number | null }[] };
    expect(stats.offers.find((o) => o.code === 'X-1')).toMatchObject({ shown: 1, accepted: 1, acceptanceRate: 1 });
  });
});
