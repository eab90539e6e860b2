/**
 * Remarketing lists on both stores: a list's members computed in SQL equal an in-memory reading of
 * the same rule over generated site events (window, site, page prefix, "and did not do Y after
 * it"); events without consent put nobody on a list; a visitor signed in as a customer whose ledger
 * refuses (site_ads withdrawn, an objection to direct marketing or to profiling) is left out, one
 * whose latest site_ads record is a grant again is not; an objection takes them off at once.
 */
import { beforeAll, expect, it } from 'vitest';
import { describeEachStore } from '../../../test/support/stores.ts';
import type { NewLedgerRecord } from '../../core/ports.ts';
import type { CustomerId, Instant } from '../../core/records.ts';
import { windowStart, type RemarketingRule } from '../../core/remarketing.ts';
import type { Identification, VisitorEvent } from '../../core/site-events/site-events.ts';

const NOW = '2026-11-20T12:00:00.000Z' as Instant;
const NAMES = ['page_view', 'subscription_started', 'subscription_completed', 'article_read'];
const PAGES = ['/', '/tilaa', '/tilaa/vahvista', '/urheilu', '/urheilu/jaakiekko'];
const SITES = ['uutisvirta.fi', 'maakunta.fi'];
const VISITORS = 60;

/** A small deterministic generator (mulberry32), so a failure is the same on every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const visitor = (i: number): string => `vis_rm_${String(i).padStart(16, '0')}`;

function generatedEvents(count: number): VisitorEvent[] {
  const rnd = random(46);
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const events: VisitorEvent[] = [];
  for (let i = 0; i < count; i++) {
    // Distinct instants over the last 50 days, and a few in the future of the refresh (not counted).
    const at = new Date(Date.parse(NOW) - Math.floor(rnd() * 50 * 86_400_000) + (i % 97 === 0 ? 3_600_000 : 0) + i).toISOString() as Instant;
    events.push({ site: pick(SITES), visitorId: visitor(Math.floor(rnd() * VISITORS)), type: 'track', name: pick(NAMES), page: pick(PAGES), slot: null, props: null, clientAt: null, at });
  }
  return events;
}

/** The rule read over events in memory: the reference the SQL must equal. */
function membersInMemory(rule: RemarketingRule, events: readonly VisitorEvent[], at: Instant, refused: ReadonlySet<string>): string[] {
  const since = windowStart(at, rule.withinDays);
  const onSite = (e: VisitorEvent) => rule.site === null || e.site === rule.site;
  const latest = new Map<string, Instant>();
  for (const e of events) {
    if (e.name !== rule.event || e.at < since || e.at > at || !onSite(e)) continue;
    if (rule.pagePrefix !== null && !e.page.startsWith(rule.pagePrefix)) continue;
    if ((latest.get(e.visitorId) ?? '') < e.at) latest.set(e.visitorId, e.at);
  }
  return [...latest]
    .filter(([v, x]) => rule.notFollowedBy === null || !events.some((y) => y.visitorId === v && y.name === rule.notFollowedBy && y.at > x && y.at <= at && onSite(y)))
    .map(([v]) => v)
    .filter((v) => !refused.has(v))
    .sort();
}

const RULES: RemarketingRule[] = [
  { site: null, event: 'subscription_started', pagePrefix: null, withinDays: 30, notFollowedBy: 'subscription_completed' },
  { site: 'uutisvirta.fi', event: 'subscription_started', pagePrefix: '/tilaa', withinDays: 14, notFollowedBy: 'subscription_completed' },
  { site: null, event: 'page_view', pagePrefix: '/urheilu', withinDays: 7, notFollowedBy: null },
  { site: 'maakunta.fi', event: 'article_read', pagePrefix: null, withinDays: 45, notFollowedBy: null },
  { site: null, event: 'article_read', pagePrefix: '/', withinDays: 1, notFollowedBy: 'page_view' },
];

const record = (customerId: string, r: Partial<NewLedgerRecord> & Pick<NewLedgerRecord, 'kind'>): NewLedgerRecord =>
  ({ customerId: customerId as CustomerId, at: '2026-11-01T00:00:00.000Z' as Instant, source: 'test', noticeVersion: null, noticeLocale: null, evidenceRef: null, ...r }) as NewLedgerRecord;

