/**
 * Crash benchmark: a campaign sent by `lupa worker` processes that are killed (SIGKILL) at random
 * points, counted at a recording SMTP sink: lost messages and repeats per kill, beside the bound
 * (LUPA_SMTP_CONNECTIONS per kill, docs/delivery-guarantees.md). The run of
 * test/cli/worker-crash.test.ts at a larger scale; a fresh store of its own.
 */
import { messageIdFor } from '../src/channels/email/smtp-sender.ts';
import { createApp } from '../src/composition-root.ts';
import { loadConfig } from '../src/config.ts';
import { importNumberedCustomers, launchServiceNotice } from '../test/support/sending.ts';
import { crashFigures, holdDeliveryWrites, sendWithCrashes } from '../test/support/worker-crashes.ts';

/** How long the `sent` records are held back before each kill on PostgreSQL. */
const HOLD_MS = 1000;

export interface CrashBenchOptions {
  /** A fresh, empty store. */
  databaseUrl: string;
  messages: number;
  kills: number;
  /** Workers alive at once (1 on SQLite). */
  workers: number;
  connections: number;
}

export async function benchCrash(opts: CrashBenchOptions): Promise<Record<string, unknown>> {
  const app = await createApp(loadConfig({ LUPA_DATABASE_URL: opts.databaseUrl, LUPA_LOG_LEVEL: 'silent' }));
  try {
    await importNumberedCustomers(app, opts.messages, 'k');
    const campaign = await launchServiceNotice(app, 'crash benchmark');
    const started = performance.now();
    const run = await sendWithCrashes({
      databaseUrl: opts.databaseUrl,
      expected: opts.messages,
      workers: opts.workers,
      connections: opts.connections,
      kills: opts.kills,
      seed: 1,
      // A claim outlasts its batch on a loaded machine, so that repeats come from kills only, not
      // from a live worker's claim running out mid-batch (see docs/delivery-guarantees.md).
      leaseSeconds: 60,
      batch: 50,
      finished: async () => (await app.stores.campaigns.get(campaign.id))?.status === 'done',
      // As in the crash test: on PostgreSQL the records are held back a moment before each kill, as a slow commit would.
      ...(app.database.dialect === 'postgres' ? { holdCommits: { hold: () => holdDeliveryWrites(app.database), holdMs: HOLD_MS } } : {}),
    });
    const seconds = (performance.now() - started) / 1000;
    const ids = await app.database.db.selectFrom('deliveries').select('id').where('campaign_id', '=', campaign.id).execute();
    const figures = crashFigures(run, ids.map((d) => messageIdFor({ deliveryId: d.id, attempt: 1 }, 'lupa.test', app.installationId)));
    return {
      messages: opts.messages,
      workers: opts.workers,
      connections: opts.connections,
      kills: run.kills.length,
      bound: { perKill: opts.connections, total: opts.connections * run.kills.length },
      lost: figures.lost,
      duplicates: figures.duplicates,
      duplicatesPerKill: figures.duplicatesPerKill,
      maxDuplicatesPerKill: Math.max(0, ...figures.duplicatesPerKill),
      withinBound: figures.lost === 0 && figures.duplicates <= opts.connections * run.kills.length,
      recordsHeldBeforeEachKillMs: app.database.dialect === 'postgres' ? HOLD_MS : 0,
      seconds: Math.round(seconds * 10) / 10,
    };
  } finally {
    await app.close();
  }
}
