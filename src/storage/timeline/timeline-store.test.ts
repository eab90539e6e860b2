/**
 * The customer's timeline as stored, on both stores: entries of every source merged newest first
 * in one total order (time, kind, id), paged by the cursor with equal times across sources and
 * within a source (no entry twice, none left out), filtered by kind and window, and only the
 * customer's own entries.
 */
import { expect, it } from 'vitest';
import { describeEachStore } from '../../../test/support/stores.ts';
import { ROUND, seedHistory } from '../../../test/support/timeline-fixture.ts';
import type { CustomerId, Instant } from '../../core/records.ts';
import { compareEntries, decodeTimelineCursor, nextCursor, type TimelineEntry, type TimelineQuery } from '../../core/timeline.ts';
import type { TimelineTables } from './source.ts';
import type { Kysely } from 'kysely';

const NEWEST = Date.parse('2026-05-01T12:00:00.000Z');
const T1 = 'T1' as CustomerId;

describeEachStore('the customer timeline as stored', (ctx) => {
  const base: TimelineQuery = { customerId: T1, kinds: [], from: null, before: null, cursor: null, limit: 1000 };
  let total = 0;

  const pageThrough = async (query: Omit<TimelineQuery, 'cursor'>): Promise<TimelineEntry[]> => {
    const seen: TimelineEntry[] = [];
    let cursor: string | null = null;
    for (let pages = 0; pages < 1000; pages++) {
      const { entries, more }: { entries: TimelineEntry[]; more: boolean } = await ctx.app.stores.timeline.page({ ...query, cursor: cursor === null ? null : decodeTimelineCursor(cursor) });
      seen.push(...entries);
      cursor = nextCursor(entries, more);
      if (cursor === null) return seen;
    }
    throw new Error('paging did not end');
  };

  it('has one source per kind, each kind once', () => {
    const kinds = ctx.app.stores.timeline.kinds;
    expect(new Set(kinds).size).toBe(kinds.length);
    expect(kinds).toHaveLength(ROUND);
  });

  it('merges every source newest first, then by kind and id, with the summary fields of each', async () => {
    const s = ctx.app.stores;
    const db = ctx.app.database.db as unknown as Kysely<TimelineTables>;
    for (const id of ['T1', 'T2'] as CustomerId[]) {
      await s.customers.insertCustomer({ id, kind: 'person', name: id, emails: [`${id.toLowerCase()}@example.fi`], phones: [], address: null, locale: null, createdAt: '2020-01-01T00:00:00.000Z' as Instant, updatedAt: '2020-01-01T00:00:00.000Z' as Instant });
    }
    total = await seedHistory(db, { customerId: 'T1', email: 't1@example.fi', rounds: 9, newest: NEWEST });
    // Another customer's history (and the same suppression table) must not show.
    await seedHistory(db, { customerId: 'T2', email: 't2@example.fi', rounds: 2, newest: NEWEST });

    const { entries, more } = await s.timeline.page(base);
    expect(more).toBe(false);
    expect(entries).toHaveLength(total);
    expect([...entries].sort(compareEntries)).toEqual(entries);
    expect(new Set(entries.map((e) => e.kind))).toEqual(new Set(s.timeline.kinds));
    expect(entries.every((e) => e.at <= new Date(NEWEST).toISOString())).toBe(true);
    const message = entries.find((e) => e.kind === 'message' && e.summary['state'] === 'skipped');
    expect(message?.summary).toMatchObject({ campaign: expect.stringMatching(/^History /), reasons: ['NO_CONSENT', 'SUPPRESSED'], sentAt: null });
    const sent = entries.find((e) => e.kind === 'message' && e.summary['state'] === 'sent');
    expect(sent?.summary['openedAt']).toBe(sent?.at);
    expect(entries.find((e) => e.kind === 'suppression')?.summary).toMatchObject({ channel: 'email', address: 't1@example.fi', liftedAt: null });
    expect(entries.find((e) => e.kind === 'order_started')?.summary).toMatchObject({ productName: 'Timeline Daily', sku: 'TL-SKU' });
    expect(entries.find((e) => e.kind === 'ticket_message')?.summary).toMatchObject({ author: 'customer', subject: expect.stringMatching(/^Question /) });
    expect(entries.find((e) => e.kind === 'offer')?.summary).toMatchObject({ name: 'Three months', outcome: 'shown' });
    expect(entries.find((e) => e.kind === 'interest')?.summary).toMatchObject({ topic: 'news', value: 'interested' });
    // Asked and answered, never the score or the words (rule 11: those are aggregates, or the DPO's).
    expect(entries.filter((e) => e.kind === 'feedback').some((e) => e.summary['answeredAt'] !== null)).toBe(true);
    expect(entries.filter((e) => e.kind === 'feedback').every((e) => !('score' in e.summary) && !('comment' in e.summary))).toBe(true);
    expect(entries.find((e) => e.kind === 'feedback')?.summary).toMatchObject({ survey: 'csat', channel: 'email', state: 'sent' });
    expect(entries.find((e) => e.kind === 'site_event')?.summary).toMatchObject({ site: 'paper.example', type: 'page', page: expect.stringMatching(/^\/news\//) });
    expect(entries.find((e) => e.kind === 'phone_sale')?.summary).toMatchObject({ productName: 'Timeline Daily', state: 'pending', basis: 'written_acceptance', orderId: null });
  });

  it('pages through equal times without a duplicate or a gap, at every page size', async () => {
    const all = (await ctx.app.stores.timeline.page(base)).entries;
    for (const limit of [1, 5, 12, 13, 50]) {
      const paged = await pageThrough({ ...base, limit });
      expect(paged.map((e) => `${e.kind}/${e.id}`), `limit ${limit}`).toEqual(all.map((e) => `${e.kind}/${e.id}`));
    }
  });

  it('reads only the kinds asked for, and only inside the window', async () => {
    const all = (await ctx.app.stores.timeline.page(base)).entries;
    const kinds = ['message', 'order_ended', 'ticket_solved'];
    const chosen = await pageThrough({ ...base, kinds, limit: 4 });
    expect(chosen).toEqual(all.filter((e) => kinds.includes(e.kind)));
    const from = all[30]?.at as Instant;
    const before = all[5]?.at as Instant;
    const windowed = await pageThrough({ ...base, from, before, limit: 7 });
    expect(windowed).toEqual(all.filter((e) => e.at >= from && e.at < before));
    expect(windowed.length).toBeGreaterThan(0);
  });
});
