/** Scheduled campaigns: a start time on a draft, refused launches before it, and the launch when it comes. */
import { Readable } from 'node:stream';
import { beforeAll, expect, it } from 'vitest';
import { createApp } from '../composition-root.ts';
import { loadConfig } from '../config.ts';
import type { CampaignStore, NewCampaign } from '../core/campaign.ts';
import type { Instant } from '../core/records.ts';
import type { Purpose } from '../core/vocabulary.ts';
import { toInstant } from '../core/time.ts';
import { demoToNdjson } from '../demo/generate-demo.ts';
import { runImport } from '../import/run-import.ts';
import { describeEachStore } from '../../test/support/stores.ts';
import { SERVICE_NOTICE, saveStockTemplates } from '../../test/support/sending.ts';
import { resolveAudienceQuery } from './audience.ts';
import { launchDueCampaigns, scheduleCampaign } from './campaign-schedule.ts';
import { createCampaign, launchCampaign, type CampaignDeps } from './campaigns.ts';

/** The suite's clock: it moves only when a test moves it. */
let clock = Date.parse('2026-11-02T09:00:00.000Z');
const now = (): Instant => toInstant(clock);
const minutesFromNow = (minutes: number): Instant => toInstant(clock + minutes * 60_000);
const advance = (minutes: number): void => {
  clock += minutes * 60_000;
};

const CUSTOMERS = 30;
const notice = (name: string, sendAt: Instant | null = null): NewCampaign => ({ name, purpose: 'service', channel: 'email', sku: null, filter: {}, templateId: SERVICE_NOTICE.id, sendAt });

