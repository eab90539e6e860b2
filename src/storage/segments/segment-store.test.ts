/**
 * Segment membership as stored: an objection removes the objector from every segment in the same
 * transaction as the ledger record, and no refresh brings them back (compliance.md §2 rule 7);
 * a changed rule empties the membership; names are unique; a time-dependent segment is recomputed whole.
 */
import { expect, it } from 'vitest';
import type { CustomerId, Instant, OrderId, Sku } from '../../core/records.ts';
import { storeCustomer } from '../../../test/support/customers.ts';
import { describeEachStore } from '../../../test/support/stores.ts';

const AT = '2026-03-01T00:00:00.000Z' as Instant;

function objection(customerId: CustomerId, scope: 'direct_marketing' | 'profiling', value: 'objected' | 'withdrawn', at: Instant) {
  return { kind: 'objection' as const, customerId, scope, value, at, source: 'test', noticeVersion: null, noticeLocale: null, evidenceRef: null };
}

describeEachStore('segment membership', (ctx) => {
  it('an objection deletes the memberships at once and the next refresh does not bring them back', async () => {
    const app = ctx.app;
    const ids = [await storeCustomer(app, 'A1', { city: 'Turku' }), await storeCustomer(app, 'A2', { city: 'Turku' }), await storeCustomer(app, 'A3', { city: 'Turku' })];
    const seg = await app.stores.segments.create({ name: 'Turku', description: null, rule: { attribute: 'city', equals: 'Turku' }, createdBy: 'test', at: AT });
    const [first] = await app.stores.segments.refreshAll(AT);
    expect(first).toMatchObject({ mode: 'full', members: 3 });

    await app.stores.ledger.append([objection(ids[0] as CustomerId, 'profiling', 'objected', AT)]);
    // In the same write: no refresh has run.
    expect([...(await app.stores.segments.memberIds(seg.id, ids))].sort()).toEqual(['A2', 'A3']);
    expect((await app.stores.segments.get(seg.id))?.memberCount).toBe(2);
    expect(await app.stores.segments.segmentsOf(ids[0] as CustomerId)).toEqual([]);

    const later = '2026-03-02T00:00:00.000Z' as Instant;
    const [again] = await app.stores.segments.refreshAll(later);
    expect(again).toMatchObject({ mode: 'incremental', members: 2 });
    await app.stores.segments.recompute(seg.id, later);
    expect([...(await app.stores.segments.memberIds(seg.id, ids))].sort()).toEqual(['A2', 'A3']);
    expect(await app.stores.segments.count({ attribute: 'city', equals: 'Turku' }, later)).toBe(2);

    // An objection to direct marketing stops profiling too (rule 2); lifting it lets the person back in.
    await app.stores.ledger.append([objection(ids[1] as CustomerId, 'direct_marketing', 'objected', later)]);
    expect([...(await app.stores.segments.memberIds(seg.id, ids))]).toEqual(['A3']);
    const lifted = '2026-03-03T00:00:00.000Z' as Instant;
    await app.stores.ledger.append([objection(ids[1] as CustomerId, 'direct_marketing', 'withdrawn', lifted)]);
    await app.stores.segments.refreshAll(lifted);
    expect([...(await app.stores.segments.memberIds(seg.id, ids))].sort()).toEqual(['A2', 'A3']);
  });

  it('an objection committed while a refresh is writing still leaves no membership (PostgreSQL; SQLite has one writer)', async () => {
    const app = ctx.app;
    const database = app.database;
    if (database.dialect !== 'postgres') return;
    const id = await storeCustomer(app, 'R1', { city: 'Raahe' });
    const seg = await app.stores.segments.create({ name: 'Raahe', description: null, rule: { attribute: 'city', equals: 'Raahe' }, createdBy: 'test', at: AT });
    // A refresh that read the ledger before the objection: it holds the refresh lock and has written, uncommitted.
    const run = await database.pool.connect();
    try {
      await run.query('BEGIN');
      await run.query(`SELECT pg_advisory_xact_lock(hashtext('lupa.segments.refresh' || current_schema()))`);
      await run.query('INSERT INTO segment_members (segment_id, customer_id, computed_at) VALUES ($1, $2, now())', [seg.id, id]);
      await run.query('UPDATE segments SET member_count = 1, computed_at = now() WHERE id = $1', [seg.id]);
      const objecting = app.stores.ledger.append([objection(id, 'profiling', 'objected', AT)]);
      await new Promise((resolve) => setTimeout(resolve, 200));
      await run.query('COMMIT');
      await objecting;
    } finally {
      run.release();
    }
    expect(await app.stores.segments.memberIds(seg.id, [id])).toEqual(new Set());
    expect((await app.stores.segments.get(seg.id))?.memberCount).toBe(0);
  });

  it('a changed rule empties the membership until the next refresh; names are unique', async () => {
    const app = ctx.app;
    await storeCustomer(app, 'B1', { city: 'Oulu' });
    const seg = await app.stores.segments.create({ name: 'Oulu', description: 'north', rule: { attribute: 'city', equals: 'Oulu' }, createdBy: 'test', at: AT });
    await app.stores.segments.recompute(seg.id, AT);
    expect((await app.stores.segments.get(seg.id))?.memberCount).toBe(1);
    const changed = await app.stores.segments.update(seg.id, { rule: { attribute: 'city', equals: 'Kemi' }, at: AT });
    expect(changed).toMatchObject({ computedAt: null, memberCount: 0 });
    expect(await app.stores.segments.memberIds(seg.id, ['B1'])).toEqual(new Set());
    await expect(app.stores.segments.create({ name: 'Oulu', description: null, rule: { attribute: 'city', equals: 'Oulu' }, createdBy: 'test', at: AT })).rejects.toMatchObject({ code: 'SEGMENT_EXISTS' });
    await app.stores.segments.remove(seg.id);
    expect(await app.stores.segments.get(seg.id)).toBeNull();
  });

  it('a segment of recent orders is recomputed whole: an order ageing out leaves it and a new one joins, only that difference written', async () => {
    const app = ctx.app;
    const id = await storeCustomer(app, 'C1', { city: 'Pori' });
    await app.stores.catalogue.upsertProduct({ sku: 'P1' as Sku, name: 'P1', brand: null, category: 'daily' });
    await app.stores.catalogue.upsertOrder({ id: 'C1-1' as OrderId, customerId: id, sku: 'P1' as Sku, startedAt: AT, endedAt: null, soldVia: 'web', optOutOffered: true });
    const seg = await app.stores.segments.create({ name: 'recent', description: null, rule: { orders: { started: { withinDays: 30 } } }, createdBy: 'test', at: AT });
    expect(seg.timeDependent).toBe(true);
    const first = (await app.stores.segments.refreshAll('2026-03-10T00:00:00.000Z' as Instant)).find((r) => r.segmentId === seg.id);
    expect(first).toMatchObject({ members: 1 });
    // Meanwhile a second customer orders: at the next refresh one leaves and one joins, and only
    // that difference is written (the stored rows, not only the count, must say so).
    const other = await storeCustomer(app, 'C2', { city: 'Pori' });
    await app.stores.catalogue.upsertOrder({ id: 'C2-1' as OrderId, customerId: other, sku: 'P1' as Sku, startedAt: '2026-04-15T00:00:00.000Z' as Instant, endedAt: null, soldVia: 'web', optOutOffered: true });
    const [second] = (await app.stores.segments.refreshAll('2026-05-01T00:00:00.000Z' as Instant)).filter((r) => r.segmentId === seg.id);
    expect(second).toMatchObject({ mode: 'full', members: 1 });
    expect([...(await app.stores.segments.memberIds(seg.id, [id, other]))]).toEqual(['C2']);
    expect((await app.stores.segments.get(seg.id))?.memberCount).toBe(1);
    const [third] = (await app.stores.segments.refreshAll('2026-07-01T00:00:00.000Z' as Instant)).filter((r) => r.segmentId === seg.id);
    expect(third).toMatchObject({ mode: 'full', members: 0 });
    expect(await app.stores.segments.memberIds(seg.id, [id, other])).toEqual(new Set());
  });

  it('an order dated ahead joins at its start in an incremental refresh', async () => {
    const app = ctx.app;
    const id = await storeCustomer(app, 'D1', { city: 'Lahti' });
    await app.stores.catalogue.upsertProduct({ sku: 'P2' as Sku, name: 'P2', brand: null, category: 'magazine' });
    const seg = await app.stores.segments.create({ name: 'magazine readers', description: null, rule: { orders: { category: ['magazine'] } }, createdBy: 'test', at: AT });
    expect(seg.timeDependent).toBe(false);
    await app.stores.segments.refreshAll(AT);
    await app.stores.catalogue.upsertOrder({ id: 'D1-1' as OrderId, customerId: id, sku: 'P2' as Sku, startedAt: '2026-04-01T00:00:00.000Z' as Instant, endedAt: null, soldVia: 'web', optOutOffered: true });
    const before = (await app.stores.segments.refreshAll('2026-03-15T00:00:00.000Z' as Instant)).find((r) => r.segmentId === seg.id);
    expect(before).toMatchObject({ mode: 'incremental', members: 0 });
    const after = (await app.stores.segments.refreshAll('2026-04-02T00:00:00.000Z' as Instant)).find((r) => r.segmentId === seg.id);
    expect(after).toMatchObject({ mode: 'incremental', members: 1, recomputed: 1 });
  });
});
