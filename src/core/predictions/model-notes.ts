/**
 * What is said about a model's measured quality besides its AUC, by the CLI (`lupa predict train`)
 * and the console's Models screen alike; no runtime imports, so that the console bundles only this.
 */
import type { CalibrationBin } from './model.ts';

/** Below this many outcomes on the held-out period a model is not judged, and no lift is drawn from it (the Models screen says so). */
export const MIN_OUTCOMES_TO_JUDGE = 30;

/** How many of the held-out customers did what the model predicts: customers × observed rate per tenth. */
export function heldOutOutcomes(bins: readonly CalibrationBin[]): number {
  return bins.reduce((n, b) => n + b.customers * b.observed, 0);
}

/**
 * What a person should know about a model's measured quality besides its AUC:
 * `few_outcomes`, too few outcomes on the held-out period to judge it by (no offer draws a lift from
 * it); `no_better_than_chance`, its held-out ROC AUC is 0.5 or below, so its scores order the
 * customers no better than lots drawn would (a model that learnt a pattern of the training window
 * that did not hold after it). The CLI prints them as notes, the Models screen as cautions.
 */
export type ModelNote = 'few_outcomes' | 'no_better_than_chance';

export function modelNotes(m: { auc: number | null; calibration: readonly CalibrationBin[] }): ModelNote[] {
  const notes: ModelNote[] = [];
  if (heldOutOutcomes(m.calibration) < MIN_OUTCOMES_TO_JUDGE - 1e-9) notes.push('few_outcomes');
  if (m.auc !== null && m.auc <= 0.5) notes.push('no_better_than_chance');
  return notes;
}
