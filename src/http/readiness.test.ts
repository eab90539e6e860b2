/** The sending readiness over HTTP (admin only) and the recorded override for an unaligned sender. */
import { beforeAll, expect, it } from 'vitest';
import { describeEachStore } from '../../test/support/stores.ts';
import { NEWSLETTER, saveStockTemplates } from '../../test/support/sending.ts';
import { createCampaign, launchCampaign } from '../use-cases/campaigns.ts';
import { json, useClient } from './testing.ts';

describeEachStore('GET /v1/admin/readiness and PUT /v1/campaigns/{id}/unaligned-from', (ctx) => {
  const client = useClient(ctx);
  const deps = () => ({ ...ctx.app.stores, settings: ctx.app.settings, sending: ctx.app.sending, now: ctx.app.now });

  beforeAll(async () => {
    await saveStockTemplates(ctx.app);
  });

  it('answers the report to an admin: the development inbox, each item with its status, nothing blocking', async () => {
    const res = await client.get('/v1/admin/readiness');
    expect(res.statusCode).toBe(200);
    const report = json<{ development: boolean; blocking: boolean; items: { id: string; status: string; fix?: string }[] }>(res);
    expect(report).toMatchObject({ development: true, blocking: false });
    expect(report.items.map((i) => i.id)).toEqual(expect.arrayContaining(['sending', 'public_url', 'return_path', 'bounce_receiver', 'dkim:default', 'from:noreply@lupa.localhost']));
    expect(report.items.find((i) => i.id === 'public_url')).toMatchObject({ status: 'warning', fix: expect.stringContaining('LUPA_PUBLIC_URL') });
  });

  it('refuses every other role', async () => {
    for (const role of ['marketer', 'agent', 'dpo', 'analyst'] as const) {
      expect((await client.get('/v1/admin/readiness', role)).statusCode).toBe(403);
    }
  });

  it('records a marketer\'s override with the key and the time on a draft, refuses a bad reason, and a launched campaign', async () => {
    const draft = await createCampaign(deps(), { name: 'Kumppani', purpose: 'marketing', channel: 'email', sku: null, filter: {}, templateId: NEWSLETTER.id, from: { name: 'K', address: 'tarjous@kumppani.fi' } });
    const put = (id: number, body: unknown, role: 'marketer' | 'analyst' = 'marketer') =>
      client.server.inject({ method: 'PUT', url: `/v1/campaigns/${id}/unaligned-from`, headers: { authorization: `Bearer ${client.keys[role]}` }, payload: body as object });
    expect((await put(draft.id, { reason: 'the relay signs for kumppani.fi' }, 'analyst')).statusCode).toBe(403);
    const bad = await put(draft.id, { reason: 'x\ny' });
    expect(bad.statusCode).toBe(400);
    expect(json(bad)).toMatchObject({ error: 'VALIDATION_FAILED', field: 'reason' });
    const ok = await put(draft.id, { reason: 'the relay signs for kumppani.fi' });
    expect(ok.statusCode).toBe(200);
    expect(json(ok)).toMatchObject({ id: draft.id, unalignedFrom: { reason: 'the relay signs for kumppani.fi', by: expect.stringMatching(/^key:.+ \(test marketer\)$/), at: expect.any(String) } });
    expect(json(await client.get(`/v1/campaigns/${draft.id}`, 'analyst'))).toMatchObject({ unalignedFrom: { reason: 'the relay signs for kumppani.fi' }, brand: null });
    await launchCampaign(deps(), { campaignId: draft.id });
    expect(json(await put(draft.id, { reason: 'too late now' }))).toMatchObject({ error: 'CAMPAIGN_STATE' });
  });
});
