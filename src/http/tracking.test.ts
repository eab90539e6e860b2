/** Open pixel and click redirect over HTTP: signed tickets, machine hits apart, per-person only when allowed. */
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import { createApp } from '../composition-root.ts';
import { loadConfig } from '../config.ts';
import type { Instant } from '../core/records.ts';
import { createApiKey } from '../use-cases/api-keys.ts';
import { clickUrl, openPixelUrl, type TrackingTicket } from '../use-cases/tracking.ts';
import { describeEachStore } from '../../test/support/stores.ts';
import { buildServer } from './server.ts';

const BROWSER = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko)';

describeEachStore('§3 signed opaque tokens, clicks only to stored URLs, machine opens apart (tracking)', (ctx) => {
  let server: FastifyInstance;
  let campaignId = 0;
  const hourAgo = () => Math.floor(Date.now() / 1000) - 3600;
  const ticket = (over: Partial<TrackingTicket> = {}): TrackingTicket => ({ deliveryId: 11, campaignId, perPerson: true, sentAtSeconds: hourAgo(), ...over });
  const path = (url: string) => url.replace(ctx.app.publicUrl, '');

  beforeAll(async () => {
    const campaign = await ctx.app.stores.campaigns.create({ name: 'Seuranta', purpose: 'marketing', channel: 'email', sku: null, filter: {}, templateId: null }, '2026-01-01T00:00:00.000Z' as Instant);
    campaignId = campaign.id;
    await ctx.app.stores.links.setLinks(campaignId, ['https://lupa.example/tarjous?x=1', 'https://example.fi/lue']);
    server = await buildServer(ctx.app);
  });

  it('answers the pixel with a GIF and counts a person’s open', async () => {
    const res = await server.inject({ url: path(openPixelUrl(ctx.app.signer, ctx.app.publicUrl, ticket())), headers: { 'user-agent': BROWSER } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('image/gif');
    expect(res.rawPayload.subarray(0, 6).toString()).toBe('GIF89a');
    expect((await ctx.app.stores.tracking.counts(campaignId)).opens).toEqual({ people: 1, machines: 0, uniquePeople: 1 });
  });

  it('counts privacy proxies, scanners and too-early hits as machines', async () => {
    await server.inject({ url: path(openPixelUrl(ctx.app.signer, ctx.app.publicUrl, ticket({ deliveryId: 12 }))), headers: { 'user-agent': 'Mozilla/5.0' } });
    await server.inject({ url: path(openPixelUrl(ctx.app.signer, ctx.app.publicUrl, ticket({ deliveryId: 13 }))), headers: { 'user-agent': 'Mozilla/5.0 (via ggpht.com GoogleImageProxy)' } });
    await server.inject({ url: path(openPixelUrl(ctx.app.signer, ctx.app.publicUrl, ticket({ deliveryId: 14, sentAtSeconds: Math.floor(Date.now() / 1000) }))), headers: { 'user-agent': BROWSER } });
    expect((await ctx.app.stores.tracking.counts(campaignId)).opens).toEqual({ people: 1, machines: 3, uniquePeople: 1 });
  });

  it('keeps only an aggregate count when per-person tracking is not allowed', async () => {
    await server.inject({ url: path(openPixelUrl(ctx.app.signer, ctx.app.publicUrl, ticket({ deliveryId: 15, perPerson: false }))), headers: { 'user-agent': BROWSER } });
    expect((await ctx.app.stores.tracking.counts(campaignId)).opens).toEqual({ people: 2, machines: 3, uniquePeople: 1 });
    const rows = await sql<{ delivery_id: number | null }>`SELECT delivery_id FROM tracking_events WHERE campaign_id = ${campaignId} AND kind = 'open' AND machine = ${ctx.store.kind === 'postgres' ? sql`false` : sql`0`} ORDER BY id`.execute(ctx.app.database.db);
    expect(rows.rows.map((r) => (r.delivery_id === null ? null : Number(r.delivery_id)))).toEqual([11, null]);
  });

  it('redirects a click only to the URL stored for that link', async () => {
    const res = await server.inject({ url: path(clickUrl(ctx.app.signer, ctx.app.publicUrl, ticket(), 1)), headers: { 'user-agent': BROWSER } });
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe('https://example.fi/lue');
    expect((await ctx.app.stores.tracking.counts(campaignId)).clicks).toEqual({ people: 1, machines: 0, uniquePeople: 1 });
  });

  it('counts clicks per link with its URL, people and machines apart, and only links clicked', async () => {
    await server.inject({ url: path(clickUrl(ctx.app.signer, ctx.app.publicUrl, ticket({ deliveryId: 12 }), 1)), headers: { 'user-agent': BROWSER } });
    await server.inject({ url: path(clickUrl(ctx.app.signer, ctx.app.publicUrl, ticket({ deliveryId: 12 }), 1)), headers: { 'user-agent': 'Mimecast link scanner' } });
    expect((await ctx.app.stores.tracking.counts(campaignId)).links).toEqual([{ idx: 1, url: 'https://example.fi/lue', people: 2, machines: 1, uniquePeople: 2 }]);
    const { key } = await createApiKey({ apiKeys: ctx.app.stores.apiKeys, now: ctx.app.now }, { name: 'results', role: 'analyst' });
    const results = await server.inject({ url: `/v1/campaigns/${campaignId}/results`, headers: { authorization: `Bearer ${key}` } });
    expect(results.json().links).toEqual([{ idx: 1, url: 'https://example.fi/lue', people: 2, machines: 1, uniquePeople: 2 }]);
  });

  it('answers 404, never a redirect, to a bad token, an altered one, a pixel token used as a click, or an unknown link', async () => {
    const good = path(clickUrl(ctx.app.signer, ctx.app.publicUrl, ticket(), 0));
    const bad = [
      '/c/not-a-token',
      good.slice(0, -2) + (good.endsWith('AA') ? 'BB' : 'AA'),
      path(openPixelUrl(ctx.app.signer, ctx.app.publicUrl, ticket())).replace('/o/', '/c/').replace('.gif', ''),
      path(clickUrl(ctx.app.signer, ctx.app.publicUrl, ticket(), 7)),
    ];
    for (const url of bad) {
      const res = await server.inject({ url });
      expect([url, res.statusCode, res.headers.location]).toEqual([url, 404, undefined]);
    }
    expect((await server.inject({ url: '/o/not-a-token.gif' })).statusCode).toBe(404);
  });

  it('writes every buffered hit on a clean shutdown', async () => {
    const other = await createApp(loadConfig({ LUPA_DATABASE_URL: ctx.store.url, LUPA_LOG_LEVEL: 'silent' }));
    for (let i = 0; i < 25; i++) other.stores.tracking.record({ campaignId, deliveryId: 100 + i, kind: 'open', linkIdx: null, at: other.now(), machine: false, machineReason: null });
    await other.close();
    expect((await ctx.app.stores.tracking.counts(campaignId)).opens.uniquePeople).toBe(1 + 25);
  });
});
