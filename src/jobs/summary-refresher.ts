/**
 * Keeps the audience summaries fresh while the server runs: every few seconds it refreshes the
 * customers whose records changed. Answers never depend on it (a dirty customer is read from its
 * records), only the audience's speed does. One refresh at a time; errors are logged, not thrown.
 */
import type { AudienceStore } from '../core/ports.ts';
import { startPeriodicJob } from './periodic-job.ts';

export interface SummaryRefresher {
  /** Refreshes now (waits for a running refresh first); resolves with the customers refreshed. */
  refreshNow(): Promise<number>;
  stop(): Promise<void>;
}

export function startSummaryRefresher(
  audience: Pick<AudienceStore, 'refreshSummaries'>,
  intervalSeconds: number,
  onError: (err: unknown) => void,
): SummaryRefresher {
  const job = startPeriodicJob(() => audience.refreshSummaries(), intervalSeconds, onError);
  return { refreshNow: job.runNow, stop: job.stop };
}