describeEachStore('remarketing lists', (ctx) => {
  const events = generatedEvents(1500);
  /** Visitors 0–5 signed in; 1, 2 and 3 as customers whose ledger refuses, 5 as one no longer in the register. */
  const refused = new Set([visitor(1), visitor(2), visitor(3), visitor(5)]);

  beforeAll(async () => {
    const s = ctx.app.stores;
    for (let i = 0; i < 5; i++) {
      await s.customers.insertCustomer({ id: `RM${i}` as CustomerId, kind: 'person', name: `Reader ${i}`, emails: [`rm${i}@example.fi`], phones: [], address: null, locale: 'fi', createdAt: NOW, updatedAt: NOW });
    }
    await s.ledger.append([
      record('RM0', { kind: 'consent', purpose: 'site_ads', channel: 'web', value: 'granted' }),
      record('RM1', { kind: 'consent', purpose: 'site_ads', channel: 'web', value: 'withdrawn' }),
      record('RM2', { kind: 'objection', scope: 'direct_marketing', value: 'objected' }),
      record('RM3', { kind: 'objection', scope: 'profiling', value: 'objected' }),
      // Withdrawn, then granted again: the latest record stands.
      record('RM4', { kind: 'consent', purpose: 'site_ads', channel: null, value: 'withdrawn' }),
      record('RM4', { kind: 'consent', purpose: 'site_ads', channel: 'web', value: 'granted', at: '2026-11-02T00:00:00.000Z' as Instant }),
    ]);
    const identifications: Identification[] = [0, 1, 2, 3, 4, 5].map((i) => ({ site: 'uutisvirta.fi', visitorId: visitor(i), customerId: i === 5 ? 'ERASED' : `RM${i}`, at: NOW }));
    for (let i = 0; i < events.length; i += 100) await s.siteEvents.append({ events: events.slice(i, i + 100), counts: [], identifications: i === 0 ? identifications : [] });
    // Events without consent: counted only, under no visitor; they can put nobody on a list.
    await s.siteEvents.append({ events: [], counts: [{ site: 'uutisvirta.fi', hour: '2026-11-20T11:00:00.000Z' as Instant, page: '/tilaa', slot: '', name: 'subscription_started', count: 500 }], identifications: [] });
    await s.siteEvents.flush();
  });

  it('computes the same members in SQL as the rule read in memory', async () => {
    const s = ctx.app.stores.remarketing;
    for (const [i, rule] of RULES.entries()) {
      const list = await s.create({ name: `list-${i}`, rule, by: 'test', at: NOW });
      const done = await s.refresh(list.id, NOW);
      const expected = membersInMemory(rule, events, NOW, refused);
      expect(expected.length, `rule ${i} should select someone`).toBeGreaterThan(0);
      const actual: string[] = [];
      for (let v = 0; v < VISITORS; v++) if ((await s.listsOfVisitor(visitor(v), null)).some((l) => l.id === list.id)) actual.push(visitor(v));
      expect(actual, `rule ${i}`).toEqual(expected);
      expect(done.members).toBe(expected.length);
      expect((await s.get(list.id))?.members).toBe(expected.length);
    }
  });

  it('leaves out visitors signed in as customers whose ledger refuses, and keeps one granted again', async () => {
    const rule: RemarketingRule = { site: null, event: 'page_view', pagePrefix: null, withinDays: 60, notFollowedBy: null };
    const list = await ctx.app.stores.remarketing.create({ name: 'everyone', rule, by: 'test', at: NOW });
    await ctx.app.stores.remarketing.refresh(list.id, NOW);
    const on = async (i: number) => (await ctx.app.stores.remarketing.listsOfVisitor(visitor(i), null)).some((l) => l.id === list.id);
    const seen = new Set(events.filter((e) => e.name === 'page_view' && e.at <= NOW).map((e) => e.visitorId));
    for (const i of [0, 1, 2, 3, 4, 5]) expect(seen.has(visitor(i)), `visitor ${i} viewed a page`).toBe(true);
    expect([await on(0), await on(1), await on(2), await on(3), await on(4), await on(5)]).toEqual([true, false, false, false, true, false]);
  });

  it("takes a signed-in visitor off every list as soon as the customer objects, before any refresh", async () => {
    const s = ctx.app.stores;
    const everyone = (await s.remarketing.list()).find((l) => l.name === 'everyone');
    expect((await s.remarketing.listsOfVisitor(visitor(0), null)).map((l) => l.id)).toContain(everyone?.id);
    await s.ledger.append([record('RM0', { kind: 'objection', scope: 'direct_marketing', value: 'objected', at: NOW })]);
    expect(await s.remarketing.listsOfVisitor(visitor(0), null)).toEqual([]);
    // Another visitor is untouched.
    expect((await s.remarketing.listsOfVisitor(visitor(4), null)).map((l) => l.id)).toContain(everyone?.id);
    refused.add(visitor(0));
  });

  it('puts nobody on a list from events without consent, and answers only lists of the site asked', async () => {
    const s = ctx.app.stores.remarketing;
    const list = await s.create({ name: 'no-one', rule: { site: 'uutisvirta.fi', event: 'subscription_started', pagePrefix: '/tilaa', withinDays: 1, notFollowedBy: null }, by: 'test', at: NOW });
    const expected = membersInMemory({ ...list }, events, NOW, refused);
    expect((await s.refresh(list.id, NOW)).members).toBe(expected.length);
    const site = (await s.list()).find((l) => l.name === 'list-3');
    const member = membersInMemory(RULES[3] as RemarketingRule, events, NOW, refused)[0] as string;
    expect((await s.listsOfVisitor(member, 'maakunta.fi')).map((l) => l.id)).toContain(site?.id);
    expect((await s.listsOfVisitor(member, 'uutisvirta.fi')).map((l) => l.id)).not.toContain(site?.id);
  });

  it('refreshes a list again from scratch, and removes a list with its members', async () => {
    const s = ctx.app.stores.remarketing;
    const list = (await s.list()).find((l) => l.name === 'list-0');
    if (list === undefined) throw new Error('list-0 missing');
    // A refresh a day later: the window moved, members are replaced, not added to.
    const later = '2026-11-21T12:00:00.000Z' as Instant;
    expect((await s.refresh(list.id, later)).members).toBe(membersInMemory(list, events, later, refused).length);
    expect(await s.remove(list.id)).toBe(true);
    expect(await s.remove(list.id)).toBe(false);
    await expect(s.refresh(list.id, NOW)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(s.create({ name: 'list-1', rule: RULES[0] as RemarketingRule, by: 'test', at: NOW })).rejects.toMatchObject({ code: 'REMARKETING_LIST_EXISTS' });
  });
});
