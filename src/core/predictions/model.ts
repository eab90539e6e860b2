/**
 * Purchase predictions (issue "segments, interests, offers and predictions", part 4; compliance.md
 * §2 rule 7): what a model is, the time windows it learns and is measured on, the logistic
 * regression itself (Newton's method with a small ridge, solved with ml-matrix; docs/decisions/0018),
 * ROC AUC and calibration. Pure: the features come from the store (set-based statements).
 */
import { Matrix, solve } from 'ml-matrix';
import { heldOutOutcomes, MIN_OUTCOMES_TO_JUDGE } from './model-notes.ts';

export const MODEL_KINDS = ['propensity', 'churn'] as const;
export type ModelKind = (typeof MODEL_KINDS)[number];

export const MAX_HORIZON_DAYS = 730;
const DAY_MS = 86_400_000;

/** The windows a model is trained and measured on, all ending at or before `asOf` (nothing later is read). */
export interface ModelWindows {
  /** Features as of this instant; labels from what started (propensity) or ended (churn) in (featuresAt, labelsUntil]. */
  train: { featuresAt: string; labelsUntil: string };
  /** The held-out period: the next window, ending at as-of. */
  heldOut: { featuresAt: string; labelsUntil: string };
  /** The scores read the records as of the model's as-of time. */
  scoreAt: string;
}

/**
 * Time-based split inside what is known at `asOf`: learn from features at T−2N with labels in
 * (T−2N, T−N], measure on features at T−N with labels in (T−N, T].
 */
export function modelWindows(asOf: string, horizonDays: number): ModelWindows {
  const t = Date.parse(asOf);
  const n = horizonDays * DAY_MS;
  const iso = (ms: number): string => new Date(ms).toISOString();
  return {
    train: { featuresAt: iso(t - 2 * n), labelsUntil: iso(t - n) },
    heldOut: { featuresAt: iso(t - n), labelsUntil: iso(t) },
    scoreAt: iso(t),
  };
}

/** What a model was asked to predict. */
export interface ModelSpec {
  kind: ModelKind;
  /** Propensity: the category a new order falls in. Churn: null for any subscription, or one category. */
  category: string | null;
  horizonDays: number;
}

/** One customer's features as the store computes them: names are the model's `features`. */
export interface FeatureRows {
  names: readonly string[];
  customerIds: string[];
  /** Row-major, `names.length` values per customer. */
  values: Float64Array;
  /** 1 when the label event happened in the window, else 0 (absent when scoring). */
  labels?: Uint8Array;
  /** Rows a churn model has nothing to say about (no subscription running): 1 = in the population. */
  eligible?: Uint8Array;
}

/** The fitted model as stored: standardisation and coefficients (index 0: intercept). */
export interface FittedModel {
  means: number[];
  scales: number[];
  coefficients: number[];
  iterations: number;
}

export interface CalibrationBin {
  decile: number;
  customers: number;
  predicted: number;
  observed: number;
}

// In a module of their own, without ml-matrix, so that the console can say them too.
export { heldOutOutcomes, MIN_OUTCOMES_TO_JUDGE, modelNotes, type ModelNote } from './model-notes.ts';

/**
 * How many times as likely as the average customer one with `score` was seen to be, on the model's
 * held-out period: the observed rate of the decile whose mean prediction lies nearest the score,
 * over the observed rate of all. Observed, not predicted: an overconfident model (top decile
 * predicted 7.3 %, observed 2.6 %) told a customer "22 times as likely" from its raw score. Null
 * when the period had fewer than MIN_OUTCOMES_TO_JUDGE outcomes or none at all: nothing to say.
 */
export function observedLift(score: number, bins: readonly CalibrationBin[]): number | null {
  const customers = bins.reduce((n, b) => n + b.customers, 0);
  const outcomes = heldOutOutcomes(bins);
  if (customers === 0 || outcomes < MIN_OUTCOMES_TO_JUDGE - 1e-9) return null;
  let nearest: CalibrationBin | null = null;
  for (const b of bins) if (b.customers > 0 && (nearest === null || Math.abs(b.predicted - score) < Math.abs(nearest.predicted - score))) nearest = b;
  return nearest === null ? null : nearest.observed / (outcomes / customers);
}

/**
 * Logistic regression by Newton's method (iteratively reweighted least squares) on standardised
 * features with a small ridge penalty: deterministic, a handful of passes over the rows, each
 * O(rows × features²); the d×d system is solved by ml-matrix.
 */