describeEachStore(
  'scheduling a campaign',
  (ctx) => {
    const deps = (): CampaignDeps => ({ ...ctx.app.stores, settings: ctx.app.settings, sending: ctx.app.sending, now: ctx.app.now });
    const deliveriesOf = async (id: number) => Object.values((await ctx.app.stores.campaigns.deliveryCounts(id)).byState).reduce((a, b) => a + (b ?? 0), 0);

    beforeAll(async () => {
      await saveStockTemplates(ctx.app);
      const result = await runImport(
        { database: ctx.app.database, settings: ctx.app.settings, now: ctx.app.now },
        { stream: Readable.from(demoToNdjson({ customers: CUSTOMERS, seed: 3 })), format: 'ndjson' },
      );
      expect(result.errorCount).toBe(0);
    });

    it('keeps the start time given at creation, and refuses one that is not in the future, naming the field', async () => {
      const created = await createCampaign(deps(), notice('Aamun tiedote', minutesFromNow(60)));
      expect(created).toMatchObject({ status: 'draft', sendAt: minutesFromNow(60) });
      expect(await ctx.app.stores.campaigns.get(created.id)).toMatchObject({ sendAt: minutesFromNow(60) });
      expect((await createCampaign(deps(), notice('Heti'))).sendAt).toBeNull();
      for (const past of [minutesFromNow(-1), now()]) {
        await expect(createCampaign(deps(), notice('Myöhässä', past))).rejects.toMatchObject({ code: 'VALIDATION_FAILED', field: 'send-at' });
      }
    });

    it('refuses to launch a draft scheduled for later, naming the time, and writes nothing; --now launches it', async () => {
      const created = await createCampaign(deps(), notice('Iltapäivä', minutesFromNow(120)));
      const refused = launchCampaign(deps(), { campaignId: created.id });
      await expect(refused).rejects.toMatchObject({ code: 'CAMPAIGN_STATE', field: 'campaign' });
      await expect(refused).rejects.toThrow(minutesFromNow(120));
      expect(await deliveriesOf(created.id)).toBe(0);
      const launched = await launchCampaign(deps(), { campaignId: created.id, ignoreSchedule: true });
      expect(launched).toMatchObject({ deliveries: CUSTOMERS, campaign: { status: 'running', asOf: now(), sendAt: minutesFromNow(120) } });
    });

    it('sets, moves and clears the start time of a draft only', async () => {
      const created = await createCampaign(deps(), notice('Siirrettävä'));
      expect((await scheduleCampaign(deps(), { campaignId: created.id, at: minutesFromNow(30) })).sendAt).toBe(minutesFromNow(30));
      expect((await scheduleCampaign(deps(), { campaignId: created.id, at: minutesFromNow(90) })).sendAt).toBe(minutesFromNow(90));
      await expect(scheduleCampaign(deps(), { campaignId: created.id, at: minutesFromNow(-5) })).rejects.toMatchObject({ code: 'VALIDATION_FAILED', field: 'at' });
      expect((await scheduleCampaign(deps(), { campaignId: created.id, at: null })).sendAt).toBeNull();
      // Unscheduled, it launches by hand as before.
      await launchCampaign(deps(), { campaignId: created.id });
      await expect(scheduleCampaign(deps(), { campaignId: created.id, at: minutesFromNow(30) })).rejects.toMatchObject({ code: 'CAMPAIGN_STATE' });
      await expect(scheduleCampaign(deps(), { campaignId: 999_999, at: null })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    });

    it('launches a due draft when its time comes, deciding the audience as of that moment', async () => {
      const created = await createCampaign(deps(), notice('Jakeluhäiriö', minutesFromNow(10)));
      const cancelled = await createCampaign(deps(), notice('Peruttu', minutesFromNow(10)));
      await ctx.app.stores.deliveries.setStatus(cancelled.id, 'cancelled');
      expect((await launchDueCampaigns(deps())).launched).toEqual([]);
      expect(await deliveriesOf(created.id)).toBe(0);

      // A customer who arrives after the scheduling, before the start, is in the audience.
      advance(5);
      const late = await runImport({ database: ctx.app.database, settings: ctx.app.settings, now: ctx.app.now }, { stream: Readable.from(JSON.stringify({ type: 'customer', id: 'LATE1', kind: 'person', name: 'Myöhäinen', email: 'late@example.fi' })), format: 'ndjson' });
      expect(late.errorCount).toBe(0);
      advance(5);
      const due = await launchDueCampaigns(deps());
      expect(due.launched.map((l) => l.campaign.id)).toEqual([created.id]);
      expect(due.launched[0]).toMatchObject({ deliveries: CUSTOMERS + 1, campaign: { status: 'running', launchedAt: now(), asOf: now() } });
      expect((await ctx.app.stores.campaigns.get(cancelled.id))?.status).toBe('cancelled');
      // Launched once: the next round finds nothing due.
      expect(await launchDueCampaigns(deps())).toEqual({ launched: [], taken: [], held: [], failed: [] });
    });

    it('lets two workers race for a due campaign: one launches it, the other moves on, every customer once', async () => {
      const created = await createCampaign(deps(), notice('Kilpailu', minutesFromNow(1)));
      advance(2);
      // A second app on the same store stands for a second worker process (its own connections).
      const other = await createApp(loadConfig({ LUPA_DATABASE_URL: ctx.store.url, LUPA_LOG_LEVEL: 'silent' }), now);
      try {
        const [a, b] = await Promise.all([launchDueCampaigns(deps()), launchDueCampaigns({ ...other.stores, settings: other.settings, sending: other.sending, now: other.now })]);
        expect([...a.launched, ...b.launched].map((l) => l.campaign.id)).toEqual([created.id]);
        expect([...a.failed, ...b.failed]).toEqual([]);
        expect(await deliveriesOf(created.id)).toBe(CUSTOMERS + 1);
      } finally {
        await other.close();
      }
    });

    it('of two launches that overlap, only the one that moves the draft to running reports the launch', async () => {
      const created = await createCampaign(deps(), notice('Päällekkäin', minutesFromNow(1)));
      advance(2);
      // The first launch has written its deliveries; before it marks the campaign running, another
      // worker finds the draft due and completes the launch.
      const campaigns: CampaignStore = Object.create(ctx.app.stores.campaigns, {
        markLaunched: {
          value: async (id: number, at: Instant, asOf: Instant, purposes: readonly Purpose[]) => {
            const second = await launchDueCampaigns(deps());
            expect(second.launched.map((l) => l.campaign.id)).toEqual([created.id]);
            return ctx.app.stores.campaigns.markLaunched(id, at, asOf, purposes);
          },
        },
      });
      const first = await launchDueCampaigns({ ...deps(), campaigns });
      expect(first).toMatchObject({ launched: [], taken: [created.id], failed: [] });
      expect(await deliveriesOf(created.id)).toBe(CUSTOMERS + 1);
    });

    it('records the decision time of the deliveries when it completes a launch that stopped halfway', async () => {
      const created = await createCampaign(deps(), notice('Kesken jäänyt'));
      const decidedAt = now();
      const query = await resolveAudienceQuery(deps(), { purpose: 'service', channel: 'email', sku: null, at: decidedAt, filter: {} });
      await ctx.app.stores.audience.materialise(query, { campaignId: created.id, createdAt: decidedAt, verdictOf: () => ({ state: 'queued', basis: 'contract', reasons: ['SERVICE_MESSAGE'] }) });
      advance(3);
      const launched = await launchCampaign(deps(), { campaignId: created.id });
      expect(launched.campaign).toMatchObject({ status: 'running', launchedAt: now(), asOf: decidedAt });
    });

    it('does not launch a due draft whose schedule was cleared before the worker got to it', async () => {
      const created = await createCampaign(deps(), notice('Peruttu ajastus'));
      await expect(launchCampaign(deps(), { campaignId: created.id, onlyIfDue: true })).rejects.toMatchObject({ code: 'CAMPAIGN_STATE' });
      expect(await deliveriesOf(created.id)).toBe(0);
    });
  },
  { now },
);
