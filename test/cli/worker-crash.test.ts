/**
 * `lupa worker` processes killed with SIGKILL while they send, at message counts seen at a recording
 * SMTP sink: no message is lost, and each kill repeats at most the messages its worker had in flight
 * (LUPA_SMTP_CONNECTIONS). Several workers at once on PostgreSQL; on SQLite one at a time, restarted.
 */
import { messageIdFor } from '../../src/channels/email/smtp-sender.ts';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { createApp, type App } from '../../src/composition-root.ts';
import { loadConfig } from '../../src/config.ts';
import { PROCESS_TEST_TIMEOUT_MS } from '../support/processes.ts';
import { importNumberedCustomers, launchServiceNotice } from '../support/sending.ts';
import { describeOnStore, freshStore, type TestStore } from '../support/stores.ts';
import { crashFigures, holdDeliveryWrites, sendWithCrashes } from '../support/worker-crashes.ts';

vi.setConfig({ testTimeout: PROCESS_TEST_TIMEOUT_MS });

const RECIPIENTS = 300;
const KILLS = 3;
const CONNECTIONS = 3;

for (const [kind, workers] of [['sqlite', 1], ['postgres', 3]] as const) {
  describeOnStore(kind, 'workers killed while sending', () => {
    let store: TestStore;
    let app: App;

    beforeAll(async () => {
      store = await freshStore(kind);
      app = await createApp(loadConfig({ LUPA_DATABASE_URL: store.url, LUPA_LOG_LEVEL: 'silent' }));
      await importNumberedCustomers(app, RECIPIENTS, 'k');
    });
    afterAll(async () => {
      await app.close();
      await store.drop();
    });

    it(`loses no message and repeats at most ${CONNECTIONS} (the connections) per kill`, async () => {
      const campaign = await launchServiceNotice(app, 'Kaatumiset');
      expect(campaign.queued).toBe(RECIPIENTS);

      const run = await sendWithCrashes({
        databaseUrl: store.url,
        expected: RECIPIENTS,
        workers,
        connections: CONNECTIONS,
        kills: KILLS,
        seed: 7,
        // A claim outlasts the batch on a loaded machine, and a hand-off with its record (held a second
        // before each kill) stays well within the last fifth of it: no live worker's claim is taken over.
        leaseSeconds: 30,
        // Larger than the connections: a worker that went on handing off while its records waited
        // would repeat up to a batch at a kill, not up to its connections.
        batch: 10,
        finished: async () => (await app.stores.campaigns.get(campaign.id))?.status === 'done',
        ...(kind === 'postgres' ? { holdCommits: { hold: () => holdDeliveryWrites(app.database), holdMs: 1000 } } : {}),
      });
      const ids = await app.database.db.selectFrom('deliveries').select('id').where('campaign_id', '=', campaign.id).execute();
      const figures = crashFigures(run, ids.map((d) => messageIdFor({ deliveryId: d.id, attempt: 1 }, 'lupa.test', app.installationId)));

      expect(run.kills).toHaveLength(KILLS);
      expect(figures.lost).toBe(0);
      expect(figures.distinct).toBe(RECIPIENTS);
      // Up to each kill, at most the connections of every worker killed so far.
      const upToEach = figures.duplicatesPerKill.map((_, k) => figures.duplicatesPerKill.slice(0, k + 1).reduce((a, b) => a + b, 0));
      expect(upToEach.every((n, k) => n <= (k + 1) * CONNECTIONS)).toBe(true);
      expect(figures.duplicates).toBeLessThanOrEqual(KILLS * CONNECTIONS);
      expect((await app.stores.campaigns.deliveryCounts(campaign.id)).byState).toEqual({ sent: RECIPIENTS });
    });
  });
}

