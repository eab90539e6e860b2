/**
 * Interests as stored, on both stores: inference only for customers who may be profiled, from
 * trials, decaying with their age; an objection deletes the inferred interests in the same
 * transaction and no refresh brings them back (compliance.md §2 rule 7); "not interested" keeps a
 * topic out; stated records are appended and the latest one counts.
 */
import { expect, it } from 'vitest';
import type { App } from '../../composition-root.ts';
import { trialWeight } from '../../core/interests/interests.ts';
import type { CustomerId, Instant, OrderId, Sku } from '../../core/records.ts';
import { storeCustomer } from '../../../test/support/customers.ts';
import { describeEachStore } from '../../../test/support/stores.ts';

const AT = '2026-03-01T00:00:00.000Z' as Instant;
const DAY = 86_400_000;
const daysBefore = (n: number): Instant => new Date(Date.parse(AT) - n * DAY).toISOString() as Instant;

/** A trial: an order of `sku` that started `daysAgo` days before AT and ran 30 days. */
async function trial(app: App, id: CustomerId, sku: string, daysAgo: number): Promise<void> {
  const startedAt = daysBefore(daysAgo);
  const endedAt = new Date(Date.parse(startedAt) + 30 * DAY).toISOString() as Instant;
  await app.stores.catalogue.upsertOrder({ id: `${id}-${sku}-${daysAgo}` as OrderId, customerId: id, sku: sku as Sku, startedAt, endedAt, soldVia: 'web', optOutOffered: true });
}

function objection(customerId: CustomerId, scope: 'direct_marketing' | 'profiling', at: Instant) {
  return { kind: 'objection' as const, customerId, scope, value: 'objected' as const, at, source: 'test', noticeVersion: null, noticeLocale: null, evidenceRef: null };
}

