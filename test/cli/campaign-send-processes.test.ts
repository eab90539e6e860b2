/**
 * Several `lupa campaign send` processes share one campaign on PostgreSQL, sending over real SMTP:
 * every queued delivery goes out exactly once. The inbox here holds its answers until messages of
 * at least three workers are in flight together, so the processes really do overlap.
 */
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { createApp, type App } from '../../src/composition-root.ts';
import { loadConfig } from '../../src/config.ts';
import { runImport } from '../../src/import/run-import.ts';
import { createCampaign, launchCampaign } from '../../src/use-cases/campaigns.ts';
import { lupa, PROCESS_TEST_TIMEOUT_MS, type Run } from '../support/processes.ts';
import { SERVICE_NOTICE as NOTICE } from '../support/sending.ts';
import { describeOnStore, freshStore, type TestStore } from '../support/stores.ts';

vi.setConfig({ testTimeout: PROCESS_TEST_TIMEOUT_MS });

const RECIPIENTS = 300;
const WORKERS = 3;
/** Each worker has at most this many messages in flight (one per SMTP connection). */
const CONNECTIONS = 2;
/** More messages in flight at once than two workers can have: a third is sending too. */
const GATE = 2 * CONNECTIONS + 1;

interface Received {
  to: string;
  messageId: string;
}

/** An SMTP sink that answers no message until `gate` are waiting together, then everything at once. */
class GatedInbox {
  readonly received: Received[] = [];
  private waiting: (() => void)[] = [];
  private open = false;
  private readonly server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData: (stream, session, callback) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const head = Buffer.concat(chunks).toString('utf8').split('\r\n\r\n')[0] ?? '';
        this.received.push({ to: session.envelope.rcptTo.map((r) => r.address).join(','), messageId: /^message-id:\s*(\S+)/im.exec(head)?.[1] ?? '' });
        this.waiting.push(() => callback());
        if (this.waiting.length >= this.gate) this.open = true;
        if (this.open) for (const answer of this.waiting.splice(0)) answer();
      });
    },
  });

  constructor(private readonly gate: number) {}

  async start(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return (this.server.server.address() as AddressInfo).port;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
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
      const customers = Array.from({ length: RECIPIENTS }, (_, i) => JSON.stringify({ type: 'customer', id: `W${String(i).padStart(4, '0')}`, kind: 'person', name: `Asiakas ${i}`, email: `w${i}@example.fi` }));
      const imported = await runImport({ database: app.database, settings: app.settings, now: app.now }, { stream: Readable.from(customers.join('\n')), format: 'ndjson' });
      expect(imported.errorCount).toBe(0);
      await app.stores.templates.save(NOTICE.id, NOTICE, app.now());
      smtpPort = await inbox.start();
    });
    afterAll(async () => {
      await inbox.stop();
      await app.close();
      await store.drop();
    });

    it('sends every queued delivery exactly once: none twice, none missing', async () => {
      const deps = { ...app.stores, settings: app.settings, sending: app.sending, now: app.now };
      const campaign = await createCampaign(deps, { name: 'Jakeluhäiriö', purpose: 'service', channel: 'email', sku: null, filter: {}, templateId: NOTICE.id, from: { name: 'Jakelu', address: 'jakelu@lupa.test' } });
      expect((await launchCampaign(deps, { campaignId: campaign.id })).counts.byState).toEqual({ queued: RECIPIENTS });

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
