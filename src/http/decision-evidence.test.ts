/**
 * What each role sees of a decision's evidence, on both stores (src/http/decision-view.ts): a marketer
 * gets the verdict and the records' kind, value, time and source, but never a record's `evidenceRef`
 * (an agent's free-text note) nor the customer's orders (only their count); a DPO and an agent get
 * it all. The same rule on every route that answers with evidence: decide (GET and POST) and a
 * campaign recipient's explanation.
 */
import { Readable } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeEachStore } from '../../test/support/stores.ts';
import type { CustomerId, Instant, OrderId, Sku } from '../core/records.ts';
import type { Role } from '../core/access.ts';
import { saveDemoTemplates } from '../demo/demo-templates.ts';
import { demoToNdjson } from '../demo/generate-demo.ts';
import { runImport } from '../import/run-import.ts';
import { createCampaign, launchCampaign } from '../use-cases/campaigns.ts';
import { json, useClient } from './testing.ts';

const NOW = '2026-11-30T12:00:00.000Z' as Instant;
const AINO = 'C9000002';
const NOTE = 'Asiakas soitti 30.11.: älkää soittako minulle. Puhelu #4711';

type Evidence = Record<string, unknown> & { consent: Record<string, unknown> | null };
interface Decision {
  allowed: boolean;
  basis: string | null;
  reasons: string[];
  evidence: Evidence;
}

describeEachStore(
  'decision evidence by role',
  (ctx) => {
    const client = useClient(ctx);
    let campaignId = 0;

    beforeAll(async () => {
      const app = ctx.app;
      await runImport({ database: app.database, settings: app.settings, now: app.now }, { stream: Readable.from(demoToNdjson({ customers: 10, seed: 1 })), format: 'ndjson' });
      await saveDemoTemplates(app.stores.templates, app.now());
      const created = await client.post('/v1/customers', { id: AINO, kind: 'person', name: 'Aino Puhelin', email: 'aino.puhelin@example.fi', phone: '+358401234567' }, 'agent');
      expect(created.statusCode).toBe(201);
      await app.stores.catalogue.upsertOrder({ id: 'O-AINO-1' as OrderId, customerId: AINO as CustomerId, sku: 'KPH-MAG' as Sku, startedAt: '2026-01-01T00:00:00.000Z' as Instant, endedAt: null, soldVia: 'web', optOutOffered: true });
      const withdrawal = { kind: 'consent', purpose: 'marketing', channel: 'phone', value: 'withdrawn', at: '2026-11-30T10:00:00Z', source: 'agent', evidenceRef: NOTE };
      expect((await client.post(`/v1/customers/${AINO}/ledger`, withdrawal, 'agent')).statusCode).toBe(201);
      const deps = { ...app.stores, settings: app.settings, sending: app.sending, now: app.now };
      const campaign = await createCampaign(deps, { name: 'Syystarjous', purpose: 'marketing', channel: 'email', sku: 'UV-PRINT-7' as Sku, filter: {}, templateId: 'autumn' });
      await launchCampaign(deps, { campaignId: campaign.id });
      campaignId = campaign.id;
    });

    const decideGet = async (role: Role): Promise<Decision> => {
      const res = await client.get(`/v1/decide?customer=${AINO}&purpose=marketing&channel=phone`, role);
      expect(res.statusCode).toBe(200);
      return json<Decision>(res);
    };

    describe('decide', () => {
      it('gives a marketer the verdict and the record without its evidenceRef', async () => {
        const marketer = await decideGet('marketer');
        const dpo = await decideGet('dpo');
        expect(marketer).toMatchObject({ allowed: false, basis: null, reasons: dpo.reasons });
        expect(marketer.evidence.consent).toMatchObject({ value: 'withdrawn', channel: 'phone', source: 'agent', at: '2026-11-30T10:00:00.000Z', noticeVersion: null });
        expect(marketer.evidence.consent).not.toHaveProperty('evidenceRef');
        expect(JSON.stringify(marketer)).not.toContain('4711');
        expect(marketer.evidence['withheld']).toEqual(['evidenceRef', 'orders']);
        expect(dpo.evidence.consent).toMatchObject({ value: 'withdrawn', evidenceRef: NOTE });
        expect(dpo.evidence['withheld']).toEqual([]);
        expect((await decideGet('agent')).evidence.consent).toMatchObject({ evidenceRef: NOTE });
      });

      it('gives a marketer only the count of the orders considered, by POST too', async () => {
        const body = { customer: AINO, purpose: 'marketing', channel: 'email', product: 'UV-PRINT-7' };
        const marketer = json<Decision>(await client.post('/v1/decide', body, 'marketer'));
        const dpo = json<Decision>(await client.post('/v1/decide', body, 'dpo'));
        expect(marketer.reasons).toEqual(dpo.reasons);
        expect(marketer.evidence).not.toHaveProperty('consideredOrders');
        expect(marketer.evidence).not.toHaveProperty('order');
        expect(marketer.evidence['consideredOrderCount']).toBe(1);
        expect(JSON.stringify(marketer)).not.toContain('KPH-MAG');
        expect(dpo.evidence['consideredOrders']).toEqual([
          { id: 'O-AINO-1', sku: 'KPH-MAG', category: 'magazine_home', startedAt: '2026-01-01T00:00:00.000Z', endedAt: null, optOutOffered: true, similar: false, live: true },
        ]);
        expect(dpo.evidence['consideredOrderCount']).toBe(1);
      });
    });

    describe("a campaign recipient's explanation", () => {
      it('lists the orders considered to a DPO, and only their count to a marketer', async () => {
        const explain = async (role: Role) => {
          const res = await client.get(`/v1/campaigns/${campaignId}/deliveries/${AINO}`, role);
          expect(res.statusCode).toBe(200);
          return json<{ decisions: { purpose: string; decision: Decision }[] }>(res).decisions[0]?.decision;
        };
        const marketer = await explain('marketer');
        const dpo = await explain('dpo');
        expect(marketer?.reasons).toEqual(['NOT_SIMILAR_PRODUCT']);
        expect(marketer?.evidence).not.toHaveProperty('consideredOrders');
        expect(marketer?.evidence['consideredOrderCount']).toBe(1);
        expect(marketer?.evidence['withheld']).toEqual(['evidenceRef', 'orders']);
        expect(dpo?.evidence['consideredOrders']).toHaveLength(1);
        expect(dpo?.evidence['withheld']).toEqual([]);
      });
    });

    it('says in the OpenAPI description of each route what a marketer does not see', async () => {
      const doc = json<{ paths: Record<string, Record<string, { description: string }>> }>(await client.server.inject({ method: 'GET', url: '/docs/json' }));
      for (const [path, method] of [['/v1/decide', 'get'], ['/v1/decide', 'post'], ['/v1/campaigns/{id}/deliveries/{customerId}', 'get']] as const) {
        expect(doc.paths[path]?.[method]?.description, `${method} ${path}`).toContain('no `evidenceRef`');
      }
    });
  },
  { now: () => NOW },
);
