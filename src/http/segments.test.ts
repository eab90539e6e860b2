/**
 * `/v1/segments` on both stores: a marketer builds and refreshes a segment and sends a campaign to
 * it; an analyst sees no count that singles out a handful; an agent may not manage segments; a bad
 * rule is refused naming where it is wrong; a segment under a campaign cannot be removed.
 */
import { beforeAll, expect, it } from 'vitest';
import { describeEachStore } from '../../test/support/stores.ts';
import { json, useClient } from './testing.ts';

describeEachStore('/v1/segments', (ctx) => {
  const client = useClient(ctx);
  const rule = { all: [{ attribute: 'city', equals: 'Kuopio' }, { not: { attribute: 'kind', equals: 'business' } }] };

  beforeAll(async () => {
    for (const [i, name] of ['Aino', 'Eero', 'Liisa', 'Ville', 'Sanna', 'Pekka'].entries()) {
      const res = await client.post('/v1/customers', { id: `SG${i}`, kind: 'person', name: `${name} Kuopiolainen`, email: `sg${i}@example.fi`, address: { street: 'Katu 1', postalCode: '70100', city: 'Kuopio' } }, 'agent');
      expect(res.statusCode).toBe(201);
    }
    await client.post('/v1/customers', { id: 'SGB', kind: 'business', name: 'Kuopion Oy', email: 'b@example.fi', address: { street: 'Katu 2', postalCode: '70100', city: 'Kuopio' } }, 'agent');
  });

  it('counts a rule live, saves it, refreshes it and selects a campaign audience with it', async () => {
    // Six, rounded to base 5 for a marketer (who may not read customer records), exact for the DPO.
    expect(json(await client.post('/v1/segments/count', { rule }, 'marketer'))).toMatchObject({ members: 5, roundedTo: 5 });
    expect(json(await client.post('/v1/segments/count', { rule }, 'dpo'))).toMatchObject({ members: 6 });
    const created = await client.post('/v1/segments', { name: 'Kuopio people', rule }, 'marketer');
    expect(created.statusCode).toBe(201);
    const id = json<{ id: number; computedAt: string | null }>(created).id;
    expect(json(created)).toMatchObject({ computedAt: null, members: 0, timeDependent: false });

    // Not computed yet: a campaign cannot select it.
    const early = await client.post('/v1/campaigns', { name: 'Kuopio', purpose: 'service', channel: 'email', filter: { segment: id } }, 'marketer');
    expect(early.statusCode).toBe(400);
    expect(json(early)).toMatchObject({ field: 'segment' });

    const refreshed = await client.post(`/v1/segments/${id}/refresh`, {}, 'marketer');
    expect(json(refreshed)).toMatchObject({ segmentId: id, mode: 'full', members: 5 });
    // Counts over a segment are rounded as its size is, for roles that may not read customers
    // (the exact 6 beside "about 5" told the size); the DPO sees them exact.
    const audience = json<{ evaluated: number; roundedTo: number }>(await client.get(`/v1/audience?purpose=service&channel=email&segment=${id}`, 'marketer'));
    expect(audience).toMatchObject({ evaluated: 5, allowed: 5, roundedTo: 5 });
    expect(json(await client.get(`/v1/audience?purpose=service&channel=email&segment=${id}`, 'dpo'))).toMatchObject({ evaluated: 6, allowed: 6 });

    const campaign = await client.post('/v1/campaigns', { name: 'Kuopio', purpose: 'service', channel: 'email', filter: { segment: id } }, 'marketer');
    expect(campaign.statusCode).toBe(201);
    const removal = await ctx.app.stores.segments.campaignsUsing(id);
    expect(removal).toEqual([json<{ id: number }>(campaign).id]);
    const refused = await client.server.inject({ method: 'DELETE', url: `/v1/segments/${id}`, headers: { authorization: `Bearer ${client.keys.marketer}` } });
    expect(refused.statusCode).toBe(409);
    expect(json(refused)).toMatchObject({ error: 'SEGMENT_IN_USE', details: { campaigns: removal } });
  });

  it('keeps a segment an ad audience selects: without it the audience could never remove anyone from the platform', async () => {
    const made = await client.post('/v1/segments', { name: 'For an ad audience', rule }, 'marketer');
    const id = json<{ id: number }>(made).id;
    const audience = await client.post('/v1/ad-audiences', { name: 'Segment audience', platform: 'meta', externalId: '4242', segment: id }, 'marketer');
    expect(audience.statusCode).toBe(201);
    const refused = await client.server.inject({ method: 'DELETE', url: `/v1/segments/${id}`, headers: { authorization: `Bearer ${client.keys.marketer}` } });
    expect(refused.statusCode).toBe(409);
    expect(json(refused)).toMatchObject({ error: 'SEGMENT_IN_USE', details: { adAudiences: [json<{ id: number }>(audience).id] } });
    expect(await ctx.app.stores.segments.get(id)).not.toBeNull();
  });

  it('hides small counts from roles that may not read customers, shows them to the DPO', async () => {
    const few = { all: [rule, { attribute: 'postalCode', startsWith: '701' }, { any: [{ attribute: 'locale', equals: 'xx' }, { not: { attribute: 'city', in: ['Kuopio'] } }] }] };
    const small = { any: [{ attribute: 'city', equals: 'Kuopio' }] };
    expect(json(await client.post('/v1/segments/count', { rule: few }, 'analyst'))).toMatchObject({ members: 0 });
    await client.post('/v1/customers', { id: 'SGX', kind: 'person', name: 'Ainoa Joensuulainen', email: 'x@example.fi', address: { street: 'Katu 3', postalCode: '80100', city: 'Joensuu' } }, 'agent');
    const one = { attribute: 'city', equals: 'Joensuu' };
    expect(json(await client.post('/v1/segments/count', { rule: one }, 'analyst'))).toMatchObject({ members: null, suppressedBelow: 5 });
    expect(json(await client.post('/v1/segments/count', { rule: one }, 'marketer'))).toMatchObject({ members: null });
    expect(json(await client.post('/v1/segments/count', { rule: one }, 'dpo'))).toMatchObject({ members: 1 });
    // Exact for the DPO; rounded to base 5 for the analyst.
    const exact = async (r: object) => json<{ members: number }>(await client.post('/v1/segments/count', { rule: r }, 'dpo')).members;
    const shown = async (r: object) => json<{ members: number | null; roundedTo?: number }>(await client.post('/v1/segments/count', { rule: r }, 'analyst'));
    expect(await exact(small)).toBe(7);
    expect(await shown(small)).toMatchObject({ members: 5, roundedTo: 5 });
    // One condition more takes out the business: the two rounded counts do not tell it by subtraction.
    const lessOne = { all: [small, { not: { attribute: 'kind', equals: 'business' } }] };
    expect(await exact(lessOne)).toBe(6);
    expect((await shown(lessOne)).members).toBe((await shown(small)).members);
    // Nobody is exactly nobody: not said to be rounded ("about 0").
    const none = json(await client.post('/v1/segments/count', { rule: { attribute: 'city', equals: 'Nowhere' } }, 'analyst'));
    expect(none).toMatchObject({ members: 0 });
    expect(none).not.toHaveProperty('roundedTo');
  });

  it('counts as of a past time, and refuses one in the future', async () => {
    const past = await client.post('/v1/segments/count', { rule, at: '2026-01-01T00:00:00Z' }, 'dpo');
    expect(past.statusCode).toBe(200);
    expect(json(past)).toMatchObject({ asOf: '2026-01-01T00:00:00.000Z' });
    // Someone who objects to profiling now is not counted as of an earlier time either (rule 7):
    // the count is made now. Before, the objection, dated after `at`, did not keep them out.
    const made = await client.post('/v1/customers', { id: 'SG-OBJ', kind: 'person', name: 'Olli Savolainen', email: 'olli.savolainen@example.fi', address: { street: 'Puijonkatu 9', postalCode: '70110', city: 'Kuopio' } }, 'agent');
    expect(made.statusCode).toBe(201);
    expect((await client.post('/v1/customers/SG-OBJ/ledger', { kind: 'objection', scope: 'profiling', source: 'letter' }, 'dpo')).statusCode).toBe(201);
    expect(json(await client.post('/v1/segments/count', { rule, at: '2026-01-01T00:00:00Z' }, 'dpo'))).toMatchObject({ members: json<{ members: number }>(past).members });
    const future = await client.post('/v1/segments/count', { rule, at: '2099-01-01T00:00:00Z' }, 'dpo');
    expect(future.statusCode).toBe(400);
    expect(json(future)).toMatchObject({ error: 'INVALID_DATE', field: 'at', message: expect.stringMatching(/^at must not be in the future/) });
  });

  it('refuses a bad rule naming where, and roles that may not manage segments', async () => {
    const bad = await client.post('/v1/segments', { name: 'bad', rule: { all: [{ orders: { started: { withinDays: -1 } } }] } }, 'marketer');
    expect(bad.statusCode).toBe(400);
    expect(json(bad)).toMatchObject({ error: 'INVALID_SEGMENT_RULE', field: 'rule.all.0.orders.started.withinDays' });
    // A topic or model that does not exist would count 0 and say nothing: refused, naming where.
    const topic = await client.post('/v1/segments/count', { rule: { all: [rule, { interest: { topic: 'spotr', source: 'stated' } }] } }, 'marketer');
    expect(topic.statusCode).toBe(400);
    expect(json(topic)).toMatchObject({ error: 'INVALID_SEGMENT_RULE', field: 'rule.all.1.interest.topic', details: { problem: expect.stringContaining('spotr') } });
    const model = await client.post('/v1/segments', { name: 'scored', rule: { not: { score: { model: 9999, atLeast: 0.5 } } } }, 'marketer');
    expect(json(model)).toMatchObject({ error: 'INVALID_SEGMENT_RULE', field: 'rule.not.score.model' });
    expect(json(await client.post('/v1/segments/count', { rule: { interest: { topic: 'sport', source: 'stated' } } }, 'dpo'))).toMatchObject({ members: 0 });
    // So would a misspelt product, category or campaign.
    const refused = async (r: object) => json(await client.post('/v1/segments/count', { rule: r }, 'marketer'));
    expect(await refused({ orders: { category: ['daly'] } })).toMatchObject({ error: 'INVALID_SEGMENT_RULE', field: 'rule.orders.category.0', details: { problem: expect.stringContaining('daly') } });
    expect(await refused({ any: [rule, { orders: { sku: ['NOPE'] } }] })).toMatchObject({ error: 'INVALID_SEGMENT_RULE', field: 'rule.any.1.orders.sku.0' });
    expect(await refused({ engagement: { event: 'open', withinDays: 30, campaignId: 999999 } })).toMatchObject({ error: 'INVALID_SEGMENT_RULE', field: 'rule.engagement.campaignId' });
    expect((await client.post('/v1/segments', { name: 'x', rule }, 'agent')).statusCode).toBe(403);
    expect((await client.post('/v1/segments/count', { rule }, 'agent')).statusCode).toBe(403);
    // A misspelt field is named, not the one it was meant to be ("expected nonoptional" before);
    // a field left out is said to be required.
    expect(json(await client.post('/v1/segments/count', { rules: rule }, 'marketer'))).toMatchObject({ error: 'VALIDATION_FAILED', field: 'rules', message: 'rules is not a known field' });
    expect(json(await client.post('/v1/segments', { name: 'no rule' }, 'marketer'))).toMatchObject({ error: 'VALIDATION_FAILED', field: 'rule', message: 'rule is required' });
    // Some 1,500 levels deep: a 500 (the stack overflowed) before; the size refusal now.
    let deep: unknown = { attribute: 'city', equals: 'X' };
    for (let i = 0; i < 1500; i++) deep = { not: deep };
    for (const [url, body] of [['/v1/segments/count', { rule: deep }], ['/v1/segments', { name: 'syvä', rule: deep }]] as const) {
      const res = await client.post(url, body, 'marketer');
      expect(res.statusCode).toBe(400);
      expect(json(res)).toMatchObject({ error: 'INVALID_SEGMENT_RULE', field: 'rule' });
    }
    expect((await client.get('/v1/segments', 'agent')).statusCode).toBe(403);
    expect((await client.post('/v1/segments/refresh', {}, 'dpo')).statusCode).toBe(403);
    const dup = await client.post('/v1/segments', { name: 'Kuopio people', rule }, 'analyst');
    expect(json(dup)).toMatchObject({ error: 'SEGMENT_EXISTS', field: 'name' });
  });

  it('adds the ready-made RFM segments once, computed, for the roles that manage segments', async () => {
    const s = ctx.app.stores;
    await s.catalogue.upsertProduct({ sku: 'RFM-1' as never, name: 'RFM paper', brand: null, category: 'daily' });
    // Ten customers with 1–10 orders each, all ended long ago at different times.
    for (let i = 1; i <= 10; i++) {
      await client.post('/v1/customers', { id: `RF${i}`, kind: 'person', name: `Rfm ${i}`, email: `rf${i}@example.fi` }, 'agent');
      for (let j = 0; j < i; j++) {
        await s.catalogue.upsertOrder({ id: `RF${i}-${j}` as never, customerId: `RF${i}` as never, sku: 'RFM-1' as never, startedAt: '2020-01-01T00:00:00.000Z' as never, endedAt: `2020-${String(1 + i).padStart(2, '0')}-15T00:00:00.000Z` as never, soldVia: 'web', optOutOffered: true });
      }
    }
    expect((await client.post('/v1/segments/rfm', {}, 'agent')).statusCode).toBe(403);
    const first = json<{ created: { name: string; computedAt: string | null; rule: unknown }[] }>(await client.post('/v1/segments/rfm', {}, 'marketer'));
    expect(first.created.map((c) => c.name)).toEqual(['RFM: champions', 'RFM: loyal', 'RFM: new', 'RFM: at risk', 'RFM: hibernating']);
    expect(first.created.every((c) => c.computedAt !== null)).toBe(true);
    // Quintile ⌈5k/10⌉: the customers with 7–10 orders (the latest, most and longest) score 4–5 on all three.
    const members = async (name: string): Promise<string[]> =>
      (await ctx.app.database.db.selectFrom('segment_members').innerJoin('segments', 'segments.id', 'segment_members.segment_id').select('customer_id').where('segments.name', '=', name).orderBy('customer_id').execute()).map((r) => r.customer_id);
    expect(await members('RFM: champions')).toEqual(['RF10', 'RF7', 'RF8', 'RF9']);
    expect(await members('RFM: hibernating')).toEqual(['RF1', 'RF2', 'RF3', 'RF4']);
    expect(json(await client.post('/v1/segments/rfm', {}, 'analyst'))).toEqual({ created: [] });
  });

  it('names the ready-made RFM segments in the language asked for, and adds none again in another', async () => {
    // Starts without them, whatever an earlier test added.
    for (const seg of json<{ segments: { id: number; name: string }[] }>(await client.get('/v1/segments', 'marketer')).segments) {
      if (seg.name.startsWith('RFM: ')) expect((await client.server.inject({ method: 'DELETE', url: `/v1/segments/${seg.id}`, headers: { authorization: `Bearer ${client.keys.marketer}` } })).statusCode).toBeLessThan(300);
    }
    const fi = json<{ created: { name: string; description: string | null }[] }>(await client.post('/v1/segments/rfm?lang=fi', {}, 'marketer'));
    expect(fi.created.map((c) => c.name)).toEqual(['RFM: parhaat', 'RFM: uskolliset', 'RFM: uudet', 'RFM: menettämisvaarassa', 'RFM: lepäävät']);
    expect(fi.created[0]?.description).toMatch(/^Tuoreet, usein tilaavat/);
    // The same segments under their Swedish or English names exist already.
    expect(json(await client.post('/v1/segments/rfm?lang=sv', {}, 'marketer'))).toEqual({ created: [] });
    expect(json(await client.post('/v1/segments/rfm', {}, 'marketer'))).toEqual({ created: [] });
    expect(json(await client.post('/v1/segments/rfm?lang=de', {}, 'marketer'))).toMatchObject({ error: 'VALIDATION_FAILED', field: 'lang' });
  });
});
