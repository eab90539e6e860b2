/**
 * Purchase predictions benchmark: training a propensity model (daily titles, 90 days, as of the demo's
 * last month) over every customer, and scoring all of them, beside their bare reference in the same
 * run: one grouped scan of the order columns the features read (customer, start, end, sales channel,
 * and the product's category; orders joined to products, grouped by customer), which is the floor
 * under a feature statement.
 */
import type { App } from '../src/composition-root.ts';
import { modelScores, scoreModel, trainModel } from '../src/use-cases/predictions/predictions.ts';

async function bareOrderScan(app: App): Promise<{ rows: number; seconds: number }> {
  const text = `SELECT o.customer_id, COUNT(*), MAX(o.started_at), MIN(o.started_at), MAX(o.ended_at),
      SUM(CASE WHEN p.category = 'daily' THEN 1 ELSE 0 END), SUM(CASE WHEN o.sold_via = 'web' THEN 1 ELSE 0 END)
    FROM orders o JOIN products p ON p.sku = o.sku GROUP BY o.customer_id`;
  const started = performance.now();
  const db = app.database;
  const rows = db.dialect === 'sqlite' ? db.sqlite.prepare(text).raw(true).all().length : (await db.pool.query({ text, rowMode: 'array' })).rows.length;
  return { rows, seconds: (performance.now() - started) / 1000 };
}

export async function benchPredictions(app: App): Promise<Record<string, unknown>> {
  const deps = { predictions: app.stores.predictions, now: app.now };
  await bareOrderScan(app); // warm the caches as the training will find them
  const bare: { rows: number; seconds: number }[] = [];
  for (let i = 0; i < 3; i++) bare.push(await bareOrderScan(app));
  bare.sort((a, b) => a.seconds - b.seconds);
  const bareSeconds = bare[1]?.seconds ?? NaN;

  const trainStarted = performance.now();
  const model = await trainModel(deps, { kind: 'propensity', category: 'daily', horizonDays: 90, asOf: '2026-10-01T00:00:00Z' });
  const trainSeconds = (performance.now() - trainStarted) / 1000;
  const scoreStarted = performance.now();
  const scored = await scoreModel(deps, model.id);
  const scoreSeconds = (performance.now() - scoreStarted) / 1000;
  const readStarted = performance.now();
  let read = 0;
  for await (const _ of modelScores(deps, model.id)) read++;
  const readSeconds = (performance.now() - readStarted) / 1000;
  return {
    model: { kind: model.kind, category: model.category, horizonDays: model.horizonDays, asOf: model.asOf, iterations: model.model.iterations },
    trainedOn: model.trainedOn,
    evaluatedOn: model.evaluatedOn,
    auc: model.auc,
    // Two feature statements (training and held-out windows) and the fit.
    trainSeconds: Number(trainSeconds.toFixed(3)),
    scored: scored.scored,
    // One feature statement, the scoring in JS and the scores written (one transaction).
    scoreSeconds: Number(scoreSeconds.toFixed(3)),
    scoresRead: { rows: read, seconds: Number(readSeconds.toFixed(3)) },
    bare: { rows: bare[1]?.rows, medianSeconds: Number(bareSeconds.toFixed(4)) },
    trainRatioToBare: Number((trainSeconds / bareSeconds).toFixed(2)),
    scoreRatioToBare: Number((scoreSeconds / bareSeconds).toFixed(2)),
  };
}
