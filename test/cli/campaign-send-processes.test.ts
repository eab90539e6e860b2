/**
 * Several `lupa campaign send` processes share one campaign on PostgreSQL, sending over real SMTP:
 * every queued delivery goes out exactly once. The inbox here holds its answers until messages of
 * at least three workers are in flight together, so the processes really do overlap.
 */
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { createApp, type App } from '../../src/composition-root.ts';
import { loadConfig } from '../../src/config.ts';
import { lupa, PROCESS_TEST_TIMEOUT_MS, type Run } from '../support/processes.ts';
import { importNumberedCustomers, launchServiceNotice } from '../support/sending.ts';
import { startSmtpSink, type SunkMessage } from '../support/smtp-sink.ts';
import { describeOnStore, freshStore, type TestStore } from '../support/stores.ts';

vi.setConfig({ testTimeout: PROCESS_TEST_TIMEOUT_MS });

const RECIPIENTS = 300;
const WORKERS = 3;
/** Each worker has at most this many messages in flight (one per SMTP connection). */
const CONNECTIONS = 2;
/** More messages in flight at once than two workers can have: a third is sending too. */
const GATE = 2 * CONNECTIONS + 1;

/** An SMTP sink that answers no message until `gate` are waiting together, then everything at once. */
class GatedInbox {
  readonly received: SunkMessage[] = [];
  private waiting: (() => void)[] = [];
  private open = false;
  private sink: { port: number; stop(): Promise<void> } | null = null;

  constructor(private readonly gate: number) {}

  async start(): Promise<number> {
    this.sink = await startSmtpSink((message, answer) => {
      this.received.push(message);
      this.waiting.push(answer);
      if (this.waiting.length >= this.gate) this.open = true;
      if (this.open) for (const waiting of this.waiting.splice(0)) waiting();
    });
    return this.sink.port;
  }

  async stop(): Promise<void> {
    await this.sink?.stop();
  }
}

function sendWorker(db: string, campaignId: number, worker: string, smtpPort: number): Promise<Run> {
  return lupa(['--db', db, 'campaign', 'send', String(campaignId), '--worker', worker, '--batch', '20', '--json'], {
    LUPA_SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
    LUPA_SMTP_CONNECTIONS: String(CONNECTIONS),
    LUPA_MAIL_DOMAIN: 'lupa.test',
  });
}

{
  const kind = 'postgres';
  describeOnStore(kind, 'several worker processes share one campaign', () => {
    let store: TestStore;
    let app: App;
    const inbox = new GatedInbox(GATE);
    let smtpPort = 0;

    beforeAll(async () => {
      store = await freshStore(kind);
      app = await createApp(loadConfig({ LUPA_DATABASE_URL: store.url, LUPA_LOG_LEVEL: 'silent' }));
      await importNumberedCustomers(app, RECIPIENTS, 'w');
      smtpPort = await inbox.start();
    });
    afterAll(async () => {
      await inbox.stop();
      await app.close();
      await store.drop();
    });

    it('sends every queued delivery exactly once: none twice, none missing', async () => {
      const campaign = await launchServiceNotice(app, 'Jakeluhäiriö');
      expect(campaign.queued).toBe(RECIPIENTS);

      const runs = await Promise.all(Array.from({ length: WORKERS }, (_, i) => sendWorker(store.url, campaign.id, `p${i}`, smtpPort)));
      expect(runs.map((r) => [r.code, r.stderr])).toEqual(runs.map(() => [0, '']));
      const summaries = runs.map((r) => JSON.parse(r.stdout) as { sent: number; skipped: number; failed: number; stoppedBecause: string });
      // The gate let nothing through until all three had a message in flight: each one sent.
      expect(summaries.every((s) => s.sent > 0 && s.skipped === 0 && s.failed === 0 && s.stoppedBecause === 'done')).toBe(true);
      expect(summaries.reduce((sum, s) => sum + s.sent, 0)).toBe(RECIPIENTS);

      const recipients = inbox.received.map((m) => m.to);
      expect(recipients).toHaveLength(RECIPIENTS);
      expect(new Set(recipients)).toEqual(new Set(Array.from({ length: RECIPIENTS }, (_, i) => `w${i}@example.fi`)));
      const messageIds = inbox.received.map((m) => m.messageId);
      expect(messageIds.every((id) => id === `<d${/^<d(\d+)\./.exec(id)?.[1] ?? 0}.1.${app.installationId}@lupa.test>`)).toBe(true);
      expect(new Set(messageIds).size).toBe(RECIPIENTS);

      expect((await app.stores.campaigns.deliveryCounts(campaign.id)).byState).toEqual({ sent: RECIPIENTS });
      expect((await app.stores.campaigns.get(campaign.id))?.status).toBe('done');
    });
  });
}
