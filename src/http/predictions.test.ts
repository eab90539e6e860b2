/** The predictions' routes: who may train and read models, what a model answers with, no scores handed out. */
import { Readable } from 'node:stream';
import { beforeAll, expect, it } from 'vitest';
import { describeEachStore } from '../../test/support/stores.ts';
import type { Instant } from '../core/records.ts';
import { demoToNdjson } from '../demo/generate-demo.ts';
import { runImport } from '../import/run-import.ts';
import { json, useClient } from './testing.ts';

const NOW = '2026-11-30T12:00:00.000Z' as Instant;

interface Model {
  id: number;
  kind: string;
  auc: number | null;
  trainedOn: number;
  calibration: { decile: number; predicted: number; observed: number }[];
  coefficients: number[];
  features: string[];
}

describeEachStore(
  'prediction models over the API',
  (ctx) => {
    const client = useClient(ctx);
    beforeAll(async () => {
      const app = ctx.app;
      await runImport({ database: app.database, settings: app.settings, now: app.now }, { stream: Readable.from(demoToNdjson({ customers: 800, seed: 2 })), format: 'ndjson' });
    }, 60_000);

    it('a marketer and an analyst train and read models; an agent and a DPO may not', async () => {
      const body = { model: 'churn', horizonDays: 90, asOf: '2026-10-01T00:00:00Z' };
      expect((await client.post('/v1/predictions/models', body, 'agent')).statusCode).toBe(403);
      expect((await client.post('/v1/predictions/models', body, 'dpo')).statusCode).toBe(403);
      const res = await client.post('/v1/predictions/models', body, 'marketer');
      expect(res.statusCode).toBe(201);
      const model = json<Model>(res);
      expect(model.kind).toBe('churn');
      expect(typeof model.auc).toBe('number');
      expect(model.coefficients).toHaveLength(model.features.length + 1);
      const one = json<Model>(await client.get(`/v1/predictions/models/${model.id}`, 'analyst'));
      expect(one.calibration).toEqual(model.calibration);
      const list = json<{ models: { id: number; auc: number | null }[] }>(await client.get('/v1/predictions/models', 'analyst'));
      expect(list.models.map((m) => m.id)).toContain(model.id);
      expect((await client.get('/v1/predictions/models', 'agent')).statusCode).toBe(403);
      const scored = await client.post(`/v1/predictions/models/${model.id}/score`, {}, 'analyst');
      expect(scored.statusCode).toBe(200);
      const result = json<Record<string, unknown>>(scored);
      expect(Object.keys(result).sort()).toEqual(['computedAt', 'model', 'scored']);
      expect(result['scored']).toBeGreaterThan(700);
    });

    it('marks the model whose scores rank offers: the latest of its category with scores', async () => {
      const train = async (horizonDays: number): Promise<number> =>
        json<Model>(await client.post('/v1/predictions/models', { model: 'propensity', category: 'magazine_home', horizonDays, asOf: '2026-10-01T00:00:00Z' }, 'marketer')).id;
      const list = async () => json<{ models: { id: number; kind: string; usedForOffers: boolean }[] }>(await client.get('/v1/predictions/models', 'analyst')).models;
      const used = async () => (await list()).filter((m) => m.usedForOffers).map((m) => m.id);
      const first = await train(90);
      const second = await train(60);
      expect((await used()).filter((id) => id === first || id === second)).toEqual([]);
      expect((await client.post(`/v1/predictions/models/${first}/score`, {}, 'marketer')).statusCode).toBe(200);
      expect((await used()).filter((id) => id === first || id === second)).toEqual([first]);
      // The newer model's scores take over once they are computed.
      expect((await client.post(`/v1/predictions/models/${second}/score`, {}, 'marketer')).statusCode).toBe(200);
      expect((await used()).filter((id) => id === first || id === second)).toEqual([second]);
      // A churn model predicts no acceptance: never marked.
      expect((await list()).filter((m) => m.kind === 'churn' && m.usedForOffers)).toEqual([]);
    });

    it('refuses a propensity model without a known category, and an unknown model', async () => {
      const res = await client.post('/v1/predictions/models', { model: 'propensity', horizonDays: 30, category: 'comics' }, 'marketer');
      expect(res.statusCode).toBe(400);
      expect(json(res)['field']).toBe('category');
      expect((await client.get('/v1/predictions/models/999', 'marketer')).statusCode).toBe(404);
    });
  },
  { now: () => NOW },
);
