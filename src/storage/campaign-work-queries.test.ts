/** What a worker asks the store on every round: which drafts are due, which running campaigns have work. */
import { Readable } from 'node:stream';
import { beforeAll, expect, it } from 'vitest';
import type { Campaign } from '../core/campaign.ts';
import type { Instant } from '../core/records.ts';
import { toInstant } from '../core/time.ts';
import { runImport } from '../import/run-import.ts';
import { createCampaign, launchCampaign } from '../use-cases/campaigns.ts';
import { describeEachStore } from '../../test/support/stores.ts';
import { SERVICE_NOTICE, saveStockTemplates } from '../../test/support/sending.ts';

const NOW = '2026-11-06T12:00:00.000Z' as Instant;
const later = (seconds: number): Instant => toInstant(Date.parse(NOW) + seconds * 1000);

describeEachStore(
  'the store’s answers to a worker',
  (ctx) => {
    const deps = () => ({ ...ctx.app.stores, settings: ctx.app.settings, sending: ctx.app.sending, now: ctx.app.now });
    const draft = (name: string, sendAt: Instant | null = null): Promise<Campaign> =>
      createCampaign(deps(), { name, purpose: 'service', channel: 'email', sku: null, filter: {}, templateId: SERVICE_NOTICE.id, sendAt });
    const running = async (name: string): Promise<Campaign> => (await launchCampaign(deps(), { campaignId: (await draft(name)).id })).campaign;

    beforeAll(async () => {
      await saveStockTemplates(ctx.app);
      const customers = ['A', 'B', 'C'].map((id) => JSON.stringify({ type: 'customer', id, kind: 'person', name: `Asiakas ${id}`, email: `${id.toLowerCase()}@example.fi` }));
      expect((await runImport({ database: ctx.app.database, settings: ctx.app.settings, now: ctx.app.now }, { stream: Readable.from(customers.join('\n')), format: 'ndjson' })).errorCount).toBe(0);
    });

    it('finds the scheduled drafts whose time has come, earliest first, and no other campaign', async () => {
      const campaigns = ctx.app.stores.campaigns;
      const second = await draft('Toinen', later(20));
      const first = await draft('Ensimmäinen', later(10));
      const notYet = await draft('Myöhemmin', later(60));
      await draft('Ajastamaton');
      const cancelled = await draft('Peruttu', later(10));
      await ctx.app.stores.deliveries.setStatus(cancelled.id, 'cancelled');

      expect(await campaigns.dueForLaunch(later(5), 10)).toEqual([]);
      expect(await campaigns.dueForLaunch(later(10), 10)).toEqual([first.id]);
      expect(await campaigns.dueForLaunch(later(30), 10)).toEqual([first.id, second.id]);
      expect(await campaigns.dueForLaunch(later(30), 1)).toEqual([first.id]);
      expect(await campaigns.schedule(first.id, null)).toBe(true);
      expect(await campaigns.dueForLaunch(later(90), 10)).toEqual([second.id, notYet.id]);
      expect(await campaigns.schedule(cancelled.id, later(100))).toBe(false);
    });

    it('lists a running campaign while it has deliveries to claim or is to be marked done, and not while others hold them or retries wait', async () => {
      const deliveries = ctx.app.stores.deliveries;
      const queued = await running('Jonossa');
      const heldByOther = await running('Toisen hallussa');
      await deliveries.claim(heldByOther.id, 'other', 10, NOW, later(3600));
      const abandoned = await running('Hylätty');
      await deliveries.claim(abandoned.id, 'dead', 10, NOW, later(30));
      const waitingRetry = await running('Odottaa uusintaa');
      await ctx.app.database.db.updateTable('deliveries').set({ not_before: later(900) }).where('campaign_id', '=', waitingRetry.id).execute();
      const drained = await running('Tyhjä');
      await ctx.app.database.db.updateTable('deliveries').set({ state: 'sent' }).where('campaign_id', '=', drained.id).execute();
      const paused = await running('Tauolla');
      await deliveries.setStatus(paused.id, 'paused');
      await draft('Luonnos');

      const ours = (ids: number[]) => ids.filter((id) => [queued, heldByOther, abandoned, waitingRetry, drained, paused].some((c) => c.id === id));
      expect(ours(await deliveries.workable(NOW))).toEqual([queued.id, drained.id]);
      // The dead worker's lease has run out; the retry is due.
      expect(ours(await deliveries.workable(later(901)))).toEqual([queued.id, abandoned.id, waitingRetry.id, drained.id]);
    });
  },
  { now: () => NOW },
);
