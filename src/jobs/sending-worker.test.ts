/** The sending worker: due launches, sending in turns, retries when due, a clean stop, logs without personal data. */
import { beforeAll, expect, it } from 'vitest';
import { bounceDeps, createApp } from '../composition-root.ts';
import { loadConfig } from '../config.ts';
import type { Instant, Sku } from '../core/records.ts';
import { toInstant } from '../core/time.ts';
import { inboxSender, NEWSLETTER, useSending } from '../../test/support/sending.ts';
import { describeEachStore } from '../../test/support/stores.ts';
import { handleBounce } from '../use-cases/bounces.ts';
import { createCampaign } from '../use-cases/campaigns.ts';
import { launchDueCampaigns } from '../use-cases/campaign-schedule.ts';
import type { SendDeps } from '../use-cases/send-campaign.ts';
import { Throttle } from '../use-cases/throttle.ts';
import { newWorkerState, runSendingWorker, workRound, type WorkerDeps, type WorkerLog } from './sending-worker.ts';

/** The suite's clock: it moves only when a test moves it. */
let clock = Date.parse('2026-11-03T07:00:00.000Z');
const minutesFromNow = (minutes: number): Instant => toInstant(clock + minutes * 60_000);
const advance = (minutes: number): void => {
  clock += minutes * 60_000;
};

/** A log that keeps every line, as pino would write it. */
function memoryLog(): WorkerLog & { lines: string[] } {
  const lines: string[] = [];
  const write = (fields: Record<string, unknown>, message: string): void => void lines.push(JSON.stringify({ ...fields, msg: message }));
  return { lines, info: write, error: write };
}

