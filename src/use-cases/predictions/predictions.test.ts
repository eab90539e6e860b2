/**
 * Purchase predictions on both stores, over the demo data: a model reads nothing after its as-of
 * time, scores exist only for customers who may be profiled, an objection removes a person's scores
 * at once and the next scoring does not bring them back, and the held-out AUC beats chance.
 */
import { Readable } from 'node:stream';
import { beforeAll, expect, it } from 'vitest';
import type { CustomerId, Instant, OrderId, Sku } from '../../core/records.ts';
import { demoToNdjson, generateDemoRecords } from '../../demo/generate-demo.ts';
import { runImport } from '../../import/run-import.ts';
import { describeEachStore } from '../../../test/support/stores.ts';
import { appendLedgerEntry } from '../ledger-entries.ts';
import { listModels, modelScores, scoreModel, trainModel, type PredictionDeps } from './predictions.ts';

const CUSTOMERS = 2500;
const SEED = 4;
const NOW = '2026-11-30T12:00:00.000Z' as Instant;
const AS_OF = '2026-09-01T00:00:00.000Z';

/** Who the demo has objecting to direct marketing or profiling (the demo never withdraws an objection). */
const OBJECTORS = new Set(
  [...generateDemoRecords({ customers: CUSTOMERS, seed: SEED })].flatMap((r) => (r.type === 'objection' ? [r.customerId] : [])),
);
const ALL = [...generateDemoRecords({ customers: CUSTOMERS, seed: SEED })].flatMap((r) => (r.type === 'customer' ? [r.id] : []));

async function collect(deps: PredictionDeps, id: number): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for await (const row of modelScores(deps, id)) out.set(row.customerId, row.score);
  return out;
}