describeEachStore('interests', (ctx) => {
  it('infers from trials only where profiling is allowed; an objection deletes them at once and the next refresh does not bring them back', async () => {
    const app = ctx.app;
    await app.stores.catalogue.upsertProduct({ sku: 'HOME' as Sku, name: 'Home', brand: null, category: 'magazine_home' });
    await app.stores.catalogue.upsertProduct({ sku: 'BIZ' as Sku, name: 'Business', brand: null, category: 'magazine_business' });
    const [a, b, c] = [await storeCustomer(app, 'I1', { at: daysBefore(800) }), await storeCustomer(app, 'I2', { at: daysBefore(800) }), await storeCustomer(app, 'I3', { at: daysBefore(800) })];
    for (const id of [a, b, c]) await trial(app, id, 'HOME', 10);
    await trial(app, a, 'BIZ', 10);
    // A long subscription is no trial: it implies nothing.
    await app.stores.catalogue.upsertOrder({ id: 'I2-long' as OrderId, customerId: b, sku: 'BIZ' as Sku, startedAt: daysBefore(400), endedAt: daysBefore(10), soldVia: 'web', optOutOffered: true });
    await app.stores.ledger.append([objection(c, 'direct_marketing', daysBefore(1))]);

    const run = await app.stores.interests.refreshInferred(AT, 180);
    expect(run).toMatchObject({ inferred: 3, customers: 2 });
    expect((await app.stores.interests.interestsOf(a, AT)).inferred.map((i) => i.topic).sort()).toEqual(['economy', 'home_garden']);
    expect((await app.stores.interests.interestsOf(b, AT)).inferred.map((i) => i.topic)).toEqual(['home_garden']);
    expect((await app.stores.interests.interestsOf(c, AT)).inferred).toEqual([]);

    await app.stores.ledger.append([objection(a, 'profiling', AT)]);
    // In the same write: no refresh has run.
    expect((await app.stores.interests.interestsOf(a, AT)).inferred).toEqual([]);
    const later = '2026-03-02T00:00:00.000Z' as Instant;
    await app.stores.interests.refreshInferred(later, 180);
    expect((await app.stores.interests.interestsOf(a, later)).inferred).toEqual([]);
    expect((await app.stores.interests.interestsOf(b, later)).inferred).toHaveLength(1);
  });

  it('an objection committed while an inference run is writing still leaves no inferred interest (PostgreSQL; SQLite has one writer)', async () => {
    const app = ctx.app;
    const database = app.database;
    if (database.dialect !== 'postgres') return;
    const id = await storeCustomer(app, 'R1', { at: daysBefore(800) });
    // A run that read the ledger before the objection: it holds the run's lock and has written, uncommitted.
    const run = await database.pool.connect();
    try {
      await run.query('BEGIN');
      await run.query(`SELECT pg_advisory_xact_lock(hashtext('lupa.interests.refresh' || current_schema()))`);
      await run.query(`INSERT INTO inferred_interests (customer_id, topic, weight, computed_at) VALUES ($1, 'news', 0.9, now())`, [id]);
      const objecting = app.stores.ledger.append([objection(id, 'profiling', AT)]);
      await new Promise((resolve) => setTimeout(resolve, 200));
      await run.query('COMMIT');
      await objecting;
    } finally {
      run.release();
    }
    expect((await app.stores.interests.interestsOf(id, AT)).inferred).toEqual([]);
  });

  it('an older trial weighs less: halved every half-life, as the reference formula says', async () => {
    const app = ctx.app;
    await app.stores.catalogue.upsertProduct({ sku: 'NEWS' as Sku, name: 'News', brand: null, category: 'digital_news' });
    const [recent, old] = [await storeCustomer(app, 'D1', { at: daysBefore(800) }), await storeCustomer(app, 'D2', { at: daysBefore(800) })];
    await trial(app, recent, 'NEWS', 20);
    await trial(app, old, 'NEWS', 200);
    // The most recent trial counts.
    await trial(app, recent, 'NEWS', 300);
    await app.stores.interests.refreshInferred(AT, 100);
    const weight = async (id: CustomerId): Promise<number> => (await app.stores.interests.interestsOf(id, AT)).inferred.find((i) => i.topic === 'news')?.weight ?? 0;
    expect(await weight(recent)).toBeCloseTo(trialWeight(daysBefore(20), AT, 100), 6);
    expect(await weight(old)).toBeCloseTo(0.25, 6);
    expect(await weight(recent)).toBeGreaterThan(await weight(old));
  });

  it('a "not interested" record keeps the topic out at once and at every refresh; the latest stated record counts', async () => {
    const app = ctx.app;
    await app.stores.catalogue.upsertProduct({ sku: 'LIFE' as Sku, name: 'Life', brand: null, category: 'magazine_lifestyle' });
    const id = await storeCustomer(app, 'N1', { at: daysBefore(800) });
    await trial(app, id, 'LIFE', 5);
    await app.stores.interests.refreshInferred(AT, 180);
    expect((await app.stores.interests.interestsOf(id, AT)).inferred.map((i) => i.topic)).toEqual(['culture']);

    await app.stores.interests.record([{ customerId: id, topic: 'culture', value: 'not_interested', source: 'preference_page', actor: 'customer', at: AT }], AT);
    expect((await app.stores.interests.interestsOf(id, AT)).inferred).toEqual([]);
    await app.stores.interests.refreshInferred(AT, 180);
    const now = await app.stores.interests.interestsOf(id, AT);
    expect(now.inferred).toEqual([]);
    expect(now.stated).toMatchObject([{ topic: 'culture', value: 'not_interested', source: 'preference_page' }]);

    const later = '2026-03-05T00:00:00.000Z' as Instant;
    await app.stores.interests.record([{ customerId: id, topic: 'culture', value: 'interested', source: 'agent', actor: 'k1 (Agent)', at: later }], later);
    expect((await app.stores.interests.interestsOf(id, later)).stated).toMatchObject([{ topic: 'culture', value: 'interested', source: 'agent' }]);
    // As of the earlier instant the earlier record stands: records are appended, not edited.
    expect((await app.stores.interests.interestsOf(id, AT)).stated).toMatchObject([{ value: 'not_interested' }]);
    await app.stores.interests.refreshInferred(later, 180);
    expect((await app.stores.interests.interestsOf(id, later)).inferred.map((i) => i.topic)).toEqual(['culture']);
  });

  it('topics are configurable: added with categories, renamed; an unknown or taken code is refused', async () => {
    const app = ctx.app;
    const topics = await app.stores.interests.topics();
    expect(topics.map((t) => t.code)).toEqual(['news', 'sport', 'culture', 'economy', 'home_garden', 'cars', 'travel', 'children', 'history', 'science']);
    expect(topics.find((t) => t.code === 'news')?.categories).toEqual(['daily', 'digital_news', 'regional']);
    await app.stores.interests.addTopic({ code: 'food', names: { fi: 'Ruoka', sv: 'Mat', en: 'Food' }, categories: ['magazine_food'] });
    await expect(app.stores.interests.addTopic({ code: 'food', names: { fi: 'R', sv: 'M', en: 'F' }, categories: [] })).rejects.toMatchObject({ code: 'TOPIC_EXISTS' });
    await app.stores.interests.changeTopic({ code: 'food', names: { fi: 'Ruoka ja juoma', sv: 'Mat och dryck', en: 'Food and drink' }, categories: [] });
    const food = (await app.stores.interests.topics()).at(-1);
    expect(food).toEqual({ code: 'food', names: { fi: 'Ruoka ja juoma', sv: 'Mat och dryck', en: 'Food and drink' }, categories: [] });
    await expect(app.stores.interests.changeTopic({ code: 'nope', names: { fi: 'a', sv: 'b', en: 'c' }, categories: [] })).rejects.toMatchObject({ code: 'UNKNOWN_TOPIC' });
    await expect(app.stores.interests.record([{ customerId: 'X', topic: 'nope', value: 'interested', source: 'agent', actor: 'a', at: AT }], AT)).rejects.toMatchObject({ code: 'UNKNOWN_TOPIC' });
  });
});
