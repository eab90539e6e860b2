/**
 * The `siteEvent` condition of a segment on both stores: the SQL selects exactly whom the in-memory
 * reading selects (name, window, page prefix, site), only customers whose events were kept (signed
 * in, with site_ads consent), and no one who objected to profiling.
 */
import fc from 'fast-check';
import { sql, type Kysely } from 'kysely';
import { expect, it } from 'vitest';
import { describeEachStore } from '../../../test/support/stores.ts';
import { inSegment, type SegmentSubject } from '../../core/segments/evaluate-rule.ts';
import { parseSegmentRule, type SegmentRule } from '../../core/segments/rule.ts';
import type { CustomerId, Instant } from '../../core/records.ts';

const AT = '2026-11-20T12:00:00.000Z' as Instant;
const NAMES = ['page_view', 'subscription_started', 'ad_click'] as const;
const PAGES = ['/urheilu/jaakiekko', '/urheilu', '/tilaa', '/uutiset/a_b', '/'] as const;
const SITES = ['uutisvirta.fi', 'kotipiha.fi'] as const;
const day = (d: number): Instant => new Date(Date.parse(AT) - d * 86_400_000).toISOString() as Instant;

describeEachStore('segments by what customers did on the sites', (ctx) => {
  it('selects in SQL exactly whom the in-memory reading selects, on generated events and rules', async () => {
    const app = ctx.app;
    const db = app.database.db as unknown as Kysely<Record<string, never>>;
    const events = fc.sample(
      fc.record({ customer: fc.integer({ min: 0, max: 29 }), name: fc.constantFrom(...NAMES), page: fc.constantFrom(...PAGES), site: fc.constantFrom(...SITES), daysAgo: fc.integer({ min: 0, max: 120 }) }),
      { numRuns: 300, seed: 7 },
    );
    const subjects = new Map<string, SegmentSubject>();
    for (let i = 0; i < 30; i++) {
      const id = `SE${i}` as CustomerId;
      await app.stores.customers.insertCustomer({ id, kind: 'person', name: id, emails: [], phones: [], address: null, locale: 'fi', createdAt: day(400), updatedAt: day(400) });
      subjects.set(id, { customer: { kind: 'person', locale: 'fi', country: null, city: null, postalCode: null }, orders: [], ledger: [], engagement: [], siteEvents: [] });
    }
    // One customer objected to profiling: in no segment, whatever they did.
    await app.stores.ledger.append([{ kind: 'objection', customerId: 'SE0' as CustomerId, scope: 'profiling', value: 'objected', at: day(200), source: 'test', noticeVersion: null, noticeLocale: null, evidenceRef: null }]);
    (subjects.get('SE0') as { ledger: SegmentSubject['ledger'] }).ledger = [{ kind: 'objection', purpose: 'profiling', channel: null, value: 'objected', at: day(200), seq: 1 }];
    // PostgreSQL keeps site events in day partitions (migration 0040).
    if (app.database.dialect === 'postgres') {
      for (const d of new Set(events.map((e) => day(e.daysAgo).slice(0, 10)))) {
        const next = new Date(Date.parse(`${d}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
        await sql.raw(`CREATE TABLE IF NOT EXISTS site_events_p${d.replaceAll('-', '')} PARTITION OF site_events FOR VALUES FROM ('${d}T00:00:00Z') TO ('${next}T00:00:00Z')`).execute(db);
      }
    }
    for (const e of events) {
      const customerId = `SE${e.customer}`;
      await sql`INSERT INTO site_events (at, site, visitor_id, customer_id, type, name, page) VALUES (${day(e.daysAgo)}, ${e.site}, ${`v-${customerId}`}, ${customerId}, ${'track'}, ${e.name}, ${e.page})`.execute(db);
      (subjects.get(customerId)?.siteEvents as { name: string; page: string; site: string; at: Instant }[]).push({ name: e.name, page: e.page, site: e.site, at: day(e.daysAgo) });
    }
    // A visitor who never signed in: kept per visitor (consent) but no one's, so in no segment.
    await sql`INSERT INTO site_events (at, site, visitor_id, customer_id, type, name, page) VALUES (${day(1)}, ${'uutisvirta.fi'}, ${'v-anonymous'}, ${null}, ${'page'}, ${'page_view'}, ${'/'})`.execute(db);

    const rules = fc.sample(
      fc.record(
        { name: fc.constantFrom(...NAMES), withinDays: fc.constantFrom(1, 7, 30, 90), pagePrefix: fc.constantFrom('/urheilu', '/uutiset/a_', '/tilaa', '/'), site: fc.constantFrom(...SITES) },
        { requiredKeys: ['name', 'withinDays'] },
      ),
      { numRuns: 40, seed: 11 },
    );
    for (const condition of rules) {
      for (const rule of [{ siteEvent: condition }, { not: { siteEvent: condition } }] as SegmentRule[]) {
        const parsed = parseSegmentRule(rule);
        const expected = [...subjects.entries()].filter(([, s]) => inSegment(parsed, s, AT)).length;
        expect(await app.stores.segments.count(parsed, AT), JSON.stringify(rule)).toBe(expected);
      }
    }
  });

  it('refuses a condition that is not one: a name, a path, a window', () => {
    expect(() => parseSegmentRule({ siteEvent: { name: 'Page View', withinDays: 7 } })).toThrow(expect.objectContaining({ field: 'rule.siteEvent.name' }));
    expect(() => parseSegmentRule({ siteEvent: { name: 'page_view', withinDays: 7, pagePrefix: 'urheilu' } })).toThrow(expect.objectContaining({ field: 'rule.siteEvent.pagePrefix' }));
    expect(() => parseSegmentRule({ siteEvent: { name: 'page_view', withinDays: 0 } })).toThrow(expect.objectContaining({ field: 'rule.siteEvent.withinDays' }));
  });
});
