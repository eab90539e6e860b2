/**
 * The customer's history over the API, on both stores: pages by the cursor with the filters kept,
 * every page read audited (who, which customer, what was asked; never the entries), refused to a
 * marketer and an analyst, kinds and the window checked.
 */
import type { Kysely } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import { describeEachStore } from '../../test/support/stores.ts';
import { seedHistory } from '../../test/support/timeline-fixture.ts';
import type { CustomerId, Instant } from '../core/records.ts';
import type { TimelineEntry } from '../core/timeline.ts';
import type { TimelineTables } from '../storage/timeline/source.ts';
import { json, useClient } from './testing.ts';

type Page = { customerId: string; entries: TimelineEntry[]; next: string | null };
const NEWEST = Date.parse('2026-06-01T09:00:00.000Z');

describeEachStore('the customer timeline over the API', (ctx) => {
  const client = useClient(ctx);
  let total = 0;

  beforeAll(async () => {
    const at = '2020-01-01T00:00:00.000Z' as Instant;
    await ctx.app.stores.customers.insertCustomer({ id: 'H1' as CustomerId, kind: 'person', name: 'Hilla', emails: ['hilla@example.fi'], phones: [], address: null, locale: 'fi', createdAt: at, updatedAt: at });
    total = await seedHistory(ctx.app.database.db as unknown as Kysely<TimelineTables>, { customerId: 'H1', email: 'hilla@example.fi', rounds: 4, newest: NEWEST });
  });

  it('pages through the whole history with the cursor, each page read audited', async () => {
    const before = (await ctx.app.stores.audit.forCustomer('H1' as CustomerId)).length;
    const seen: TimelineEntry[] = [];
    let url = '/v1/customers/H1/timeline?limit=10';
    let pages = 0;
    for (;;) {
      const res = await client.get(url, 'agent');
      expect(res.statusCode).toBe(200);
      const page = json<Page>(res);
      seen.push(...page.entries);
      pages += 1;
      if (page.next === null) break;
      url = `/v1/customers/H1/timeline?limit=10&cursor=${encodeURIComponent(page.next)}`;
    }
    expect(seen).toHaveLength(total);
    expect(new Set(seen.map((e) => `${e.kind}/${e.id}`)).size).toBe(total);
    const audits = (await ctx.app.stores.audit.forCustomer('H1' as CustomerId)).slice(before);
    expect(audits.filter((a) => a.action === 'customers.timeline')).toHaveLength(pages);
    expect(audits[0]).toMatchObject({ role: 'agent', detail: { kinds: 'all', page: 'first', entries: 10 } });
    expect(JSON.stringify(audits)).not.toContain('hilla@example.fi');
  });

  it('filters by kinds and a window, keeping them across pages', async () => {
    const first = json<Page>(await client.get('/v1/customers/H1/timeline?kinds=call,recording&limit=3&after=2026-06-01T08:57:00Z&before=2026-06-01T09:00:00Z', 'dpo'));
    expect(first.entries.map((e) => e.kind).every((k) => k === 'call' || k === 'recording')).toBe(true);
    expect(first.entries.every((e) => e.at >= '2026-06-01T08:57:00.000Z' && e.at < '2026-06-01T09:00:00.000Z')).toBe(true);
    const rest = json<Page>(await client.get(`/v1/customers/H1/timeline?kinds=call,recording&limit=100&after=2026-06-01T08:57:00Z&before=2026-06-01T09:00:00Z&cursor=${encodeURIComponent(first.next ?? '')}`, 'dpo'));
    // Rounds 2 (08:59) and 3 (08:58) fall in the window; rounds 0 and 1 are at 09:00, outside: a call and a recording each.
    expect(first.entries.length + rest.entries.length).toBe(4);
    expect(rest.next).toBeNull();
  });

  it('refuses a marketer and an analyst, and an unknown kind, customer, cursor or window', async () => {
    expect((await client.get('/v1/customers/H1/timeline', 'marketer')).statusCode).toBe(403);
    expect((await client.get('/v1/customers/H1/timeline', 'analyst')).statusCode).toBe(403);
    const unknownKind = await client.get('/v1/customers/H1/timeline?kinds=message,gossip', 'agent');
    expect([unknownKind.statusCode, json(unknownKind)]).toMatchObject([400, { error: 'VALIDATION_FAILED', field: 'kinds' }]);
    expect(json(await client.get('/v1/customers/NOPE/timeline', 'agent'))).toMatchObject({ error: 'UNKNOWN_CUSTOMER' });
    expect(json(await client.get('/v1/customers/H1/timeline?cursor=abc', 'agent'))).toMatchObject({ error: 'VALIDATION_FAILED', field: 'cursor' });
    expect((await client.get('/v1/customers/H1/timeline?after=2026-02-01&before=2026-01-01', 'agent')).statusCode).toBe(400);
  });
});