describeEachStore(
  'purchase predictions',
  (ctx) => {
    let deps: PredictionDeps;
    beforeAll(async () => {
      const app = ctx.app;
      await runImport(
        { database: app.database, settings: app.settings, now: app.now },
        { stream: Readable.from(demoToNdjson({ customers: CUSTOMERS, seed: SEED })), format: 'ndjson' },
      );
      deps = { predictions: app.stores.predictions, now: app.now };
    }, 120_000);

    it('trains on what was known at --as-of and measures a held-out AUC clearly above chance', async () => {
      const churn = await trainModel(deps, { kind: 'churn', horizonDays: 90, asOf: AS_OF });
      expect(churn.auc).toBeGreaterThan(0.6);
      const propensity = await trainModel(deps, { kind: 'propensity', category: 'daily', horizonDays: 180, asOf: AS_OF });
      expect(propensity.auc).toBeGreaterThan(0.55);
      expect(propensity.trainedOn).toBeGreaterThan(CUSTOMERS / 2);
      expect(propensity.windows.heldOut.labelsUntil).toBe(AS_OF);
      expect(propensity.calibration).toHaveLength(10);
      expect((await listModels(deps)).map((m) => m.id)).toContain(propensity.id);
    });

    it('never reads records after --as-of: a planted future order changes neither the model nor its scores', async () => {
      const before = await trainModel(deps, { kind: 'propensity', category: 'daily', horizonDays: 90, asOf: AS_OF });
      const scoresBefore = await collect(deps, before.id);
      // Every admitted customer without a daily order gets one right after as-of: the label, leaked.
      const planted = ALL.filter((id) => !OBJECTORS.has(id)).slice(0, 200);
      let n = 0;
      for (const customerId of planted) {
        await ctx.app.stores.catalogue.upsertOrder({
          id: `FUTURE${n++}` as OrderId,
          customerId: customerId as CustomerId,
          sku: 'UV-PRINT-7' as Sku,
          startedAt: '2026-09-10T00:00:00.000Z' as Instant,
          endedAt: null,
          soldVia: 'web',
          optOutOffered: true,
        });
      }
      const after = await trainModel(deps, { kind: 'propensity', category: 'daily', horizonDays: 90, asOf: AS_OF });
      expect(after.model).toEqual(before.model);
      expect(after.auc).toBe(before.auc);
      expect(after.trainedOn).toBe(before.trainedOn);
      expect(after.calibration).toEqual(before.calibration);
      await scoreModel(deps, before.id);
      expect(await collect(deps, before.id)).toEqual(scoresBefore);
      expect(await collect(deps, after.id)).toEqual(scoresBefore);
    });

    it('scores every customer who may be profiled and no one else', async () => {
      const model = await trainModel(deps, { kind: 'churn', horizonDays: 60, asOf: AS_OF });
      const scores = await collect(deps, model.id);
      const expected = ALL.filter((id) => !OBJECTORS.has(id)).sort();
      expect(OBJECTORS.size).toBeGreaterThan(10);
      expect([...scores.keys()].sort()).toEqual(expected);
      for (const score of scores.values()) expect(score >= 0 && score <= 1).toBe(true);
    });

    it('an objection deletes the person’s scores with the ledger row, and the next scoring brings none back', async () => {
      const model = await trainModel(deps, { kind: 'propensity', category: 'digital_news', horizonDays: 90, asOf: AS_OF });
      await scoreModel(deps, model.id);
      const [first, second] = ALL.filter((id) => !OBJECTORS.has(id));
      const stored = async (customerId: string): Promise<number> => {
        const db = ctx.app.database;
        if (db.dialect === 'sqlite') return Number(db.sqlite.prepare('SELECT COUNT(*) FROM prediction_scores WHERE customer_id = ?').pluck().get(customerId));
        return Number((await db.pool.query('SELECT COUNT(*) AS n FROM prediction_scores WHERE customer_id = $1', [customerId])).rows[0].n);
      };
      expect(await stored(first ?? '')).toBeGreaterThan(0);
      const ledgerDeps = { customers: ctx.app.stores.customers, ledger: ctx.app.stores.ledger, now: ctx.app.now };
      await appendLedgerEntry(ledgerDeps, { customerId: first ?? '', entry: { kind: 'objection', scope: 'profiling', source: 'customer_service' } });
      await appendLedgerEntry(ledgerDeps, { customerId: second ?? '', entry: { kind: 'objection', scope: 'direct_marketing', source: 'letter' } });
      expect(await stored(first ?? '')).toBe(0);
      expect(await stored(second ?? '')).toBe(0);
      await scoreModel(deps, model.id);
      const scores = await collect(deps, model.id);
      expect(scores.has(first ?? '')).toBe(false);
      expect(scores.has(second ?? '')).toBe(false);
      expect(await stored(first ?? '')).toBe(0);
      expect(scores.size).toBe(ALL.filter((id) => !OBJECTORS.has(id)).length - 2);
    });

    it('an objection recorded while a scoring run is under way leaves that run no score for the person', async () => {
      const model = await trainModel(deps, { kind: 'churn', horizonDays: 30, asOf: AS_OF });
      const objector = ALL.filter((id) => !OBJECTORS.has(id))[5] ?? '';
      const ledgerDeps = { customers: ctx.app.stores.customers, ledger: ctx.app.stores.ledger, now: ctx.app.now };
      // The objection lands after the run read its features (which admitted the person) and before it writes.
      const racing: PredictionDeps = {
        ...deps,
        predictions: Object.assign(Object.create(deps.predictions) as PredictionDeps['predictions'], {
          features: async (...args: Parameters<PredictionDeps['predictions']['features']>) => {
            const rows = await deps.predictions.features(...args);
            expect(rows.customerIds).toContain(objector);
            await appendLedgerEntry(ledgerDeps, { customerId: objector, entry: { kind: 'objection', scope: 'profiling', source: 'customer_service' } });
            return rows;
          },
        }),
      };
      await scoreModel(racing, model.id);
      const scores = await collect(deps, model.id);
      expect(scores.has(objector)).toBe(false);
      const db = ctx.app.database;
      const stored =
        db.dialect === 'sqlite'
          ? Number(db.sqlite.prepare('SELECT COUNT(*) FROM prediction_scores WHERE customer_id = ?').pluck().get(objector))
          : Number((await db.pool.query('SELECT COUNT(*) AS n FROM prediction_scores WHERE customer_id = $1', [objector])).rows[0].n);
      expect(stored).toBe(0);
    });
  },
  { now: () => NOW },
);
