/**
 * The server's periodic upkeep in a thread of its own (upkeep-thread.ts): the jobs run there, on an
 * App of their own, their writes are the server's to read, the segments job's similar-readers
 * counts reach the server's offer rankings, and where no thread can be had (an in-memory database,
 * a closed runner) the jobs run in the server's event loop.
 */
import { expect, it } from 'vitest';
import { threadId as mainThreadId } from 'node:worker_threads';
import { createApp } from '../composition-root.ts';
import { loadConfig } from '../config.ts';
import type { Instant } from '../core/records.ts';
import { storeCustomer } from '../../test/support/customers.ts';
import { describeEachStore } from '../../test/support/stores.ts';
import { startUpkeepRunner } from './upkeep-thread.ts';
import type { SegmentsUpkeep } from './upkeep-jobs.ts';

const AT = '2026-03-01T00:00:00.000Z' as Instant;

describeEachStore('upkeep thread', (ctx) => {
  it('runs the segments job in a thread of its own; the server reads its members and holds its similar-readers counts', async () => {
    const app = ctx.app;
    const ids = [await storeCustomer(app, 'U1', { city: 'Oulu' }), await storeCustomer(app, 'U2', { city: 'Oulu' }), await storeCustomer(app, 'U3', { city: 'Vaasa' })];
    const seg = await app.stores.segments.create({ name: 'Oulu', description: null, rule: { attribute: 'city', equals: 'Oulu' }, createdBy: 'test', at: AT });
    const lines: string[] = [];
    const upkeep = await startUpkeepRunner(app, (line) => lines.push(line));
    try {
      const thread = upkeep.threadId();
      expect(thread).not.toBeNull();
      expect(thread).not.toBe(mainThreadId);
      const result = (await upkeep.run('segments')) as SegmentsUpkeep;
      expect(result.refreshed).toEqual(expect.arrayContaining([expect.objectContaining({ segmentId: seg.id, members: 2 })]));
      // Written by the thread's connection, read by the server's.
      expect(await app.stores.segments.memberIds(seg.id, ids)).toEqual(new Set(['U1', 'U2']));
      // The counts the thread computed are the ones the rankings read, not computed again here.
      expect(await app.stores.offers.recentSimilarReaders(AT)).toBe(result.similarReaders);
      await expect(upkeep.run('remarketing')).resolves.toEqual([]);
      expect(lines).toEqual([]);
    } finally {
      await upkeep.close();
    }
    // Closed: the jobs run in the server's event loop.
    expect(upkeep.threadId()).toBeNull();
    await storeCustomer(app, 'U4', { city: 'Oulu' });
    await upkeep.run('segments');
    expect(await app.stores.segments.memberIds(seg.id, ['U4'])).toEqual(new Set(['U4']));
  });
});

it('runs the jobs in the server itself on an in-memory database (no second connection to it)', async () => {
  const app = await createApp(loadConfig({ LUPA_DATABASE_URL: 'sqlite::memory:', LUPA_LOG_LEVEL: 'silent' }));
  try {
    await storeCustomer(app, 'M1', { city: 'Oulu' });
    const seg = await app.stores.segments.create({ name: 'Oulu', description: null, rule: { attribute: 'city', equals: 'Oulu' }, createdBy: 'test', at: AT });
    const upkeep = await startUpkeepRunner(app, () => undefined);
    expect(upkeep.threadId()).toBeNull();
    await upkeep.run('segments');
    expect(await app.stores.segments.memberIds(seg.id, ['M1'])).toEqual(new Set(['M1']));
    await upkeep.close();
  } finally {
    await app.close();
  }
});
