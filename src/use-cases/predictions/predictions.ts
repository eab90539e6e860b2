/**
 * Use cases of the predictions (docs/segments-and-predictions.md, "Predictions"): train a model as
 * of a time (nothing after it is read), score every customer who may be profiled, read the scores,
 * list the models. Profiling is admitted by the ledger as it stands now (compliance.md §2 rule 7):
 * an objector's records are neither learnt from nor scored.
 */
import { DomainError } from '../../core/errors.ts';
import { offerRankingModels } from '../../core/offers/ranking.ts';
import {
  MAX_HORIZON_DAYS,
  MODEL_KINDS,
  calibration,
  fitLogistic,
  modelWindows,
  populationOf,
  rocAuc,
  scoreRows,
  type ModelKind,
  type PredictionModel,
  type PredictionStore,
} from '../../core/predictions/model.ts';
import type { Instant } from '../../core/records.ts';
import { parseInstant, requireNotFuture } from '../../core/time.ts';
import { isOneOf } from '../../core/vocabulary.ts';

export interface PredictionDeps {
  predictions: PredictionStore;
  now: () => Instant;
}

export interface TrainInput {
  kind: string;
  category?: string | null | undefined;
  horizonDays: number;
  asOf?: string | undefined;
}

/** Trains and stores a model; returns it as stored (with its held-out AUC and calibration). */
export async function trainModel(deps: PredictionDeps, input: TrainInput): Promise<PredictionModel> {
  if (!isOneOf(MODEL_KINDS, input.kind)) throw new DomainError('VALIDATION_FAILED', `model must be one of ${MODEL_KINDS.join(', ')}`, { field: 'model' });
  const kind: ModelKind = input.kind;
  if (!Number.isInteger(input.horizonDays) || input.horizonDays < 1 || input.horizonDays > MAX_HORIZON_DAYS) {
    throw new DomainError('VALIDATION_FAILED', `horizon days must be a whole number 1–${MAX_HORIZON_DAYS}`, { field: 'horizonDays' });
  }
  const now = deps.now();
  const asOf = input.asOf === undefined ? now : parseInstant(input.asOf, 'asOf');
  requireNotFuture(asOf, now, 'asOf', 'asOf');
  const categories = await deps.predictions.categories();
  const category = input.category ?? null;
  if (kind === 'propensity' && category === null) throw new DomainError('VALIDATION_FAILED', 'a propensity model needs a category', { field: 'category' });
  if (category !== null && !categories.includes(category)) {
    throw new DomainError('VALIDATION_FAILED', `unknown category ${JSON.stringify(category)}; known: ${categories.join(', ')}`, { field: 'category' });
  }
  const spec = { kind, category, horizonDays: input.horizonDays };
  const windows = modelWindows(asOf, input.horizonDays);
  const topics = await deps.predictions.topics();
  const train = await deps.predictions.features(spec, categories, { ...windows.train, admittedAt: now }, topics);
  const trainPopulation = populationOf(train);
  if (!trainPopulation.some((i) => train.labels?.[i] === 1) || trainPopulation.every((i) => train.labels?.[i] === 1)) {
    throw new DomainError('VALIDATION_FAILED', 'the training window has no example of both outcomes: choose a later asOf or a longer horizon', {
      field: 'asOf',
    });
  }
  const fitted = fitLogistic(train);
  const heldOut = await deps.predictions.features(spec, categories, { ...windows.heldOut, admittedAt: now }, topics);
  const scores = scoreRows(fitted, heldOut);
  const population = populationOf(heldOut);
  const labels = heldOut.labels ?? new Uint8Array(0);
  const auc = rocAuc(scores, labels, population);
  const model = {
    ...spec,
    asOf,
    trainedAt: now,
    features: [...train.names],
    model: fitted,
    auc: auc === null ? null : Math.round(auc * 1e6) / 1e6,
    calibration: calibration(scores, labels, population),
    trainedOn: trainPopulation.length,
    evaluatedOn: population.length,
    windows,
  };
  const id = await deps.predictions.insertModel(model);
  return { ...model, id, scoredAt: null };
}

export async function getModel(deps: Pick<PredictionDeps, 'predictions'>, id: number): Promise<PredictionModel> {
  const model = Number.isSafeInteger(id) && id > 0 ? await deps.predictions.model(id) : null;
  if (model === null) throw new DomainError('NOT_FOUND', `no model ${id}`, { field: 'model' });
  return model;
}

/** Every model, newest first, each marked whether its scores are the ones that rank offers now. */
export async function listModels(deps: Pick<PredictionDeps, 'predictions'>): Promise<(PredictionModel & { usedForOffers: boolean })[]> {
  const models = await deps.predictions.models();
  const forOffers = offerRankingModels(models);
  return models.map((m) => ({ ...m, usedForOffers: forOffers.has(m.id) }));
}

/**
 * (Re)computes the model's scores for every customer who may be profiled now, from the records as of
 * the model's as-of time, replacing its earlier scores. Returns how many were written.
 */
export async function scoreModel(deps: PredictionDeps, id: number): Promise<{ model: number; scored: number; computedAt: Instant }> {
  const model = await getModel(deps, id);
  const now = deps.now();
  const categories = model.features.filter((f) => f.startsWith('category:')).map((f) => f.slice('category:'.length));
  // A model trained before interests were features has none: its features are read as it was trained.
  const topics = model.features.filter((f) => f.startsWith('interest:')).map((f) => f.slice('interest:'.length));
  const rows = await deps.predictions.features(model, categories, { featuresAt: model.windows.scoreAt, admittedAt: now, allCustomers: true }, topics);
  const scores = scoreRows(model.model, rows);
  await deps.predictions.replaceScores(model.id, rows.customerIds, scores, now);
  return { model: model.id, scored: rows.customerIds.length, computedAt: now };
}

/**
 * The model's scores, one per customer who may be profiled now; computed first when the model has
 * none yet or the ledger or the customers changed since they were written.
 */
export async function* modelScores(deps: PredictionDeps, id: number): AsyncIterable<{ customerId: string; score: number }> {
  const model = await getModel(deps, id);
  if (await deps.predictions.scoresStale(model.id)) await scoreModel(deps, model.id);
  yield* deps.predictions.scores(model.id, deps.now());
}
