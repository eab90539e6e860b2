/**
 * The interests' API on both stores: topics for every role, one customer's interests for the roles
 * that read customer records (audited), a stated interest recorded by an agent (appended with the
 * agent as actor), the inference run on demand from the demo data's trials, topics configurable
 * by an administrator only.
 */
import { Readable } from 'node:stream';
import { beforeAll, expect, it } from 'vitest';
import { describeEachStore } from '../../test/support/stores.ts';
import type { CustomerId, Instant } from '../core/records.ts';
import { demoToNdjson } from '../demo/generate-demo.ts';
import { runImport } from '../import/run-import.ts';
import { json, useClient } from './testing.ts';

interface Interests {
  customerId: string;
  stated: { topic: string; value: string; source: string; actor: string }[];
  inferred: { topic: string; weight: number }[];
}

describeEachStore(
  'the interests API',
  (ctx) => {
    const client = useClient(ctx);
    let withInferred = '';

    beforeAll(async () => {
      const app = ctx.app;
      await runImport({ database: app.database, settings: app.settings, now: app.now }, { stream: Readable.from(demoToNdjson({ customers: 150, seed: 1 })), format: 'ndjson' });
    });

    it('infers interests from the demo data’s trials on demand', async () => {
      expect((await client.post('/v1/interests/refresh', {}, 'agent')).statusCode).toBe(403);
      const res = await client.post('/v1/interests/refresh', {}, 'marketer');
      expect(res.statusCode).toBe(200);
      const run = json<{ inferred: number; customers: number }>(res);
      expect(run.customers).toBeGreaterThan(5);
      const row = await ctx.app.database.db.selectFrom('inferred_interests' as never).select('customer_id' as never).orderBy('customer_id' as never).executeTakeFirstOrThrow();
      withInferred = (row as { customer_id: string }).customer_id;
    });

    it('shows one customer’s interests to the roles that read customer records, audited', async () => {
      const url = `/v1/customers/${withInferred}/interests`;
      for (const role of ['marketer', 'analyst'] as const) expect((await client.get(url, role)).statusCode).toBe(403);
      const before = (await ctx.app.stores.audit.forCustomer(withInferred as CustomerId)).length;
      const res = await client.get(url, 'agent');
      expect(res.statusCode).toBe(200);
      const body = json<Interests>(res);
      expect(body.inferred.length).toBeGreaterThan(0);
      for (const i of body.inferred) expect(i.weight).toBeGreaterThan(0);
      const entries = (await ctx.app.stores.audit.forCustomer(withInferred as CustomerId)).slice(before);
      expect(entries.map((e) => [e.action, e.role])).toEqual([['interests.read', 'agent']]);
      expect(json(await client.get('/v1/customers/NOPE/interests'))).toMatchObject({ error: 'UNKNOWN_CUSTOMER' });
    });

    it('records what a customer told an agent, with the agent as actor; "not interested" takes the inferred topic away', async () => {
      const url = `/v1/customers/${withInferred}/interests`;
      const topic = json<Interests>(await client.get(url)).inferred[0]?.topic ?? '';
      expect((await client.post(url, { topic: 'sport', value: 'interested' }, 'dpo')).statusCode).toBe(403);
      const sport = await client.post(url, { topic: 'sport', value: 'interested' }, 'agent');
      expect(sport.statusCode).toBe(201);
      expect(json<Interests>(sport).stated).toEqual([expect.objectContaining({ topic: 'sport', value: 'interested', source: 'agent', actor: expect.stringContaining('test agent') })]);
      const declined = json<Interests>(await client.post(url, { topic, value: 'not_interested' }, 'agent'));
      expect(declined.inferred.map((i) => i.topic)).not.toContain(topic);
      expect(declined.stated.map((s) => [s.topic, s.value]).sort()).toEqual([[topic, 'not_interested'], ['sport', 'interested']].sort());
      const unknown = await client.post(url, { topic: 'knitting', value: 'interested' }, 'agent');
      expect(unknown.statusCode).toBe(400);
      expect(json(unknown)).toMatchObject({ error: 'UNKNOWN_TOPIC', field: 'topic' });
    });

    it('lists topics to every role; only an administrator adds or renames one', async () => {
      const topics = json<{ topics: { code: string }[] }>(await client.get('/v1/interests/topics', 'analyst')).topics;
      expect(topics.map((t) => t.code)).toContain('home_garden');
      const food = { code: 'food', names: { fi: 'Ruoka', sv: 'Mat', en: 'Food' }, categories: ['magazine_food'] };
      expect((await client.post('/v1/interests/topics', food, 'marketer')).statusCode).toBe(403);
      expect((await client.post('/v1/interests/topics', food, 'admin')).statusCode).toBe(201);
      expect(json(await client.post('/v1/interests/topics', food, 'admin'))).toMatchObject({ error: 'TOPIC_EXISTS' });
      const renamed = await client.patch('/v1/interests/topics/food', { names: { en: 'Food and drink' } }, 'admin');
      expect(json(renamed)).toEqual({ code: 'food', names: { fi: 'Ruoka', sv: 'Mat', en: 'Food and drink' }, categories: ['magazine_food'] });
      expect(json(await client.patch('/v1/interests/topics/nope', { names: { en: 'x' } }, 'admin'))).toMatchObject({ error: 'UNKNOWN_TOPIC' });
      expect(json(await client.post('/v1/interests/topics', { ...food, code: 'Bad Code' }, 'admin'))).toMatchObject({ error: 'VALIDATION_FAILED', field: 'code' });
    });
  },
  { now: () => '2026-11-30T09:00:00.000Z' as Instant },
);
