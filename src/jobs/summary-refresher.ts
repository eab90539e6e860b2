/**
 * Keeps the audience summaries fresh while the server runs: every few seconds it refreshes the
 * customers whose records changed. Answers never depend on it (a dirty customer is read from its
 * records), only the audience's speed does. One refresh at a time; errors are logged, not thrown.
 */
import type { AudienceStore } from '../core/ports.ts';

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
  let running: Promise<number> = Promise.resolve(0);
  const refreshNow = (): Promise<number> => {
    running = running.catch(() => 0).then(() => audience.refreshSummaries());
    return running;
  };
  const timer = intervalSeconds > 0 ? setInterval(() => void refreshNow().catch(onError), intervalSeconds * 1000) : null;
  timer?.unref();
  return {
    refreshNow,
    stop: async () => {
      if (timer !== null) clearInterval(timer);
      await running.catch(() => 0);
    },
  };
}