export function fitLogistic(rows: FeatureRows, opts: { ridge?: number; maxIterations?: number } = {}): FittedModel {
  const d = rows.names.length;
  const labels = rows.labels;
  if (labels === undefined) throw new Error('fitLogistic needs labels');
  const maxIterations = opts.maxIterations ?? 12;
  const use = rowsInPopulation(rows);
  // A ridge that grows with the rows (one per thousand): it keeps a nearly separating feature
  // from drifting for many steps, and is small beside the data's own curvature.
  const ridge = opts.ridge ?? Math.max(1, use.length / 1000);
  const { means, scales } = standardisation(rows, use);
  const p = d + 1;
  const beta = new Float64Array(p);
  const x = new Float64Array(p);
  let iterations = 0;
  for (; iterations < maxIterations; iterations++) {
    const hessian = new Float64Array(p * p);
    const gradient = new Float64Array(p);
    for (const i of use) {
      x[0] = 1;
      for (let j = 0; j < d; j++) x[j + 1] = ((rows.values[i * d + j] ?? 0) - (means[j] ?? 0)) / (scales[j] ?? 1);
      let z = 0;
      for (let j = 0; j < p; j++) z += (beta[j] ?? 0) * (x[j] ?? 0);
      const mu = sigmoid(z);
      const w = Math.max(mu * (1 - mu), 1e-9);
      const r = (labels[i] ?? 0) - mu;
      for (let j = 0; j < p; j++) {
        const xj = x[j] ?? 0;
        gradient[j] = (gradient[j] ?? 0) + r * xj;
        const wx = w * xj;
        const row = j * p;
        for (let k = 0; k <= j; k++) hessian[row + k] = (hessian[row + k] ?? 0) + wx * (x[k] ?? 0);
      }
    }
    // Ridge on the coefficients, not the intercept; the lower triangle mirrored.
    for (let j = 1; j < p; j++) {
      gradient[j] = (gradient[j] ?? 0) - ridge * (beta[j] ?? 0);
      hessian[j * p + j] = (hessian[j * p + j] ?? 0) + ridge;
    }
    hessian[0] = (hessian[0] ?? 0) + 1e-9;
    const h: number[][] = [];
    for (let j = 0; j < p; j++) {
      const row: number[] = [];
      for (let k = 0; k < p; k++) row.push(k <= j ? (hessian[j * p + k] ?? 0) : (hessian[k * p + j] ?? 0));
      h.push(row);
    }
    const step = solve(new Matrix(h), Matrix.columnVector(Array.from(gradient))).to1DArray();
    let change = 0;
    for (let j = 0; j < p; j++) {
      const s = step[j] ?? 0;
      beta[j] = (beta[j] ?? 0) + s;
      change = Math.max(change, Math.abs(s));
    }
    // Converged: no standardised coefficient moves by more than 10⁻⁴ (far below what changes a ranking).
    if (change < 1e-4) {
      iterations++;
      break;
    }
  }
  return { means, scales, coefficients: Array.from(beta), iterations };
}

function rowsInPopulation(rows: FeatureRows): number[] {
  const out: number[] = [];
  for (let i = 0; i < rows.customerIds.length; i++) if (rows.eligible === undefined || rows.eligible[i] === 1) out.push(i);
  return out;
}

function standardisation(rows: FeatureRows, use: readonly number[]): { means: number[]; scales: number[] } {
  const d = rows.names.length;
  const means = new Array<number>(d).fill(0);
  const squares = new Array<number>(d).fill(0);
  for (const i of use) {
    for (let j = 0; j < d; j++) {
      const v = rows.values[i * d + j] ?? 0;
      means[j] = (means[j] ?? 0) + v;
      squares[j] = (squares[j] ?? 0) + v * v;
    }
  }
  const n = Math.max(use.length, 1);
  const scales = means.map((sum, j) => {
    const mean = sum / n;
    const variance = (squares[j] ?? 0) / n - mean * mean;
    return variance > 1e-12 ? Math.sqrt(variance) : 1;
  });
  return { means: means.map((sum) => sum / n), scales };
}

function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

/**
 * Scores every row (a probability in [0, 1]). A churn model scores 0 where nothing runs that could
 * end (`eligible` 0): there is no subscription to lose.
 */
export function scoreRows(model: FittedModel, rows: FeatureRows): Float64Array {
  const d = rows.names.length;
  const n = rows.customerIds.length;
  const out = new Float64Array(n);
  const beta = model.coefficients;
  for (let i = 0; i < n; i++) {
    if (rows.eligible !== undefined && rows.eligible[i] !== 1) continue;
    let z = beta[0] ?? 0;
    for (let j = 0; j < d; j++) z += (beta[j + 1] ?? 0) * (((rows.values[i * d + j] ?? 0) - (model.means[j] ?? 0)) / (model.scales[j] ?? 1));
    out[i] = sigmoid(z);
  }
  return out;
}

