/**
 * `lupa events stats`: events per site, page, slot and name, kept per visitor beside only counted,
 * over the time range asked; a malformed time exits 2 naming the option.
 */
import { expect, it, vi } from 'vitest';
import { createApp } from '../../src/composition-root.ts';
import { loadConfig } from '../../src/config.ts';
import type { Instant } from '../../src/core/records.ts';
import { lupa, PROCESS_TEST_TIMEOUT_MS } from '../support/processes.ts';
import { describeEachStoreUrl } from '../support/stores.ts';

vi.setConfig({ testTimeout: PROCESS_TEST_TIMEOUT_MS });

describeEachStoreUrl('lupa events stats', (store) => {
  const run = (args: string[]) => lupa(['--db', store().url, ...args]);

  it('prints consented and counted events side by side', async () => {
    const app = await createApp(loadConfig({ LUPA_DATABASE_URL: store().url, LUPA_LOG_LEVEL: 'silent' }));
    const at = '2026-11-30T09:30:00.000Z' as Instant;
    const event = { site: 'uutisvirta.fi', visitorId: 'vis_cli_000000000001', type: 'page' as const, name: 'page_view', page: '/urheilu', slot: null, props: null, clientAt: null, at };
    await app.stores.siteEvents.append({ events: [event, event], counts: [{ site: 'uutisvirta.fi', hour: '2026-11-30T09:00:00.000Z' as Instant, page: '/urheilu', slot: '', name: 'page_view', count: 5 }], identifications: [] });
    await app.close();
    const res = await run(['events', 'stats', '--since', '2026-11-30T00:00:00Z', '--until', '2026-12-01T00:00:00Z', '--json']);
    expect(res.code).toBe(0);
    expect(JSON.parse(res.stdout)).toEqual([{ site: 'uutisvirta.fi', page: '/urheilu', slot: '', name: 'page_view', withConsent: 2, withoutConsent: 5 }]);
    expect(JSON.parse((await run(['events', 'stats', '--since', '2026-12-01T00:00:00Z', '--until', '2026-12-02T00:00:00Z', '--json'])).stdout)).toEqual([]);
    const bad = await run(['events', 'stats', '--since', 'eilen']);
    expect([bad.code, bad.stderr]).toEqual([2, expect.stringContaining('since')]);
  });
});