describeEachStore(
  'the sending worker',
  (ctx) => {
    const sending = useSending(ctx);
    let log: ReturnType<typeof memoryLog>;
    let deps: WorkerDeps;
    const opts = (batchSize = 10) => ({ workerId: 'w1', batchSize, signal: new AbortController().signal });
    beforeAll(() => {
      log = memoryLog();
      deps = { launch: { ...ctx.app.stores, settings: ctx.app.settings, sending: ctx.app.sending, now: ctx.app.now }, send: sending.deps, log };
    });
    const scheduled = (name: string, sendAt: Instant, templateId: string | null = NEWSLETTER.id) =>
      createCampaign(deps.launch, { name, purpose: 'marketing', channel: 'email', sku: 'UV-PRINT-7' as Sku, filter: {}, templateId, from: { name: 'Uutisvirta', address: 'uutiset@lupa.test' }, sendAt });
    const queuedOf = async (id: number) => (await ctx.app.stores.campaigns.deliveryCounts(id)).byState.queued ?? 0;
    /** Rounds until one finds nothing to do; the number of rounds that did something. */
    const untilIdle = async (workerDeps: WorkerDeps = deps, batchSize = 10) => {
      const state = newWorkerState();
      for (let busy = 0; ; busy++) {
        const round = await workRound(workerDeps, opts(batchSize), state);
        if (round.launched === 0 && round.batches === 0) return busy;
      }
    };

    it('launches a scheduled campaign when its time comes and sends it, every message once', async () => {
      const campaign = await scheduled('Aamuposti', minutesFromNow(30));
      expect(await workRound(deps, opts())).toEqual({ launched: 0, batches: 0, sent: 0 });
      expect((await ctx.app.stores.campaigns.get(campaign.id))?.status).toBe('draft');

      advance(30);
      const first = await workRound(deps, opts());
      expect(first).toMatchObject({ launched: 1, batches: 1, sent: 10 });
      const queued = (await ctx.app.stores.campaigns.deliveryCounts(campaign.id)).byState.queued ?? 0;
      expect(queued).toBeGreaterThan(10);
      expect(await untilIdle()).toBe(Math.ceil(queued / 10));
      const recipients = (await sending.arrivedFor(campaign.id)).map((m) => m.to);
      expect(recipients).toHaveLength(queued + 10);
      expect(new Set(recipients).size).toBe(recipients.length);
      expect((await ctx.app.stores.campaigns.get(campaign.id))?.status).toBe('done');
      expect(log.lines.some((l) => l.includes('"msg":"launched scheduled campaign"') && l.includes(`"campaignId":${campaign.id}`))).toBe(true);
    });

    it('sends running campaigns in turns: one batch of each per round', async () => {
      const [a, b] = [await sending.launch('Vuorotellen A'), await sending.launch('Vuorotellen B')];
      const round = await workRound(deps, opts(5));
      expect(round).toMatchObject({ launched: 0, batches: 2, sent: 10 });
      expect(await queuedOf(a.campaign.id)).toBe(a.queued - 5);
      expect(await queuedOf(b.campaign.id)).toBe(b.queued - 5);
      await untilIdle();
      expect((await sending.arrivedFor(a.campaign.id)).length + (await sending.arrivedFor(b.campaign.id)).length).toBe(a.queued + b.queued);
    });

    it('keeps a campaign’s throttle between its turns rather than starting each turn afresh', async () => {
      const { campaign, queued } = await sending.launch('Tahditettu');
      let takes = 0;
      const counting = new (class extends Throttle {
        override async take(): Promise<void> {
          takes++;
        }
      })(null);
      const state = newWorkerState();
      state.throttles.set(campaign.id, counting);
      await workRound(deps, opts(), state);
      await workRound(deps, opts(), state);
      expect(takes).toBe(20);
      expect(state.throttles.get(campaign.id)).toBe(counting);
      await untilIdle();
      expect(await queuedOf(campaign.id)).toBe(0);
      expect(queued).toBeGreaterThan(20);
    });

    it('stores a campaign’s tracked links once, not again on every turn', async () => {
      const { campaign } = await sending.launch('Linkit kerran');
      let stored = 0;
      const links = deps.send.links;
      const counting: WorkerDeps = {
        ...deps,
        send: { ...deps.send, links: Object.assign(Object.create(links) as typeof links, { setLinks: async (...args: Parameters<typeof links.setLinks>) => (stored++, links.setLinks(...args)) }) },
      };
      const state = newWorkerState();
      await workRound(counting, opts(), state);
      await workRound(counting, opts(), state);
      expect(stored).toBe(1);
      expect(state.links.get(campaign.id)?.links.size).toBeGreaterThan(0);
      await untilIdle();
    });

    it('picks up a soft-bounce retry when it is due, not before', async () => {
      const { campaign } = await sending.launch('Uusintayritys');
      await untilIdle();
      const [message] = await sending.arrivedFor(campaign.id);
      if (message === undefined) throw new Error('nothing arrived');
      advance(1);
      expect((await handleBounce(bounceDeps(ctx.app), { class: 'soft', envelopeTo: [message.envelopeFrom ?? ''] })).retryAt).toBe(minutesFromNow(15));
      advance(14);
      expect(await workRound(deps, opts())).toMatchObject({ batches: 0, sent: 0 });
      advance(1);
      expect(await workRound(deps, opts())).toMatchObject({ batches: 1, sent: 1 });
      expect((await sending.arrivedFor(campaign.id)).filter((m) => m.to === message.to)).toHaveLength(2);
      await untilIdle();
      expect((await ctx.app.stores.campaigns.get(campaign.id))?.status).toBe('done');
    });

    it('shares due launches and sending with a second worker process: launched once, every message once', async () => {
      const campaign = await scheduled('Kaksi työntekijää', minutesFromNow(5));
      advance(5);
      // A second app on the same store stands for a second worker process (its own pool).
      const other = await createApp(loadConfig({ LUPA_DATABASE_URL: ctx.store.url, LUPA_LOG_LEVEL: 'silent' }), ctx.app.now);
      const otherSender = inboxSender(other, sending.inboxPort, 2);
      try {
        const otherSend: SendDeps = { ...other.stores, sender: otherSender, signer: other.signer, publicUrl: 'https://lupa.test', settings: other.settings, sending: other.sending, trackingMode: 'consent', now: other.now };
        const otherDeps: WorkerDeps = { launch: { ...other.stores, settings: other.settings, sending: other.sending, now: other.now }, send: otherSend, log: memoryLog() };
        const [a, b] = await Promise.all([untilIdle(deps, 7), untilIdle(otherDeps, 7)]);
        expect(a + b).toBeGreaterThan(0);
        const counts = await ctx.app.stores.campaigns.deliveryCounts(campaign.id);
        const recipients = (await sending.arrivedFor(campaign.id)).map((m) => m.to);
        expect(recipients).toHaveLength(counts.byState.sent ?? -1);
        expect(new Set(recipients).size).toBe(recipients.length);
        expect(counts.byState.queued).toBeUndefined();
      } finally {
        await otherSender.close();
        await other.close();
      }
      expect(log.lines.filter((l) => l.includes('launched scheduled campaign') && l.includes(`"campaignId":${campaign.id}`)).length).toBeLessThanOrEqual(1);
    });

    it('stops after the batch in hand when told to: that batch recorded, nothing left claimed, the rest queued', async () => {
      const { campaign, queued } = await sending.launch('Pysäytys');
      const controller = new AbortController();
      // The stop arrives while the first message of the first batch is being handed off.
      const sender: SendDeps['sender'] = {
        send: (message) => {
          controller.abort();
          return sending.deps.sender.send(message);
        },
        close: async () => undefined,
      };
      await runSendingWorker({ ...deps, send: { ...sending.deps, sender } }, { workerId: 'stopping', pollSeconds: 5, batchSize: 10, signal: controller.signal });
      const counts = await ctx.app.stores.campaigns.deliveryCounts(campaign.id);
      expect(counts.byState).toMatchObject({ sent: 10, queued: queued - 10 });
      expect(counts.byState.claimed).toBeUndefined();
      await untilIdle();
    });

    it('sleeps for the poll interval when there is nothing to do, and wakes to stop', async () => {
      const controller = new AbortController();
      const sleeps: number[] = [];
      const sleep = async (ms: number) => {
        sleeps.push(ms);
        if (sleeps.length === 2) controller.abort();
      };
      await runSendingWorker({ ...deps, sleep }, { workerId: 'idle', pollSeconds: 7, batchSize: 10, signal: controller.signal });
      expect(sleeps).toEqual([7000, 7000]);
    });

    it('pauses a campaign whose template it can no longer send, with the reason, goes on with the others, and never logs personal data', async () => {
      // A template the campaign could fill at launch, edited afterwards to use a link it does not supply.
      const editable = { ...NEWSLETTER, id: 'editable' };
      await ctx.app.stores.templates.save(editable.id, editable, ctx.app.now());
      const broken = await scheduled('Muokattu pohja', minutesFromNow(1), editable.id);
      const fine = await sending.launch('Toimiva');
      advance(1);
      await launchDueCampaigns(deps.launch);
      const fi = editable.locales.fi;
      if (fi === undefined) throw new Error('fi');
      await ctx.app.stores.templates.save(editable.id, { ...editable, locales: { ...editable.locales, fi: { ...fi, mjml: fi.mjml.replace('https://kauppa.example/tarjous', '{{ links.offer }}') } } }, ctx.app.now());
      const before = log.lines.length;
      const state = newWorkerState();
      await workRound(deps, opts(500), state);
      await workRound(deps, opts(500), state);
      const found = await ctx.app.stores.campaigns.get(broken.id);
      expect(found?.status).toBe('paused');
      expect(found?.statusReason).toMatch(/^TEMPLATE_INVALID: template editable uses links\.offer, which the campaign does not supply/);
      // Nothing of it was sent, and nothing is left claimed: resumed after a fix, every message goes.
      expect(await sending.arrivedFor(broken.id)).toEqual([]);
      expect((await ctx.app.stores.campaigns.deliveryCounts(broken.id)).byState.claimed ?? 0).toBe(0);
      const paused = log.lines.slice(before).filter((l) => l.includes(`"campaignId":${broken.id}`) && l.includes('paused'));
      expect(paused).toHaveLength(1);
      expect((await sending.arrivedFor(fine.campaign.id)).length).toBe(fine.queued);
      await ctx.app.stores.deliveries.setStatus(broken.id, 'cancelled');

      // Nothing that names a person: no address, no name of anyone the worker sent to.
      const people = (await sending.inbox.list()).flatMap((m) => [...m.envelopeTo, m.to]);
      const names = (await ctx.app.stores.customers.searchCustomers({ limit: 200 })).map((c) => c.name);
      const written = log.lines.join('\n');
      expect(people.length).toBeGreaterThan(0);
      expect(people.filter((p) => written.includes(p))).toEqual([]);
      expect(names.filter((n) => written.includes(n))).toEqual([]);
    });
  },
  { now: () => toInstant(clock) },
);
