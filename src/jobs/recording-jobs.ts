/**
 * What `lupa serve` does for recordings on its own: deletes those whose retention ended every
 * `LUPA_RECORDING_PURGE_SECONDS`, and takes recordings from `LUPA_RECORDINGS_INBOX` every
 * `LUPA_RECORDINGS_INBOX_SECONDS`. At the purge's pace it also stores the lapse of phone sales
 * whose written offer was not accepted in time (reads show them lapsed already). Reports carry
 * counts only, never whose recordings.
 */
import type { App } from '../app.ts';
import { recordingSetup } from '../recordings-setup.ts';
import { lapseDueSales } from '../use-cases/calls/phone-sales.ts';
import { purgeRecordings } from '../use-cases/calls/recordings.ts';
import { startPeriodicJob } from './periodic-job.ts';
import { takeRecordingsInbox } from './recordings-inbox.ts';

export interface RecordingJobs {
  stop(): Promise<void>;
}

/**
 * Starts the purge and, when configured, the inbox. With an inbox or a configured key the key is
 * checked first: a missing or malformed key stops the start (CONFIG_INVALID), not the first file.
 */
export async function startRecordingJobs(app: App, report: (line: string) => void): Promise<RecordingJobs> {
  const setup = recordingSetup(app);
  const c = app.config;
  if (c.LUPA_RECORDINGS_INBOX !== undefined || c.LUPA_RECORDINGS_KEY !== undefined) await setup.key();
  const failed = (what: string) => (err: unknown) => report(`${what} failed: ${err instanceof Error ? err.message : String(err)}`);
  const purge = startPeriodicJob(
    () => purgeRecordings({ ...app.stores, now: app.now, files: setup.files }, app.now(), { actor: 'system:recordings-purge', role: 'admin' }),
    c.LUPA_RECORDING_PURGE_SECONDS,
    failed('recordings purge'),
  );
  const lapse = startPeriodicJob(() => lapseDueSales({ ...app.stores, now: app.now }, { actor: 'system:phone-sales-lapse', role: 'admin' }), c.LUPA_RECORDING_PURGE_SECONDS, failed('phone sales lapse'));
  const inboxDir = c.LUPA_RECORDINGS_INBOX;
  const inbox =
    inboxDir === undefined
      ? null
      : startPeriodicJob(
          async () => {
            const taken = await takeRecordingsInbox({ ...app.stores, now: app.now, ...setup }, inboxDir);
            if (taken.failed > 0) report(`recordings inbox: ${taken.failed} file(s) refused, moved to failed/ with the reason beside them`);
            return taken;
          },
          c.LUPA_RECORDINGS_INBOX_SECONDS,
          failed('recordings inbox'),
        );
  return {
    stop: async () => {
      await purge.stop();
      await lapse.stop();
      await inbox?.stop();
    },
  };
}
