/**
 * Stated interests as prediction features, on both stores: one feature per topic, 1 when the
 * customer's latest stated record by the features' time is `interested`; nothing recorded later is
 * read, and a model trained without them is read as it was trained (no interest features).
 */
import { expect, it } from 'vitest';
import type { Customer, CustomerId, Instant } from '../../core/records.ts';
import { describeEachStore } from '../../../test/support/stores.ts';

const T1 = '2026-01-01T00:00:00.000Z' as Instant;
const T2 = '2026-02-01T00:00:00.000Z' as Instant;
const T3 = '2026-03-01T00:00:00.000Z' as Instant;
const T4 = '2026-04-01T00:00:00.000Z' as Instant;

describeEachStore('stated interests as prediction features', (ctx) => {
  it('reads the latest stated record by the features’ time, and nothing later', async () => {
    const app = ctx.app;
    for (const id of ['F1', 'F2', 'F3']) {
      const c: Customer = { id: id as CustomerId, kind: 'person', name: id, emails: [], phones: [], address: null, locale: 'fi', createdAt: T1, updatedAt: T1 };
      await app.stores.customers.insertCustomer(c);
    }
    const said = (customerId: string, topic: string, value: 'interested' | 'not_interested', at: Instant) => ({ customerId, topic, value, source: 'agent' as const, actor: 'test', at });
    await app.stores.interests.record(
      [said('F1', 'sport', 'interested', T1), said('F2', 'sport', 'interested', T4), said('F3', 'sport', 'interested', T1), said('F3', 'sport', 'not_interested', T2), said('F3', 'news', 'interested', T2)],
      T4,
    );
    const spec = { kind: 'churn' as const, category: null, horizonDays: 90 };
    const rows = await app.stores.predictions.features(spec, [], { featuresAt: T3, admittedAt: T3, allCustomers: true }, ['sport', 'news']);
    const d = rows.names.length;
    expect(rows.names.slice(-2)).toEqual(['interest:sport', 'interest:news']);
    const interests = (id: string): number[] => {
      const i = rows.customerIds.indexOf(id);
      return [rows.values[i * d + d - 2] ?? -1, rows.values[i * d + d - 1] ?? -1];
    };
    expect(interests('F1')).toEqual([1, 0]);
    expect(interests('F2')).toEqual([0, 0]);
    expect(interests('F3')).toEqual([0, 1]);

    const without = await app.stores.predictions.features(spec, [], { featuresAt: T3, admittedAt: T3, allCustomers: true });
    expect(without.names.some((n) => n.startsWith('interest:'))).toBe(false);
    expect(without.names.length).toBe(d - 2);
    expect(await app.stores.predictions.topics()).toContain('home_garden');
  });
});