/** ROC AUC (the probability that a random positive outscores a random negative; ties count half); null with one class only. */
export function rocAuc(scores: ArrayLike<number>, labels: ArrayLike<number>, use?: readonly number[]): number | null {
  const idx = use ?? Array.from({ length: scores.length }, (_, i) => i);
  const sorted = [...idx].sort((a, b) => (scores[a] ?? 0) - (scores[b] ?? 0));
  let positives = 0;
  let rankSum = 0;
  for (let start = 0; start < sorted.length; ) {
    let end = start;
    while (end + 1 < sorted.length && scores[sorted[end + 1] ?? 0] === scores[sorted[start] ?? 0]) end++;
    const midRank = (start + end) / 2 + 1;
    for (let k = start; k <= end; k++) {
      if (labels[sorted[k] ?? 0] === 1) {
        positives++;
        rankSum += midRank;
      }
    }
    start = end + 1;
  }
  const negatives = sorted.length - positives;
  if (positives === 0 || negatives === 0) return null;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** Deciles by predicted score (lowest first): mean predicted probability beside the observed rate. */
export function calibration(scores: ArrayLike<number>, labels: ArrayLike<number>, use?: readonly number[]): CalibrationBin[] {
  const idx = [...(use ?? Array.from({ length: scores.length }, (_, i) => i))].sort((a, b) => (scores[a] ?? 0) - (scores[b] ?? 0));
  const bins: CalibrationBin[] = [];
  for (let decile = 1; decile <= 10; decile++) {
    const from = Math.floor(((decile - 1) * idx.length) / 10);
    const to = Math.floor((decile * idx.length) / 10);
    if (to <= from) continue;
    let predicted = 0;
    let observed = 0;
    for (let k = from; k < to; k++) {
      const i = idx[k] ?? 0;
      predicted += scores[i] ?? 0;
      observed += labels[i] ?? 0;
    }
    const customers = to - from;
    bins.push({ decile, customers, predicted: round(predicted / customers), observed: round(observed / customers) });
  }
  return bins;
}

export function populationOf(rows: FeatureRows): number[] {
  return rowsInPopulation(rows);
}

const round = (v: number): number => Math.round(v * 1e6) / 1e6;

/** A stored model: what it predicts, when, from what, and how well it did on the held-out period. */
export interface PredictionModel extends ModelSpec {
  id: number;
  asOf: string;
  trainedAt: string;
  features: string[];
  model: FittedModel;
  auc: number | null;
  calibration: CalibrationBin[];
  trainedOn: number;
  evaluatedOn: number;
  windows: ModelWindows;
  scoredAt: string | null;
}

export type NewPredictionModel = Omit<PredictionModel, 'id' | 'scoredAt'>;

/** The store's side (src/storage/predictions/): features set-based, models and their scores. */
export interface PredictionStore {
  /** The product categories there are, sorted: one feature each. */
  categories(): Promise<string[]>;
  /**
   * Features of every customer known at `featuresAt` (created by then), from records started or
   * recorded by then only, restricted to customers who may be profiled at `admittedAt`; with labels
   * from (featuresAt, labelsUntil] when `labelsUntil` is given.
   */
  features(
    spec: ModelSpec,
    categories: readonly string[],
    window: { featuresAt: string; labelsUntil?: string; admittedAt: string; allCustomers?: boolean },
    /** Interest topics: one feature each, 1 when the customer's latest stated record for it by `featuresAt` is `interested`. */
    topics?: readonly string[],
  ): Promise<FeatureRows>;
  /** The interest topics there are, in their order. */
  topics(): Promise<string[]>;
  insertModel(model: NewPredictionModel): Promise<number>;
  model(id: number): Promise<PredictionModel | null>;
  models(): Promise<PredictionModel[]>;
  /** Replaces the model's scores with these (one transaction, multi-row inserts). */
  replaceScores(modelId: number, customerIds: readonly string[], scores: ArrayLike<number>, computedAt: string): Promise<void>;
  /** True when the ledger or the customers changed since the model's scores were written (or it has none). */
  scoresStale(modelId: number): Promise<boolean>;
  /** The model's scores of customers who may be profiled at `at`, by customer id. */
  scores(modelId: number, at: string): AsyncIterable<{ customerId: string; score: number }>;
}
