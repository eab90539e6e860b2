/**
 * Feedback results (docs/customer-service.md#feedback): the answers counted per score in one
 * statement, reduced to the figures per agent, queue or month (src/core/feedback/results.ts), with
 * no figure for a group of fewer than LUPA_MIN_GROUP_SIZE answers.
 */
import type { FeedbackKind, FeedbackStore, ResultsQuery } from '../../core/feedback/feedback.ts';
import { summarise, type ResultGroup, type ResultGrouping } from '../../core/feedback/results.ts';

export interface FeedbackResults {
  kind: FeedbackKind;
  by: ResultGrouping;
  /** The whole selection in one group (the first row of `groups` when `by` is `all`). */
  total: ResultGroup | null;
  groups: ResultGroup[];
  minGroup: number;
}

/** The results of one kind, grouped `by`, over the months and the agent or queue the query names. */
export async function feedbackResults(deps: { feedback: FeedbackStore; minGroup: number }, query: ResultsQuery & { kind: FeedbackKind }, by: ResultGrouping): Promise<FeedbackResults> {
  const counts = await deps.feedback.scoreCounts(query);
  return {
    kind: query.kind,
    by,
    total: summarise(counts, query.kind, 'all', deps.minGroup)[0] ?? null,
    groups: summarise(counts, query.kind, by, deps.minGroup),
    minGroup: deps.minGroup,
  };
}
