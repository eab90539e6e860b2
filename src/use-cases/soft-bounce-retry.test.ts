/** Soft bounces end to end: back to the queue with back-off, sent again as a new attempt, suppressed at the limit. */
import { beforeAll, expect, it } from 'vitest';
import type { InboxMessage } from '../channels/email/dev-inbox.ts';
import { bounceDeps } from '../composition-root.ts';
import type { CustomerId, Instant } from '../core/records.ts';
import { toInstant } from '../core/time.ts';
import { headerOf, useSending } from '../../test/support/sending.ts';
import { describeEachStore } from '../../test/support/stores.ts';
import { handleBounce, type BounceDeps, type BounceOutcome } from './bounces.ts';
import { campaignResults } from './campaigns.ts';
import { decideForCustomer } from './decide-for-customer.ts';
import { sendCampaign } from './send-campaign.ts';

/** The suite's clock: it moves only when a test moves it. */
let clock = Date.parse('2026-11-02T09:00:00.000Z');
const minutesLater = (minutes: number): Instant => toInstant(clock + minutes * 60_000);
const advance = (minutes: number): void => {
  clock += minutes * 60_000;
};

describeEachStore(
  '§3 a temporary failure (4.x.x) is retried with back-off and suppresses after a threshold (default 3)',
  (ctx) => {
    const sending = useSending(ctx);
    let deps: BounceDeps;
    beforeAll(() => {
      deps = bounceDeps(ctx.app);
      expect(deps.softBounceRetry).toEqual({ limit: 3, baseMinutes: 15, maxMinutes: 1440 });
    });

    /** A campaign launched and sent now: every queued delivery handed off once. */
    const sentCampaign = async (name: string) => {
      const { campaign, queued } = await sending.launch(name);
      expect(await sendCampaign(sending.deps, { campaignId: campaign.id, workerId: 'w' })).toMatchObject({ sent: queued, stoppedBecause: 'done' });
      const [message] = await sending.arrivedFor(campaign.id);
      if (message === undefined) throw new Error('nothing arrived');
      return { id: campaign.id, queued, message };
    };
    const send = (campaignId: number) => sendCampaign(sending.deps, { campaignId, workerId: 'w' });
    /** A soft bounce of `message`, back at its return path as a mail system would send it. */
    const softBounce = (message: InboxMessage): Promise<BounceOutcome> => handleBounce(deps, { class: 'soft', envelopeTo: [message.envelopeFrom ?? ''] });
    /** A sent campaign whose first message soft-bounced a minute later (a retry is waiting). */
    const softBouncedOnce = async (name: string) => {
      const sent = await sentCampaign(name);
      advance(1);
      expect((await softBounce(sent.message)).action).toBe('counted');
      return sent;
    };
    const messagesTo = async (campaignId: number, message: InboxMessage) => (await sending.arrivedFor(campaignId)).filter((m) => m.to === message.to);
    const customerOf = async (message: InboxMessage) => ((await ctx.app.stores.customers.searchCustomers({ email: message.envelopeTo[0] ?? '', limit: 1 }))[0]?.id ?? '') as CustomerId;

    it('puts a soft-bounced delivery back in the queue, claims it only after the back-off, and sends it as a new attempt', async () => {
      const { message, ...campaign } = await sentCampaign('Täysi postilaatikko');
      const deliveryId = Number(/^<d(\d+)\./.exec(headerOf(message, 'message-id') ?? '')?.[1]);

      advance(1);
      const outcome = await softBounce(message);
      expect(outcome).toMatchObject({ deliveryId, action: 'counted', retryAt: minutesLater(15) });
      // The campaign was done; it runs again until the retry has gone.
      expect((await ctx.app.stores.campaigns.get(campaign.id))?.status).toBe('running');
      expect(await campaignResults(ctx.app.stores, { campaignId: campaign.id })).toMatchObject({ sent: campaign.queued, softBounced: 1, retrying: 1, delivered: campaign.queued - 1 });

      advance(10);
      expect(await send(campaign.id)).toMatchObject({ sent: 0, stoppedBecause: 'retries_pending', nextRetryAt: minutesLater(5) });
      expect(await messagesTo(campaign.id, message)).toHaveLength(1);

      advance(6);
      // A worker claims the retry and dies; the next one takes it over when the lease ends.
      const [dead] = await ctx.app.stores.deliveries.claim(campaign.id, 'dead', 10, ctx.app.now(), ctx.app.now());
      expect(dead).toMatchObject({ id: deliveryId, sendAttempt: 2 });
      advance(1);
      expect(await send(campaign.id)).toMatchObject({ sent: 1, stoppedBecause: 'done' });
      const both = await messagesTo(campaign.id, message);
      expect(both.map((m) => headerOf(m, 'message-id'))).toEqual([`<d${deliveryId}.1.${ctx.app.installationId}@lupa.test>`, `<d${deliveryId}.2.${ctx.app.installationId}@lupa.test>`]);
      expect(both[1]?.envelopeFrom).toBe(message.envelopeFrom);
      // Delivered at the second attempt: counted once, as delivered, not also as soft-bounced.
      expect(await campaignResults(ctx.app.stores, { campaignId: campaign.id })).toMatchObject({ sent: campaign.queued, delivered: campaign.queued, softBounced: 0, retrying: 0 });
      expect((await ctx.app.stores.campaigns.get(campaign.id))?.status).toBe('done');
    });

    it('suppresses the address at the third soft bounce and sends no further retry', async () => {
      const { message, ...campaign } = await sentCampaign('Kolme kertaa');
      const customerId = await customerOf(message);

      advance(1);
      expect((await softBounce(message)).retryAt).toBe(minutesLater(15));
      advance(15);
      expect((await send(campaign.id)).sent).toBe(1);
      advance(1);
      // The wait doubles.
      expect((await softBounce(message)).retryAt).toBe(minutesLater(30));
      advance(30);
      expect((await send(campaign.id)).sent).toBe(1);
      advance(1);
      const third = await softBounce(message);
      expect(third).toMatchObject({ action: 'suppressed', retryAt: null });

      const service = await decideForCustomer({ ...ctx.app.stores, settings: ctx.app.settings }, { customerId, purpose: 'service', channel: 'email', sku: null, at: ctx.app.now() });
      expect(service).toMatchObject({ allowed: false, reasons: ['SUPPRESSED'] });
      advance(24 * 60);
      expect(await send(campaign.id)).toMatchObject({ sent: 0, stoppedBecause: 'done' });
      const all = await messagesTo(campaign.id, message);
      expect(all.map((m) => headerOf(m, 'message-id')?.replace(/^<d\d+/, '<d').replace(ctx.app.installationId, 'I'))).toEqual(['<d.1.I@lupa.test>', '<d.2.I@lupa.test>', '<d.3.I@lupa.test>']);
      expect(await campaignResults(ctx.app.stores, { campaignId: campaign.id })).toMatchObject({ softBounced: 1, retrying: 0, delivered: campaign.queued - 1 });
    });

    it('stops the retry when the customer opted out between the bounce and the resend', async () => {
      const { message, ...campaign } = await softBouncedOnce('Peruttu välissä');
      const before = await campaignResults(ctx.app.stores, { campaignId: campaign.id });
      await ctx.app.stores.ledger.append([
        { kind: 'consent', customerId: await customerOf(message), purpose: 'marketing', channel: 'email', value: 'withdrawn', at: ctx.app.now(), source: 'preference_centre', noticeVersion: null, noticeLocale: null, evidenceRef: null },
      ]);
      advance(20);
      expect(await send(campaign.id)).toMatchObject({ sent: 0, skipped: 1, stoppedBecause: 'done' });
      expect(await messagesTo(campaign.id, message)).toHaveLength(1);
      const results = await campaignResults(ctx.app.stores, { campaignId: campaign.id });
      expect(results).toMatchObject({ skipped: { CONSENT_WITHDRAWN: (before.skipped.CONSENT_WITHDRAWN ?? 0) + 1 }, softBounced: 1, retrying: 0, sent: campaign.queued });
    });

    it('drops a waiting retry when a hard bounce answers the same delivery', async () => {
      const { message, ...campaign } = await softBouncedOnce('Kova perään');
      expect((await handleBounce(deps, { class: 'hard', envelopeTo: [message.envelopeFrom ?? ''] })).action).toBe('suppressed');
      advance(60);
      expect(await send(campaign.id)).toMatchObject({ sent: 0, skipped: 0, stoppedBecause: 'done' });
      expect(await messagesTo(campaign.id, message)).toHaveLength(1);
      expect(await campaignResults(ctx.app.stores, { campaignId: campaign.id })).toMatchObject({ hardBounced: 1, softBounced: 0, retrying: 0 });
    });

    it('sends no retry for a cancelled campaign', async () => {
      const { message, ...campaign } = await sentCampaign('Peruttu kampanja');
      await ctx.app.stores.deliveries.setStatus(campaign.id, 'cancelled');
      advance(1);
      expect(await softBounce(message)).toMatchObject({ action: 'counted', retryAt: null });
      expect((await ctx.app.stores.campaigns.deliveryCounts(campaign.id)).byState.queued).toBeUndefined();
    });
  },
  { now: () => toInstant(clock) },
);
