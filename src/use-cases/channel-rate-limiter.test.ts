/**
 * The per-channel rate across workers, sending real campaigns on a clock that moves only when a
 * worker sleeps: no second ever holds more hand-offs than the limit, whichever worker made them.
 */
import { beforeAll, expect, it } from 'vitest';
import { createApp, type App } from '../composition-root.ts';
import { loadConfig } from '../config.ts';
import type { Instant } from '../core/records.ts';
import { toInstant } from '../core/time.ts';
import { inboxSender, useSending } from '../../test/support/sending.ts';
import { describeEachStore } from '../../test/support/stores.ts';
import { ChannelRateLimiter } from './channel-rate-limiter.ts';
import { sendCampaign, type SendDeps } from './send-campaign.ts';

/** The suite's clock: it moves only when a worker sleeps (or a test moves it). */
let clock = Date.parse('2026-11-05T08:00:00.250Z');
const now = (): Instant => toInstant(clock);
/** Sleeping lets the time pass for everyone. */
const sleeps: number[] = [];
const sleep = async (ms: number): Promise<void> => {
  sleeps.push(ms);
  clock += ms;
};
/** Each test starts an hour after the last, so their seconds are apart. */
const nextHour = (): Instant => {
  clock = Math.ceil(clock / 3_600_000) * 3_600_000 + 250;
  sleeps.length = 0;
  return toInstant(clock - 250);
};

describeEachStore(
  'hand-offs per second per channel, across workers',
  (ctx) => {
    const sending = useSending(ctx);
    const limited = (app: App, base: SendDeps, email: number): SendDeps => ({ ...base, channelLimiter: new ChannelRateLimiter({ rates: app.stores.channelRates, now: app.now, sleep }, { email }) });
    let deps: SendDeps;
    beforeAll(() => {
      deps = limited(ctx.app, sending.deps, 5);
    });
    /** Hand-offs counted per second since `from`, as the store holds them. */
    const perSecond = async (from: Instant) =>
      (await ctx.app.database.db.selectFrom('channel_rate').select(['second', 'taken']).where('channel', '=', 'email').where('second', '>=', from).orderBy('second').execute()).map((r) => ({
        second: r.second,
        taken: Number(r.taken),
      }));

    it('lets a worker send the limit in a second, then wait for the next second and go on', async () => {
      const from = nextHour();
      const { campaign, queued } = await sending.launch('Tahti');
      expect(queued).toBeGreaterThan(10);
      const summary = await sendCampaign(deps, { campaignId: campaign.id, workerId: 'w', batchSize: 200 });
      expect(summary).toMatchObject({ sent: queued, stoppedBecause: 'done' });
      // Five a second, in consecutive seconds; the first wait only to the end of the first second.
      const seconds = await perSecond(from);
      expect(seconds.map((s) => s.taken)).toEqual([...Array.from({ length: Math.floor(queued / 5) }, () => 5), ...(queued % 5 === 0 ? [] : [queued % 5])]);
      expect(seconds.map((s) => Date.parse(s.second) - Date.parse(from))).toEqual(seconds.map((_, i) => i * 1000));
      expect(sleeps[0]).toBe(750);
      expect(sleeps.slice(1).every((ms) => ms === 1000)).toBe(true);
      expect(await sending.arrivedFor(campaign.id)).toHaveLength(queued);
    });

    it('holds two workers on one database to the limit together, in every second', async () => {
      const from = nextHour();
      const { campaign, queued } = await sending.launch('Kaksi samaan tahtiin');
      // A second app on the same store and clock stands for a second worker process.
      const other = await createApp(loadConfig({ LUPA_DATABASE_URL: ctx.store.url, LUPA_LOG_LEVEL: 'silent' }), now);
      const otherSender = inboxSender(other, sending.inboxPort, 2);
      try {
        const otherDeps = limited(other, { ...other.stores, sender: otherSender, signer: other.signer, publicUrl: 'https://lupa.test', settings: other.settings, sending: other.sending, trackingMode: 'consent', now: other.now }, 5);
        const [a, b] = await Promise.all([sendCampaign(deps, { campaignId: campaign.id, workerId: 'A' }), sendCampaign(otherDeps, { campaignId: campaign.id, workerId: 'B' })]);
        expect(a.sent).toBeGreaterThan(0);
        expect(b.sent).toBeGreaterThan(0);
        expect(a.sent + b.sent).toBe(queued);
        const seconds = await perSecond(from);
        expect(seconds.every((s) => s.taken <= 5)).toBe(true);
        expect(seconds.reduce((sum, s) => sum + s.taken, 0)).toBe(queued);
        expect(seconds.length).toBeGreaterThanOrEqual(Math.ceil(queued / 5));
        expect(new Set((await sending.arrivedFor(campaign.id)).map((m) => m.to)).size).toBe(queued);
      } finally {
        await otherSender.close();
        await other.close();
      }
    });

    it('starts no hand-off that could outlive its claim: the claim runs out and the next worker sends it, once', async () => {
      const from = nextHour();
      const { campaign, queued } = await sending.launch('Ruuhka');
      // Other workers have used up the next four seconds; this worker's claim lasts three.
      for (let s = 0; s < 4; s++) expect(await ctx.app.stores.channelRates.take('email', toInstant(Date.parse(from) + s * 1000), 5, 5)).toBe(5);
      const stalled = await sendCampaign(deps, { campaignId: campaign.id, workerId: 'slow', leaseSeconds: 3, maxBatches: 1 });
      expect(stalled).toMatchObject({ batches: 1, sent: 0, skipped: 0, failed: 0 });
      expect((await ctx.app.stores.campaigns.deliveryCounts(campaign.id)).byState.claimed).toBe(5);
      expect(await sending.arrivedFor(campaign.id)).toHaveLength(0);

      const rest = await sendCampaign(deps, { campaignId: campaign.id, workerId: 'next' });
      expect(rest).toMatchObject({ sent: queued, stoppedBecause: 'done' });
      const recipients = (await sending.arrivedFor(campaign.id)).map((m) => m.to);
      expect(recipients).toHaveLength(queued);
      expect(new Set(recipients).size).toBe(queued);
    });

    it('limits only the channels it names', async () => {
      const from = nextHour();
      const smsOnly = { ...sending.deps, channelLimiter: new ChannelRateLimiter({ rates: ctx.app.stores.channelRates, now: ctx.app.now, sleep }, { sms: 1 }) };
      const { campaign, queued } = await sending.launch('Rajaton sähköposti');
      expect(await sendCampaign(smsOnly, { campaignId: campaign.id, workerId: 'w' })).toMatchObject({ sent: queued });
      expect(sleeps).toEqual([]);
      expect(await perSecond(from)).toEqual([]);
    });
  },
  { now },
);
