/**
 * `lupa campaign schedule` and `lupa worker` as real processes: the worker launches a scheduled
 * campaign once its time has come, sends it over SMTP, leaves a campaign that is not due alone, and
 * exits cleanly on SIGTERM, logging no personal data.
 */
import { spawn } from 'node:child_process';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { DevInbox } from '../../src/channels/email/dev-inbox.ts';
import { createApp, type App } from '../../src/composition-root.ts';
import { loadConfig } from '../../src/config.ts';
import { toInstant } from '../../src/core/time.ts';
import { runImport } from '../../src/import/run-import.ts';
import { createCampaign } from '../../src/use-cases/campaigns.ts';
import { BIN, lupa, PROCESS_TEST_TIMEOUT_MS } from '../support/processes.ts';
import { SERVICE_NOTICE as NOTICE } from '../support/sending.ts';
import { describeOnStore, freshStore, type TestStore } from '../support/stores.ts';

const RECIPIENTS = 12;

vi.setConfig({ testTimeout: PROCESS_TEST_TIMEOUT_MS });

/** Polls `check` until it holds; gives up only when the process it waits for has exited first. */
async function eventually(check: () => Promise<boolean>, what: string, exited: Promise<unknown>): Promise<void> {
  let gone = false;
  void exited.then(() => (gone = true));
  while (!(await check())) {
    if (gone) throw new Error(`the worker exited before ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

for (const kind of ['sqlite', 'postgres'] as const) {
  describeOnStore(kind, 'lupa worker as a process', () => {
    let store: TestStore;
    let app: App;
    const inbox = new DevInbox(100);
    let smtpPort = 0;

    beforeAll(async () => {
      store = await freshStore(kind);
      app = await createApp(loadConfig({ LUPA_DATABASE_URL: store.url, LUPA_LOG_LEVEL: 'silent' }));
      const customers = Array.from({ length: RECIPIENTS }, (_, i) => JSON.stringify({ type: 'customer', id: `S${i}`, kind: 'person', name: `Tilaaja Numero${i}`, email: `s${i}@example.fi` }));
      const imported = await runImport({ database: app.database, settings: app.settings, now: app.now }, { stream: Readable.from(customers.join('\n')), format: 'ndjson' });
      expect(imported.errorCount).toBe(0);
      await app.stores.templates.save(NOTICE.id, NOTICE, app.now());
      smtpPort = (await inbox.start('127.0.0.1', 0)).port;
    });
    afterAll(async () => {
      await inbox.stop();
      await app.close();
      await store.drop();
    });

    it('launches the campaign that is due and sends it, leaves the one scheduled for later, and stops on SIGTERM', async () => {
      const deps = { ...app.stores, settings: app.settings, sending: app.sending, now: app.now };
      const notice = { purpose: 'service', channel: 'email', sku: null, filter: {}, templateId: NOTICE.id, from: { name: 'Jakelu', address: 'jakelu@lupa.test' } } as const;
      // Due while the worker starts up.
      const due = await createCampaign(deps, { ...notice, name: 'Jakeluhäiriö', sendAt: toInstant(Date.now() + 1500) });
      const tomorrow = toInstant(Date.now() + 86_400_000);
      const later = await createCampaign(deps, { ...notice, name: 'Huominen', sendAt: tomorrow });
      const unscheduled = await createCampaign(deps, { ...notice, name: 'Ajastamaton' });

      const worker = spawn(process.execPath, [BIN, '--db', store.url, 'worker', '--worker', 'e2e', '--poll-seconds', '1'], {
        env: { ...process.env, LUPA_LOG_LEVEL: 'info', LUPA_SMTP_URL: `smtp://127.0.0.1:${smtpPort}`, LUPA_MAIL_DOMAIN: 'lupa.test' },
      });
      let output = '';
      worker.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      worker.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const exited = new Promise<number | null>((resolve) => worker.on('exit', (code) => resolve(code)));

      try {
        const [scheduled, past, launch] = await Promise.all([
          lupa(['--db', store.url, 'campaign', 'schedule', String(unscheduled.id), '--at', tomorrow]),
          lupa(['--db', store.url, 'campaign', 'schedule', String(unscheduled.id), '--at', '2020-01-01T00:00:00Z']),
          lupa(['--db', store.url, 'campaign', 'launch', String(later.id)]),
        ]);
        expect(scheduled).toMatchObject({ code: 0, stdout: `campaign ${unscheduled.id}: scheduled for ${tomorrow}\n` });
        expect(past.code).toBe(2);
        expect(past.stderr).toContain('error VALIDATION_FAILED (at)');
        expect(launch.code).toBe(4);
        expect(launch.stderr).toContain(`error CAMPAIGN_STATE (campaign): campaign ${later.id} is scheduled to start at ${tomorrow}`);

        await eventually(async () => (await app.stores.campaigns.get(due.id))?.status === 'done', 'the due campaign was sent', exited);
      } finally {
        worker.kill('SIGTERM');
      }
      expect(await exited).toBe(0);

      const arrived = await inbox.list();
      expect(arrived.map((m) => m.envelopeTo.join(',')).sort()).toEqual(Array.from({ length: RECIPIENTS }, (_, i) => `s${i}@example.fi`).sort());
      const launched = await app.stores.campaigns.get(due.id);
      // Launched when its time had come, not before.
      expect(Date.parse(launched?.launchedAt ?? '')).toBeGreaterThanOrEqual(Date.parse(due.sendAt ?? ''));
      for (const waiting of [later, unscheduled]) {
        expect(await app.stores.campaigns.get(waiting.id)).toMatchObject({ status: 'draft', sendAt: tomorrow });
        expect((await app.stores.campaigns.deliveryCounts(waiting.id)).byState).toEqual({});
      }

      const lines = output.trim().split('\n').map((l) => JSON.parse(l) as { msg: string; campaignId?: number });
      expect(lines.filter((l) => l.msg === 'launched scheduled campaign').map((l) => l.campaignId)).toEqual([due.id]);
      expect(lines.map((l) => l.msg)).toContain('sending worker stopped');
      expect(output).not.toMatch(/@example\.fi|Tilaaja|Numero/);
    });
  });
}
