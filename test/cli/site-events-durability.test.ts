/**
 * An acknowledged site event is durable (docs/sites-and-ads.md#durability): `lupa serve` answers a
 * batch only after its group commit, so a server killed with SIGKILL while batches are in flight
 * has stored every batch it acknowledged, whole; and one stopped with SIGTERM answers and stores
 * every batch it had taken before it exits. On SQLite, and on PostgreSQL when configured.
 */
import { afterAll, expect, it, vi } from 'vitest';
import { createApp } from '../../src/composition-root.ts';
import { loadConfig } from '../../src/config.ts';
import { batchVisitor, eventBatch, sendBatch, startServeProcess } from '../support/event-server.ts';
import { PROCESS_TEST_TIMEOUT_MS } from '../support/processes.ts';
import { describeOnStore, freshStore, STORE_KINDS, type TestStore } from '../support/stores.ts';

vi.setConfig({ testTimeout: PROCESS_TEST_TIMEOUT_MS, hookTimeout: PROCESS_TEST_TIMEOUT_MS });

/** Rows stored per visitor of the batches sent. */
async function storedPerVisitor(url: string): Promise<Map<string, number>> {
  const app = await createApp(loadConfig({ LUPA_DATABASE_URL: url, LUPA_LOG_LEVEL: 'silent' }));
  try {
    const db = app.database;
    const perVisitor =
      db.dialect === 'sqlite'
        ? (db.sqlite.prepare('SELECT visitor_id AS v, count(*) AS n FROM site_events GROUP BY visitor_id').all() as { v: string; n: number }[])
        : (await db.pool.query<{ v: string; n: number }>('SELECT visitor_id AS v, count(*)::int AS n FROM site_events GROUP BY visitor_id')).rows;
    return new Map(perVisitor.map(({ v, n }) => [v, Number(n)]));
  } finally {
    await app.close();
  }
}

/** Sends batches with `concurrency` in flight until `stop()` says so; the acknowledged ones are listed. */
function sendUntil(base: string, prefix: string, concurrency: number): { acked: string[]; sent: () => number; stop: () => Promise<void> } {
  const acked: string[] = [];
  let next = 0;
  let running = true;
  const lanes = Array.from({ length: concurrency }, async () => {
    while (running) {
      const visitor = batchVisitor(prefix, next++);
      if (await sendBatch(base, eventBatch(visitor))) acked.push(visitor);
      else if (!running) return;
    }
  });
  return {
    acked,
    sent: () => next,
    stop: async () => {
      running = false;
      await Promise.all(lanes);
    },
  };
}

for (const kind of STORE_KINDS) {
  describeOnStore(kind, 'site event durability', () => {
    let store: TestStore;
    afterAll(async () => store?.drop());

    it('keeps every batch acknowledged before a SIGKILL, whole', async () => {
      store = await freshStore(kind);
      const server = await startServeProcess(store.url);
      const load = sendUntil(server.base, 'vis_kill', 16);
      while (load.acked.length < 300) await new Promise((r) => setTimeout(r, 5));
      server.child.kill('SIGKILL');
      await server.exited;
      await load.stop();
      const acked = [...load.acked];
      const stored = await storedPerVisitor(store.url);
      const lost = acked.filter((v) => stored.get(v) !== 20);
      expect(acked.length).toBeGreaterThanOrEqual(300);
      expect(lost).toEqual([]);
      // No batch is half stored: a batch is one visitor's 20 events, committed together.
      expect([...stored.values()].filter((n) => n !== 20)).toEqual([]);
    });

    it('answers and stores every batch it took before a SIGTERM', async () => {
      const server = await startServeProcess(store.url);
      const load = sendUntil(server.base, 'vis_term', 16);
      while (load.acked.length < 100) await new Promise((r) => setTimeout(r, 5));
      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(0);
      await load.stop();
      const stored = await storedPerVisitor(store.url);
      expect(load.acked.filter((v) => stored.get(v) !== 20)).toEqual([]);
      expect([...stored.values()].filter((n) => n !== 20)).toEqual([]);
    });
  });
}
