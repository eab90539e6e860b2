/**
 * `lupa remarketing create|list|show|refresh`: a list made from flags has its members at once (the
 * visitor who started an order and did not finish, not the one who finished); a name taken exits 4,
 * a malformed number of days exits 2 naming the option.
 */
import { expect, it, vi } from 'vitest';
import { createApp } from '../../src/composition-root.ts';
import { loadConfig } from '../../src/config.ts';
import type { Instant } from '../../src/core/records.ts';
import type { VisitorEvent } from '../../src/core/site-events/site-events.ts';
import { lupa, PROCESS_TEST_TIMEOUT_MS } from '../support/processes.ts';
import { describeEachStoreUrl } from '../support/stores.ts';

vi.setConfig({ testTimeout: PROCESS_TEST_TIMEOUT_MS });

describeEachStoreUrl('lupa remarketing', (store) => {
  const run = (args: string[]) => lupa(['--db', store().url, ...args]);

  it('creates a list with its members, shows, lists and refreshes it', async () => {
    const app = await createApp(loadConfig({ LUPA_DATABASE_URL: store().url, LUPA_LOG_LEVEL: 'silent' }));
    const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString() as Instant;
    const event = (visitorId: string, name: string, at: Instant): VisitorEvent => ({ site: 'uutisvirta.fi', visitorId, type: 'track', name, page: '/tilaa', slot: null, props: null, clientAt: null, at });
    await app.stores.siteEvents.append({
      events: [event('vis_cli_started_0001', 'subscription_started', ago(90)), event('vis_cli_finished_001', 'subscription_started', ago(80)), event('vis_cli_finished_001', 'subscription_completed', ago(70))],
      counts: [],
      identifications: [],
    });
    await app.close();
    const created = await run(['remarketing', 'create', 'tilaus-kesken', '--event', 'subscription_started', '--days', '7', '--page', '/tilaa', '--not-followed-by', 'subscription_completed', '--json']);
    expect(created.code).toBe(0);
    expect(JSON.parse(created.stdout)).toMatchObject({ id: 1, name: 'tilaus-kesken', members: 1, pagePrefix: '/tilaa', notFollowedBy: 'subscription_completed' });
    expect((await run(['remarketing', 'show', '1'])).stdout).toContain('subscription_started on /tilaa within 7 days, not followed by subscription_completed');
    expect((await run(['remarketing', 'list'])).stdout).toMatch(/tilaus-kesken .* 1 /);
    expect(JSON.parse((await run(['remarketing', 'refresh', '1', '--json'])).stdout)).toMatchObject({ listId: 1, members: 1 });
    const taken = await run(['remarketing', 'create', 'tilaus-kesken', '--event', 'page_view', '--days', '7']);
    expect([taken.code, taken.stderr]).toEqual([4, expect.stringContaining('REMARKETING_LIST_EXISTS')]);
    const bad = await run(['remarketing', 'create', 'x', '--event', 'page_view', '--days', 'viikko']);
    expect([bad.code, bad.stderr]).toEqual([2, expect.stringContaining('withinDays')]);
  });
});
