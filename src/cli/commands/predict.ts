/**
 * `lupa predict`: purchase predictions (docs/segments-and-predictions.md, "Predictions"): train a
 * model as of a time, (re)compute its scores, print them, list the models.
 */
import type { Command } from 'commander';
import { heldOutOutcomes, MIN_OUTCOMES_TO_JUDGE, modelNotes, type ModelNote, type PredictionModel } from '../../core/predictions/model.ts';
import { DomainError } from '../../core/errors.ts';
import { printJson, printJsonLine, withApp } from '../context.ts';
import { counted } from '../counted.ts';
import { printTable } from '../table.ts';

function modelId(value: string): number {
  const id = Number(value);
  if (!Number.isSafeInteger(id) || id < 1) throw new DomainError('VALIDATION_FAILED', '--model must be a model id (see `lupa predict models`)', { field: 'model' });
  return id;
}

/** What `predict train --json` prints: the contract's `model`, `auc`, `trainedOn`, then the rest. */
export function trainedJson(m: PredictionModel): Record<string, unknown> {
  return {
    model: m.id,
    auc: m.auc,
    trainedOn: m.trainedOn,
    kind: m.kind,
    category: m.category,
    horizonDays: m.horizonDays,
    asOf: m.asOf,
    trainedAt: m.trainedAt,
    evaluatedOn: m.evaluatedOn,
    windows: m.windows,
    calibration: m.calibration,
    features: m.features,
  };
}

function summary(m: PredictionModel): string {
  const what = m.kind === 'propensity' ? `propensity to subscribe to ${m.category ?? ''}` : `churn${m.category === null ? '' : ` in ${m.category}`}`;
  return [
    `model ${m.id}: ${what} within ${m.horizonDays} days, as of ${m.asOf}`,
    `trained on ${counted(m.trainedOn, 'customer')} (features at ${m.windows.train.featuresAt}, outcomes until ${m.windows.train.labelsUntil})`,
    `held out: ${counted(m.evaluatedOn, 'customer')} (features at ${m.windows.heldOut.featuresAt}, outcomes until ${m.windows.heldOut.labelsUntil})`,
    `features (${m.features.length}): ${m.features.join(', ')}`,
    `ROC AUC on the held-out period: ${m.auc === null ? 'n/a (one outcome only)' : m.auc.toFixed(3)}`,
    'calibration (deciles of the predicted score):',
  ].join('\n');
}

/** The notes on a model's measured quality (core/predictions/model.ts `modelNotes`), one line each. */
export function noteLines(m: PredictionModel): string[] {
  const say: Record<ModelNote, () => string> = {
    few_outcomes: () =>
      `note: only ${Math.round(heldOutOutcomes(m.calibration))} of the ${counted(m.evaluatedOn, 'held-out customer')} did what the model predicts; with fewer than ${MIN_OUTCOMES_TO_JUDGE} the AUC says little (train as of an earlier day, so that the period after it has more history); offers draw no lift from this model`,
    no_better_than_chance: () =>
      `note: the model is no better than chance on the held-out period (ROC AUC ${(m.auc ?? 0).toFixed(3)}; 0.5 is chance): its scores order customers no better than lots drawn would; train as of another day or with another horizon before using its scores`,
  };
  return modelNotes(m).map((n) => say[n]());
}

export function registerPredict(program: Command): void {
  const predict = program.command('predict').description('purchase predictions: train models, score customers who may be profiled');
  predict
    .command('train')
    .description('train a model on the records known at --as-of and measure it on a held-out period')
    .requiredOption('--model <kind>', 'propensity | churn')
    .option('--category <category>', 'product category (propensity: required; churn: optional)')
    .requiredOption('--horizon-days <n>', 'the prediction window in days')
    .option('--as-of <iso-8601>', 'read nothing recorded or started after this (default: now)')
    .option('--json', 'print one JSON object')
    .action(async (opts: { model: string; category?: string; horizonDays: string; asOf?: string; json?: boolean }, cmd: Command) => {
      const { trainModel } = await import('../../use-cases/predictions/predictions.ts');
      const model = await withApp(cmd, (app) =>
        trainModel(
          { predictions: app.stores.predictions, now: app.now },
          { kind: opts.model, category: opts.category, horizonDays: Number(opts.horizonDays), asOf: opts.asOf },
        ),
      );
      // On standard error, so that --json stays one object on standard output.
      for (const line of noteLines(model)) process.stderr.write(`${line}\n`);
      if (opts.json === true) {
        printJson(trainedJson(model));
        return;
      }
      process.stdout.write(`${summary(model)}\n`);
      printTable(
        ['decile', 'customers', 'predicted', 'observed'],
        model.calibration.map((b) => [b.decile, b.customers, b.predicted.toFixed(4), b.observed.toFixed(4)]),
      );
    });
  predict
    .command('score')
    .description("(re)compute a model's scores for every customer who may be profiled now")
    .requiredOption('--model <id>', 'model id')
    .option('--json', 'print one JSON object')
    .action(async (opts: { model: string; json?: boolean }, cmd: Command) => {
      const { scoreModel } = await import('../../use-cases/predictions/predictions.ts');
      const result = await withApp(cmd, (app) => scoreModel({ predictions: app.stores.predictions, now: app.now }, modelId(opts.model)));
      if (opts.json === true) printJson(result);
      else process.stdout.write(`model ${result.model}: ${counted(result.scored, 'customer')} scored at ${result.computedAt}\n`);
    });
  predict
    .command('scores')
    .description("print a model's scores, one JSON line per customer who may be profiled (computed first when missing or out of date)")
    .requiredOption('--model <id>', 'model id')
    .option('--json', 'one JSON object per line (the only format)')
    .action(async (opts: { model: string }, cmd: Command) => {
      const { modelScores } = await import('../../use-cases/predictions/predictions.ts');
      await withApp(cmd, async (app) => {
        for await (const row of modelScores({ predictions: app.stores.predictions, now: app.now }, modelId(opts.model))) await printJsonLine(row);
      });
    });
  predict
    .command('models')
    .description('the trained models with their held-out AUC, and which ones rank offers')
    .option('--json', 'print one JSON array')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const { listModels } = await import('../../use-cases/predictions/predictions.ts');
      const models = await withApp(cmd, (app) => listModels({ predictions: app.stores.predictions }));
      if (opts.json === true) {
        printJson(models.map((m) => ({ ...trainedJson(m), usedForOffers: m.usedForOffers })));
        return;
      }
      // offers: "yes" for the model whose scores rank the offers of its category.
      printTable(
        ['id', 'kind', 'category', 'horizon_days', 'as_of', 'auc', 'trained_on', 'scored_at', 'offers'],
        models.map((m) => [m.id, m.kind, m.category, m.horizonDays, m.asOf, m.auc === null ? 'n/a' : m.auc.toFixed(3), m.trainedOn, m.scoredAt, m.usedForOffers ? 'yes' : '']),
      );
    });
}
