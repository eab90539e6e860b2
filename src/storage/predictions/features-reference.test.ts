/**
 * The prediction features on both stores equal a plain in-memory reading of the same generated
 * records, feature by feature and customer by customer: whatever way the store's statement finds
 * the rows (scans, indexes, the profiling gate's access path), the vectors a model was trained on
 * do not move. Only customers who may be profiled are read.
 */
import { Readable } from 'node:stream';
import { beforeAll, expect, it } from 'vitest';
import { SALES_CHANNELS } from '../../core/vocabulary.ts';
import { TRIAL_MAX_DAYS } from '../../core/trials.ts';
import type { Instant } from '../../core/records.ts';
import { demoToNdjson, generateDemoRecords } from '../../demo/generate-demo.ts';
import { runImport } from '../../import/run-import.ts';
import { describeEachStore } from '../../../test/support/stores.ts';

const CUSTOMERS = 600;
const SEED = 7;
const NOW = '2026-11-30T12:00:00.000Z' as Instant;
const FEATURES_AT = '2026-07-01T00:00:00.000Z';
const DAY_MS = 86_400_000;

interface Order {
  customerId: string;
  category: string;
  startedAt: string;
  endedAt: string | null;
  soldVia: string;
}

/** The feature vectors read plainly from the records: one array per admitted customer. */
function referenceFeatures(focus: string, featuresAt: string): { categories: string[]; rows: Map<string, number[]> } {
  const records = [...generateDemoRecords({ customers: CUSTOMERS, seed: SEED })];
  const categoryOf = new Map<string, string>();
  const customers: string[] = [];
  const objectors = new Set<string>();
  const orders: Order[] = [];
  for (const r of records) {
    if (r.type === 'product') categoryOf.set(r.sku, r.category);
    if (r.type === 'customer') customers.push(r.id);
    // The demo never withdraws an objection, and records none later than now.
    if (r.type === 'objection') objectors.add(r.customerId);
  }
  for (const r of records) {
    if (r.type === 'order') orders.push({ customerId: r.customerId, category: categoryOf.get(r.sku) ?? '', startedAt: r.startedAt, endedAt: r.endedAt, soldVia: r.soldVia });
  }
  const categories = [...new Set(categoryOf.values())].sort();
  const f = Date.parse(featuresAt);
  const logDays = (ms: number | null): number => (ms === null ? 0 : Math.log1p(Math.max(0, (f - ms) / DAY_MS)));
  const rows = new Map<string, number[]>();
  for (const id of customers) {
    if (objectors.has(id)) continue;
    const mine = orders.filter((o) => o.customerId === id && Date.parse(o.startedAt) <= f);
    const starts = mine.map((o) => Date.parse(o.startedAt));
    const run = (o: Order): boolean => o.endedAt === null || Date.parse(o.endedAt) > f;
    const trial = (o: Order): boolean => o.endedAt !== null && Date.parse(o.endedAt) <= f && Date.parse(o.endedAt) - Date.parse(o.startedAt) <= TRIAL_MAX_DAYS * DAY_MS;
    const inFocus = mine.filter((o) => o.category === focus);
    const running = mine.filter(run);
    rows.set(id, [
      mine.length > 0 ? 1 : 0,
      Math.log1p(mine.length),
      logDays(starts.length === 0 ? null : Math.max(...starts)),
      logDays(starts.length === 0 ? null : Math.min(...starts)),
      running.length,
      logDays(running.length === 0 ? null : Math.max(...running.map((o) => Date.parse(o.startedAt)))),
      mine.filter(trial).length,
      inFocus.length,
      inFocus.filter(run).length,
      inFocus.filter(trial).length,
      inFocus.some((o) => trial(o) && Date.parse(o.endedAt ?? '') > f - 60 * DAY_MS) ? 1 : 0,
      inFocus.filter((o) => run(o) && Date.parse(o.startedAt) > f - TRIAL_MAX_DAYS * DAY_MS).length,
      0, // opens: the demo has no tracking events
      0, // clicks
      ...categories.map((c) => mine.filter((o) => o.category === c).length),
      ...SALES_CHANNELS.map((s) => mine.filter((o) => o.soldVia === s).length),
    ]);
  }
  return { categories, rows };
}

describeEachStore(
  'prediction features against a plain reading of the records',
  (ctx) => {
    beforeAll(async () => {
      const app = ctx.app;
      await runImport(
        { database: app.database, settings: app.settings, now: app.now },
        { stream: Readable.from(demoToNdjson({ customers: CUSTOMERS, seed: SEED })), format: 'ndjson' },
      );
    }, 120_000);

    it('gives every admitted customer the same feature vector as the in-memory reading, and no one else', async () => {
      const reference = referenceFeatures('daily', FEATURES_AT);
      const spec = { kind: 'propensity' as const, category: 'daily', horizonDays: 90 };
      const categories = await ctx.app.stores.predictions.categories();
      expect(categories).toEqual(reference.categories);
      const rows = await ctx.app.stores.predictions.features(spec, categories, { featuresAt: FEATURES_AT, admittedAt: NOW, allCustomers: true });
      const d = rows.names.length;
      expect([...rows.customerIds].sort()).toEqual([...reference.rows.keys()].sort());
      expect(reference.rows.size).toBeLessThan(CUSTOMERS);
      let withOrders = 0;
      rows.customerIds.forEach((id, i) => {
        const expected = reference.rows.get(id) ?? [];
        expect(expected).toHaveLength(d);
        const actual = Array.from(rows.values.subarray(i * d, (i + 1) * d));
        for (let j = 0; j < d; j++) expect(actual[j], `${id} ${rows.names[j]}`).toBeCloseTo(expected[j] ?? NaN, 6);
        withOrders += expected[0] ?? 0;
      });
      expect(withOrders).toBeGreaterThan(CUSTOMERS / 3);
    });
  },
  { now: () => NOW },
);
