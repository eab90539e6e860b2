/**
 * `lupa campaign send` that sends nothing says why, from the campaign's state and counts: a draft not
 * launched, a paused campaign, or one whose deliveries a running worker (the one `npm start` runs)
 * has sent already: never a bare "sent 0".
 */
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { createApp } from '../../src/composition-root.ts';
import { loadConfig } from '../../src/config.ts';
import { lupa, PROCESS_TEST_TIMEOUT_MS } from '../support/processes.ts';
import { describeOnStore, freshStore, type TestStore } from '../support/stores.ts';

vi.setConfig({ testTimeout: PROCESS_TEST_TIMEOUT_MS });

describeOnStore('sqlite', 'a campaign send that sends nothing', () => {
  let store: TestStore;
  const run = (args: string[]) => lupa(['--db', store.url, ...args]);

  beforeAll(async () => {
    store = await freshStore('sqlite');
    expect((await run(['demo', '--customers', '40'])).code).toBe(0);
    expect((await run(['campaign', 'create', '--name', 'Syystarjous', '--purpose', 'marketing', '--channel', 'email', '--product', 'UV-PRINT-7', '--template', 'autumn'])).code).toBe(0);
  });
  afterAll(async () => {
    await store.drop();
  });

  it('says a draft is not launched yet, and how to launch it', async () => {
    const sent = await run(['campaign', 'send', '1']);
    expect(sent.code).toBe(0);
    expect(sent.stdout).toContain('sent 0');
    expect(sent.stdout).toContain('nothing to send: campaign 1 is a draft, not launched yet (lupa campaign launch 1)');
  });

  it('says a paused campaign is paused, with how many wait', async () => {
    expect((await run(['campaign', 'launch', '1'])).code).toBe(0);
    expect((await run(['campaign', 'pause', '1'])).code).toBe(0);
    const sent = await run(['campaign', 'send', '1']);
    expect(sent.stdout).toMatch(/nothing sent: campaign 1 is paused, \d+ deliveries wait; lupa campaign resume 1 to send them/);
    expect((await run(['campaign', 'resume', '1'])).code).toBe(0);
  });

  it('says every delivery was sent already by a running worker, with the counts, in text and JSON', async () => {
    // What the worker inside `npm start` leaves behind: every queued delivery sent.
    const app = await createApp(loadConfig({ LUPA_DATABASE_URL: store.url, LUPA_LOG_LEVEL: 'silent' }));
    let sentBefore: number;
    try {
      const result = await app.database.db.updateTable('deliveries').set({ state: 'sent', sent_at: app.now(), attempts: 1 }).where('campaign_id', '=', 1).where('state', '=', 'queued').executeTakeFirst();
      sentBefore = Number(result.numUpdatedRows);
    } finally {
      await app.close();
    }
    expect(sentBefore).toBeGreaterThan(0);
    const sent = await run(['campaign', 'send', '1']);
    expect(sent.code).toBe(0);
    expect(sent.stdout).toContain(`nothing left to send: every delivery of campaign 1 was handled already (${sentBefore} sent, `);
    expect(sent.stdout).toContain('by a running worker (npm start sends launched campaigns by itself on SQLite; lupa worker on PostgreSQL) or an earlier send');
    const json = JSON.parse((await run(['campaign', 'send', '1', '--json'])).stdout) as { sent: number; nothingSent: string };
    expect(json).toMatchObject({ sent: 0, nothingSent: expect.stringContaining('nothing left to send') });
  });

  it('says why it paused a campaign whose relay cannot be reached, also with more messages than connections', async () => {
    expect((await run(['campaign', 'create', '--name', 'Jakeluhäiriö', '--purpose', 'service', '--channel', 'email', '--template', 'disruption'])).code).toBe(0);
    expect((await run(['campaign', 'launch', '2'])).code).toBe(0);
    // Nothing listens on port 1: every connection is refused at once. Two connections and a batch of
    // 20: after two refusals the pool used to wait for ever and the process ended silently (exit 13).
    const sent = await lupa(['--db', store.url, 'campaign', 'send', '2', '--batch', '20'], { LUPA_SMTP_URL: 'smtp://127.0.0.1:1', LUPA_DEV_INBOX_PORT: '1', LUPA_SMTP_CONNECTIONS: '2' });
    expect(sent.code).toBe(0);
    expect(sent.stdout).toMatch(/^sent 0, skipped at re-check \d+, failed \d+ \(paused: CHANNEL_REFUSED: .+\(code E[A-Z]+\); fix it, then lupa campaign resume 2\)$/m);
  });
});
