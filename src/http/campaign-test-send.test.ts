/**
 * A campaign's test message, on both stores: to the signed-in person or the seed list only, marked
 * as a test, with no unsubscribe headers, no delivery written and nothing counted; refused to an API
 * key asking for "me", without a seed list, and to roles that may not run campaigns.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachStore } from '../../test/support/stores.ts';
import { NEWSLETTER, saveStockTemplates } from '../../test/support/sending.ts';
import { consoleDeps } from '../app.ts';
import type { EmailMessage, MessageSender } from '../core/email-message.ts';
import type { CustomerId, Instant } from '../core/records.ts';
import { createApiKey } from '../use-cases/api-keys.ts';
import { createCampaign } from '../use-cases/campaigns.ts';
import { createConsoleUser } from '../use-cases/console-users.ts';
import { buildServer } from './server.ts';

const T0 = '2026-01-01T00:00:00.000Z' as Instant;

describeEachStore('POST /v1/campaigns/{id}/test-send', (ctx) => {
  const sent: EmailMessage[] = [];
  const mailer: MessageSender = { send: async (m) => (sent.push(m), { messageId: `<${sent.length}@test>`, response: '250 ok' }), close: async () => undefined };
  let server: FastifyInstance;
  let marketerKey: string;
  let analystKey: string;
  let campaignId: number;

  beforeAll(async () => {
    ctx.app.config.LUPA_TEST_SEED_ADDRESSES = 'tiimi@example.fi, Testi@Example.fi';
    server = await buildServer(ctx.app, { mailer });
    marketerKey = (await createApiKey({ apiKeys: ctx.app.stores.apiKeys, now: ctx.app.now }, { name: 'm', role: 'marketer' })).key;
    analystKey = (await createApiKey({ apiKeys: ctx.app.stores.apiKeys, now: ctx.app.now }, { name: 'a', role: 'analyst' })).key;
    await createConsoleUser(consoleDeps(ctx.app), { email: 'markkinoija@lupa.example', role: 'marketer', password: 'correct horse battery' });
    await ctx.app.stores.customers.insertCustomer({ id: 'TS1' as CustomerId, kind: 'person', name: 'Aino Virtanen', emails: ['aino@example.fi'], phones: [], address: null, locale: 'fi', createdAt: T0, updatedAt: T0 });
    await saveStockTemplates(ctx.app);
    const deps = { ...ctx.app.stores, settings: ctx.app.settings, sending: ctx.app.sending, now: ctx.app.now };
    campaignId = (await createCampaign(deps, { name: 'Testattava', purpose: 'marketing', channel: 'email', sku: null, filter: {}, templateId: NEWSLETTER.id })).id;
  });
  afterAll(async () => server.close());
  const post = (body: unknown, key: string) => server.inject({ method: 'POST', url: `/v1/campaigns/${campaignId}/test-send`, headers: { authorization: `Bearer ${key}` }, payload: body as object });

  it('sends to the seed list as a test: marked, no unsubscribe headers, nothing written or counted', async () => {
    sent.length = 0;
    const res = await post({ to: 'seed', customer: 'TS1' }, marketerKey);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ sentTo: ['tiimi@example.fi', 'testi@example.fi'] });
    expect(sent.map((m) => m.to)).toEqual(['tiimi@example.fi', 'testi@example.fi']);
    for (const m of sent) {
      expect(m.subject.startsWith('[TEST] ')).toBe(true);
      expect(m.html).toContain(`TESTIVIESTI kampanjasta ${campaignId}`);
      expect(m.text).toContain('TESTIVIESTI');
      expect(m.unsubscribe).toBeNull();
      expect(m.deliveryId).toBe(0);
      expect(m.noticeId).toMatch(new RegExp(`^test\\.${campaignId}\\.`));
      expect(m.to).not.toBe('aino@example.fi');
    }
    expect(sent[0]?.text).toContain('Aino');
    const counts = await ctx.app.stores.campaigns.deliveryCounts(campaignId);
    expect(counts.byState).toEqual({});
    expect((await ctx.app.stores.audit.forCustomer('TS1' as CustomerId)).map((e) => e.action)).toContain('campaign.test_send');
  });

  it('sends to the signed-in person, and refuses "me" to an API key, naming the field', async () => {
    sent.length = 0;
    const signIn = await server.inject({ method: 'POST', url: '/v1/session', payload: { email: 'markkinoija@lupa.example', password: 'correct horse battery' } });
    const cookie = `lupa_session=${signIn.cookies.find((c) => c.name === 'lupa_session')?.value ?? ''}`;
    const res = await server.inject({ method: 'POST', url: `/v1/campaigns/${campaignId}/test-send`, headers: { cookie, 'x-csrf-token': signIn.json<{ csrfToken: string }>().csrfToken }, payload: { to: 'me', locale: 'sv' } });
    expect(res.statusCode).toBe(200);
    expect(sent.map((m) => m.to)).toEqual(['markkinoija@lupa.example']);
    expect(sent[0]?.html).toContain('TESTMEDDELANDE');
    const key = await post({ to: 'me' }, marketerKey);
    expect(key.statusCode).toBe(400);
    expect(key.json()).toMatchObject({ error: 'VALIDATION_FAILED', field: 'to' });
  });

  it('refuses without a seed list, for an unknown campaign, and to an analyst', async () => {
    ctx.app.config.LUPA_TEST_SEED_ADDRESSES = '';
    try {
      expect((await post({ to: 'seed' }, marketerKey)).json()).toMatchObject({ error: 'VALIDATION_FAILED', field: 'to', message: expect.stringContaining('LUPA_TEST_SEED_ADDRESSES') });
    } finally {
      ctx.app.config.LUPA_TEST_SEED_ADDRESSES = 'tiimi@example.fi';
    }
    expect((await server.inject({ method: 'POST', url: '/v1/campaigns/99999/test-send', headers: { authorization: `Bearer ${marketerKey}` }, payload: { to: 'seed' } })).statusCode).toBe(404);
    expect((await post({ to: 'seed' }, analystKey)).statusCode).toBe(403);
  });
});
