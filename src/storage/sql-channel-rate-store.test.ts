/** The shared count of hand-offs per channel and second, on both stores. */
import { expect, it } from 'vitest';
import { createApp } from '../composition-root.ts';
import { loadConfig } from '../config.ts';
import type { Instant } from '../core/records.ts';
import { describeEachStore } from '../../test/support/stores.ts';

const second = (s: number): Instant => new Date(Date.UTC(2026, 10, 5, 8, 0, s)).toISOString() as Instant;

describeEachStore('counting hand-offs per channel and second', (ctx) => {
  it('grants what is left of a second’s limit, then nothing until the next second; each channel apart', async () => {
    const rates = ctx.app.stores.channelRates;
    expect(await rates.take('email', second(0), 4, 10)).toBe(4);
    expect(await rates.take('email', second(0), 4, 10)).toBe(4);
    expect(await rates.take('email', second(0), 4, 10)).toBe(2);
    expect(await rates.take('email', second(0), 1, 10)).toBe(0);
    expect(await rates.take('sms', second(0), 3, 2)).toBe(2);
    expect(await rates.take('email', second(1), 25, 10)).toBe(10);
  });

  it('never grants more than the limit in one second to workers taking at once', async () => {
    // A second app on the same store stands for another worker process (its own connections).
    const other = await createApp(loadConfig({ LUPA_DATABASE_URL: ctx.store.url, LUPA_LOG_LEVEL: 'silent' }));
    try {
      const takes = Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? ctx.app : other).stores.channelRates.take('email', second(10), 3, 50));
      const granted = await Promise.all(takes);
      expect(granted.reduce((a, b) => a + b, 0)).toBe(50);
      expect(granted.every((g) => g >= 0 && g <= 3)).toBe(true);
      const row = await ctx.app.database.db.selectFrom('channel_rate').select('taken').where('channel', '=', 'email').where('second', '=', second(10)).executeTakeFirst();
      expect(Number(row?.taken)).toBe(50);
    } finally {
      await other.close();
    }
  });

  it('forgets the counts of seconds before the one given, and only those', async () => {
    const rates = ctx.app.stores.channelRates;
    for (const s of [20, 21, 22]) await rates.take('sms', second(s), 1, 5);
    await rates.forget(second(22));
    const left = await ctx.app.database.db.selectFrom('channel_rate').select('second').where('channel', '=', 'sms').where('second', '>=', second(20)).execute();
    expect(left.map((r) => r.second)).toEqual([second(22)]);
  });
});
