import { describe, expect, it } from 'vitest';
import { calibration, fitLogistic, MIN_OUTCOMES_TO_JUDGE, modelNotes, modelWindows, observedLift, rocAuc, scoreRows, type FeatureRows } from './model.ts';

describe('ROC AUC', () => {
  it('is 1 for a perfect ranking, 0 for a reversed one, ½ for ties, and null with one class', () => {
    expect(rocAuc([0.1, 0.2, 0.8, 0.9], [0, 0, 1, 1])).toBe(1);
    expect(rocAuc([0.9, 0.8, 0.2, 0.1], [0, 0, 1, 1])).toBe(0);
    expect(rocAuc([0.5, 0.5, 0.5, 0.5], [0, 1, 0, 1])).toBe(0.5);
    expect(rocAuc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBe(0.75);
    expect(rocAuc([0.1, 0.2], [1, 1])).toBeNull();
  });
});

describe('calibration', () => {
  it('puts the scores in tenths, lowest first, with the mean prediction beside the observed rate', () => {
    const scores = Array.from({ length: 100 }, (_, i) => i / 100);
    const labels = scores.map((s) => (s >= 0.9 ? 1 : 0));
    const bins = calibration(scores, labels);
    expect(bins).toHaveLength(10);
    expect(bins[0]).toEqual({ decile: 1, customers: 10, predicted: 0.045, observed: 0 });
    expect(bins[9]).toEqual({ decile: 10, customers: 10, predicted: 0.945, observed: 1 });
  });
});

describe('the time split', () => {
  it('learns and measures inside what is known at as-of', () => {
    expect(modelWindows('2026-10-01T00:00:00.000Z', 30)).toEqual({
      train: { featuresAt: '2026-08-02T00:00:00.000Z', labelsUntil: '2026-09-01T00:00:00.000Z' },
      heldOut: { featuresAt: '2026-09-01T00:00:00.000Z', labelsUntil: '2026-10-01T00:00:00.000Z' },
      scoreAt: '2026-10-01T00:00:00.000Z',
    });
  });
});

describe('logistic regression', () => {
  /** y = 1 with probability σ(2·x₀ − x₁ − 1), x uniform in [−1, 1]², from a fixed sequence. */
  function sample(n: number): FeatureRows {
    let seed = 7;
    const next = (): number => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    const values = new Float64Array(n * 2);
    const labels = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const a = next() * 2 - 1;
      const b = next() * 2 - 1;
      values[i * 2] = a;
      values[i * 2 + 1] = b;
      labels[i] = next() < 1 / (1 + Math.exp(-(2 * a - b - 1))) ? 1 : 0;
    }
    return { names: ['a', 'b'], customerIds: Array.from({ length: n }, (_, i) => `C${i}`), values, labels };
  }

  it('recovers the true coefficients, deterministically, and ranks better than chance', () => {
    const rows = sample(20_000);
    const model = fitLogistic(rows);
    expect(fitLogistic(rows)).toEqual(model);
    // Coefficients are on standardised features: divided by the scale, they are on the raw one.
    const [intercept, a, b] = model.coefficients;
    const [sa, sb] = model.scales;
    expect((a ?? 0) / (sa ?? 1)).toBeCloseTo(2, 0);
    expect((b ?? 0) / (sb ?? 1)).toBeCloseTo(-1, 0);
    expect(intercept).toBeLessThan(0);
    expect(rocAuc(scoreRows(model, rows), rows.labels ?? [])).toBeGreaterThan(0.7);
  });

  it('scores 0 where a churn model has nothing to end', () => {
    const rows = { ...sample(200), eligible: new Uint8Array(200).fill(1) };
    rows.eligible[0] = 0;
    const scores = scoreRows(fitLogistic(rows), rows);
    expect(scores[0]).toBe(0);
    expect(scores[1]).toBeGreaterThan(0);
  });
});

describe('observedLift', () => {
  const bin = (decile: number, predicted: number, observed: number, customers = 200) => ({ decile, customers, predicted, observed });
  // Overconfident: the top tenth predicted 0.30 and observed 0.06; the rest 0.024 observed.
  const bins = [...Array.from({ length: 9 }, (_, i) => bin(i + 1, 0.01 + i * 0.005, 0.024)), bin(10, 0.3, 0.06)];
  it('is what the held-out period showed for such scores, not the raw score over the mean', () => {
    const average = bins.reduce((n, b) => n + b.customers * b.observed, 0) / bins.reduce((n, b) => n + b.customers, 0);
    expect(observedLift(0.9, bins)).toBeCloseTo(0.06 / average, 6);
    expect(observedLift(0.011, bins)).toBeCloseTo(0.024 / average, 6);
    // The raw reading was 0.9 over a mean prediction of about 0.05: some 18 times.
    expect(observedLift(0.9, bins)).toBeLessThan(3);
  });
  it('says nothing from a model with fewer outcomes than MIN_OUTCOMES_TO_JUDGE, or none', () => {
    const few = bins.map((b) => ({ ...b, customers: 10 }));
    expect(few.reduce((n, b) => n + b.customers * b.observed, 0)).toBeLessThan(MIN_OUTCOMES_TO_JUDGE);
    expect(observedLift(0.3, few)).toBeNull();
    expect(observedLift(0.3, [])).toBeNull();
  });
});

describe('notes on a model', () => {
  const bins = (outcomes: number) => [{ decile: 1, customers: 1000, predicted: 0.05, observed: outcomes / 1000 }];
  it('says a model whose held-out AUC is 0.5 or below is no better than chance, and when its outcomes are too few to judge it', () => {
    expect(modelNotes({ auc: 0.45, calibration: bins(100) })).toEqual(['no_better_than_chance']);
    expect(modelNotes({ auc: 0.5, calibration: bins(100) })).toEqual(['no_better_than_chance']);
    expect(modelNotes({ auc: 0.51, calibration: bins(100) })).toEqual([]);
    expect(modelNotes({ auc: 0.7, calibration: bins(29) })).toEqual(['few_outcomes']);
    // One outcome only: no AUC, nothing to say of chance.
    expect(modelNotes({ auc: null, calibration: bins(0) })).toEqual(['few_outcomes']);
  });
});
