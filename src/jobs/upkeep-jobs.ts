/**
 * The server's periodic upkeep, by name, each a function of an App: what `lupa serve` runs on its
 * timers (docs/configuration.md: LUPA_SEGMENT_REFRESH_SECONDS, LUPA_REMARKETING_REFRESH_MINUTES,
 * LUPA_AD_SYNC_MINUTES). The same functions run in the upkeep thread (upkeep-thread.ts) or, where it
 * cannot start, in the server's own event loop.
 *
 * - `segments`: inferred interests, then every segment's members (a segment on interests reads this
 *   run's), then the offers' similar-readers counts, returned so that the server's rankings use them
 *   (`similarReaders`, keyed by category) without computing them inside a request;
 * - `remarketing`: every remarketing list's members;
 * - `ad-sync`: every ad audience synced to its platform.
 * Failures of one list or audience go to `report` as a line naming its id, never personal data.
 */
import type { App } from '../composition-root.ts';
import type { SimilarReaders } from '../core/offers/reasons.ts';

export type UpkeepJob = 'segments' | 'remarketing' | 'ad-sync';

export interface SegmentsUpkeep {
  /** Per segment: how it was refreshed (storage/segments). */
  refreshed: unknown;
  similarReaders: Map<string, SimilarReaders>;
}

/** One run of `job` on `app`; resolves with its result (structured-clonable, for the thread's answer). */
export async function runUpkeepJob(app: App, job: UpkeepJob, report: (line: string) => void): Promise<unknown> {
  const failed = (what: string, err: unknown): void => report(`${what}: ${err instanceof Error ? err.message : String(err)}`);
  switch (job) {
    case 'segments': {
      const { interestDeps, refreshInterests } = await import('../use-cases/interests/interests.ts');
      await refreshInterests(interestDeps(app));
      const refreshed = await app.stores.segments.refreshAll(app.now());
      const similarReaders = await app.stores.offers.refreshSimilarReaders(app.now());
      return { refreshed, similarReaders } satisfies SegmentsUpkeep;
    }
    case 'remarketing': {
      const { refreshAllRemarketingLists } = await import('../use-cases/remarketing.ts');
      return refreshAllRemarketingLists({ remarketing: app.stores.remarketing, now: app.now }, (id, err) => failed(`remarketing list ${id} refresh failed`, err));
    }
    case 'ad-sync': {
      const [{ syncAllAdAudiences }, { adPlatformClients }] = await Promise.all([import('../use-cases/ad-audiences/sync-ad-audience.ts'), import('../channels/ads/platform-clients.ts')]);
      const deps = { ...app.stores, settings: app.settings, now: app.now, platforms: adPlatformClients(app.config) };
      const { isDomainError } = await import('../core/errors.ts');
      // An audience another process is syncing (the API, the CLI, another server) is left to it: no failure.
      return syncAllAdAudiences(deps, (id, err) => (isDomainError(err) && err.code === 'AD_SYNC_RUNNING' ? undefined : failed(`ad audience ${id} sync failed`, err)));
    }
  }
}
