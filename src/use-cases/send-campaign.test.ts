/** Sending a campaign end to end: launch, re-check before hand-off, real SMTP into the inbox, crash and resume. */
import { beforeAll, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { TwilioSmsGateway } from '../channels/sms/twilio-sms-gateway.ts';
import { bounceDeps, createApp } from '../composition-root.ts';
import { loadConfig } from '../config.ts';
import type { Instant, Sku } from '../core/records.ts';
import { describeEachStore } from '../../test/support/stores.ts';
import { inboxSender, NEWSLETTER, useSending } from '../../test/support/sending.ts';
import { buildServer } from '../http/server.ts';
import { createApiKey } from './api-keys.ts';
import { handleBounce } from './bounces.ts';
import { campaignResults, createCampaign, launchCampaign } from './campaigns.ts';
import { recordClick, recordOpen } from './tracking.ts';
import { unsubscribe } from './unsubscribe.ts';
import { MAX_DECISION_AGE_MS, sendCampaign, type SendDeps } from './send-campaign.ts';

describeEachStore('sending a campaign', (ctx) => {
  const sending = useSending(ctx);
  const { launch, arrivedFor } = sending;
  let deps: SendDeps;
  beforeAll(() => {
    deps = sending.deps;
  });

  it('sends every queued delivery once, with one-click unsubscribe, and stops a message whose customer opted out after launch', async () => {
    const { campaign, queued } = await launch('Syystarjous');
    expect(queued).toBeGreaterThan(5);
    const [first] = await ctx.app.stores.deliveries.claim(campaign.id, 'peek', 1, ctx.app.now(), ctx.app.now());
    if (first === undefined) throw new Error('nothing queued');
    // Give the claim back at once (its lease has ended), then the customer opts out before hand-off.
    await ctx.app.stores.ledger.append([{ kind: 'consent', customerId: first.customerId as never, purpose: 'marketing', channel: 'email', value: 'withdrawn', at: ctx.app.now(), source: 'unsubscribe_link', noticeVersion: null, noticeLocale: null, evidenceRef: null }]);
    const summary = await sendCampaign(deps, { campaignId: campaign.id, workerId: 'w1', batchSize: 25 });
    expect(summary).toMatchObject({ sent: queued - 1, skipped: 1, failed: 0, stoppedBecause: 'done' });
    const arrived = await arrivedFor(campaign.id);
    expect(arrived).toHaveLength(queued - 1);
    const one = arrived[0];
    expect(one?.headers.find((h) => h.name === 'list-unsubscribe-post')?.value).toBe('List-Unsubscribe=One-Click');
    expect(one?.html).toContain('https://lupa.test/o/');
    expect((await ctx.app.stores.campaigns.get(campaign.id))?.status).toBe('done');
    const counts = await ctx.app.stores.campaigns.deliveryCounts(campaign.id);
    expect(counts.byState.sent).toBe(queued - 1);
    expect(counts.skippedBy.CONSENT_WITHDRAWN).toBeGreaterThanOrEqual(1);
  });

  it('after a worker dies holding a batch, another takes it over when the lease ends: nothing lost, nothing twice', async () => {
    const { campaign, queued } = await launch('Kaatuminen');
    const past = '2000-01-01T00:00:00.000Z' as Instant;
    // The dead worker claimed 10 and never finished; its lease is long over.
    const dead = await ctx.app.stores.deliveries.claim(campaign.id, 'dead', 10, ctx.app.now(), past);
    expect(dead).toHaveLength(10);
    const summary = await sendCampaign(deps, { campaignId: campaign.id, workerId: 'w2', batchSize: 7 });
    expect(summary.sent + summary.skipped).toBe(queued);
    const arrived = await arrivedFor(campaign.id);
    const recipients = arrived.map((m) => m.envelopeTo.join(','));
    expect(new Set(recipients).size).toBe(recipients.length);
    expect(arrived).toHaveLength(summary.sent);
    // The dead worker coming back cannot overwrite what w2 recorded.
    await ctx.app.stores.deliveries.markFailed(dead[0]?.id ?? -1, 'dead', 'late');
    expect((await ctx.app.stores.campaigns.deliveryCounts(campaign.id)).byState.failed).toBeUndefined();
  });

  it('shares one campaign between two workers with their own connections: every message once', async () => {
    const { campaign, queued } = await launch('Kaksi työntekijää');
    // A second app on the same store stands for a second worker process (its own pool and clock).
    const other = await createApp(loadConfig({ LUPA_DATABASE_URL: ctx.store.url, LUPA_LOG_LEVEL: 'silent' }));
    const otherSender = inboxSender(other, sending.inboxPort, 2);
    try {
      const otherDeps: SendDeps = { ...other.stores, sender: otherSender, signer: other.signer, publicUrl: 'https://lupa.test', settings: other.settings, sending: other.sending, trackingMode: 'consent', now: other.now };
      const [a, b] = await Promise.all([
        sendCampaign(deps, { campaignId: campaign.id, workerId: 'A', batchSize: 5 }),
        sendCampaign(otherDeps, { campaignId: campaign.id, workerId: 'B', batchSize: 5 }),
      ]);
      expect(a.sent + b.sent).toBe(queued);
      const recipients = (await arrivedFor(campaign.id)).map((m) => m.envelopeTo.join(','));
      expect(recipients).toHaveLength(queued);
      expect(new Set(recipients).size).toBe(queued);
    } finally {
      await otherSender.close();
      await other.close();
    }
  });

  it('reports a campaign’s results: sent, delivered, bounced, unsubscribed, opened', async () => {
    const { campaign, queued } = await launch('Tulokset');
    await sendCampaign(deps, { campaignId: campaign.id, workerId: 'w4' });
    const [first, second] = await arrivedFor(campaign.id);
    if (first === undefined || second === undefined) throw new Error('too few messages arrived');
    // The recipient uses the one-click link from the message's own header.
    const link = /<([^>]+)>/.exec(first.headers.find((h) => h.name === 'list-unsubscribe')?.value ?? '')?.[1] ?? '';
    await unsubscribe({ ...ctx.app.stores, signer: ctx.app.signer, now: ctx.app.now, noticeVersion: 'x' }, link.split('/u/')[1] ?? '');
    // The second message bounces back to its return path.
    await handleBounce(bounceDeps(ctx.app), { class: 'hard', envelopeTo: [second.envelopeFrom ?? ''] });
    // The first one's pixel is fetched at once: a machine, by its timing.
    const pixel = /https:\/\/lupa\.test\/o\/([^"]+?)\.gif/.exec(first.html ?? '')?.[1] ?? '';
    expect(recordOpen({ signer: ctx.app.signer, tracking: ctx.app.stores.tracking, links: ctx.app.stores.links, traffic: ctx.app.traffic }, pixel, 'Mozilla/5.0 (X11; Linux x86_64) Firefox/131.0', Date.now())).toBe(true);
    // A click on the offer goes through the redirect to the campaign's stored URL.
    const click = /https:\/\/lupa\.test\/c\/([^"]+)"/.exec(first.html ?? '')?.[1] ?? '';
    expect(await recordClick({ signer: ctx.app.signer, tracking: ctx.app.stores.tracking, links: ctx.app.stores.links, traffic: ctx.app.traffic }, click, 'Mozilla/5.0 (X11; Linux x86_64) Firefox/131.0', Date.now() + 3_600_000)).toBe('https://kauppa.example/tarjous');
    expect(first.html).not.toContain('href="https://kauppa.example/tarjous"');
    const results = await campaignResults(ctx.app.stores, { campaignId: campaign.id });
    expect(results).toMatchObject({ sent: queued, hardBounced: 1, delivered: queued - 1, unsubscribed: 1, failed: 0, opens: { people: 0, machines: 1 }, clicks: { people: 1, machines: 0 } });
    expect(results.audience).toBeGreaterThanOrEqual(queued);
    // The same over HTTP, for a marketer's key.
    const server = await buildServer(ctx.app);
    const { key } = await createApiKey({ apiKeys: ctx.app.stores.apiKeys, now: ctx.app.now }, { name: 'm', role: 'marketer' });
    const res = await server.inject({ url: `/v1/campaigns/${campaign.id}/results`, headers: { authorization: `Bearer ${key}` } });
    expect(res.json()).toEqual(results);
    expect((await server.inject({ url: '/v1/campaigns/999999/results', headers: { authorization: `Bearer ${key}` } })).statusCode).toBe(404);
    await server.close();
  });

  it('sends an SMS campaign through the gateway with the STOP instruction', async () => {
    const posted: Record<string, string>[] = [];
    const standIn = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        posted.push(Object.fromEntries(new URLSearchParams(body)));
        res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ sid: `SM${posted.length}`, status: 'queued' }));
      });
    });
    await new Promise<void>((resolve) => standIn.listen(0, '127.0.0.1', resolve));
    const sms = new TwilioSmsGateway({ baseUrl: `http://127.0.0.1:${(standIn.address() as AddressInfo).port}`, accountSid: 'AC1', authToken: 't', from: 'Uutisvirta' });
    try {
      const campaign = await createCampaign({ ...deps }, { name: 'Tekstari', purpose: 'marketing', channel: 'sms', sku: 'UV-PRINT-7' as Sku, filter: {}, templateId: NEWSLETTER.id });
      const launched = await launchCampaign({ ...deps }, { campaignId: campaign.id });
      const queued = launched.counts.byState.queued ?? 0;
      expect(queued).toBeGreaterThan(0);
      const summary = await sendCampaign({ ...deps, sms }, { campaignId: campaign.id, workerId: 'sms' });
      expect(summary).toMatchObject({ sent: queued, failed: 0 });
      expect(posted).toHaveLength(queued);
      expect(posted.every((p) => /^\+358\d+$/.test(p.To ?? '') && /(STOP)$/.test(p.Body ?? ''))).toBe(true);
    } finally {
      await new Promise<void>((resolve) => standIn.close(() => resolve()));
    }
  });

  it('pauses a campaign whose channel refuses every hand-off, with the reason, and leaves the rest queued', async () => {
    // No SMS gateway is configured: every hand-off of the first batch is refused.
    const campaign = await createCampaign({ ...deps }, { name: 'Ei yhdyskäytävää', purpose: 'marketing', channel: 'sms', sku: 'UV-PRINT-7' as Sku, filter: {}, templateId: NEWSLETTER.id });
    const queued = (await launchCampaign({ ...deps }, { campaignId: campaign.id })).counts.byState.queued ?? 0;
    expect(queued).toBeGreaterThan(10);
    const summary = await sendCampaign({ ...deps, sms: undefined }, { campaignId: campaign.id, workerId: 'sms', batchSize: 10 });
    expect(summary).toMatchObject({ sent: 0, failed: 10, stoppedBecause: 'paused' });
    const paused = await ctx.app.stores.campaigns.get(campaign.id);
    expect(paused?.status).toBe('paused');
    expect(paused?.statusReason).toBe('CHANNEL_REFUSED: every hand-off of the last batch (10) was refused (CONFIG_INVALID)');
    expect((await ctx.app.stores.campaigns.deliveryCounts(campaign.id)).byState.queued).toBe(queued - 10);
  });

  it('fills every message with the campaign\'s product, links and values, and picks up an edited template at the next batch', async () => {
    const template = {
      id: 'filled',
      kind: 'marketing' as const,
      defaultLocale: 'fi' as const,
      locales: { fi: { subject: '{{ product.name }} -{{ vars.discount }} %', mjml: '<mjml><mj-body><mj-section><mj-column><mj-text>{% if product %}Tilaajana saat {{ product.name }} -edut.{% endif %}</mj-text><mj-button href="{{ links.offer }}">Tilaa</mj-button></mj-column></mj-section></mj-body></mjml>' } },
    };
    await ctx.app.stores.templates.save(template.id, template, ctx.app.now());
    const input = { name: 'Täytetty', purpose: 'marketing', channel: 'email', sku: 'UV-PRINT-7' as Sku, filter: {}, templateId: template.id, from: { name: 'Uutisvirta', address: 'uutiset@lupa.test' } } as const;
    // What the template uses and the campaign does not supply is refused now, by name.
    await expect(createCampaign({ ...deps }, { ...input, vars: { discount: 30 } })).rejects.toMatchObject({ code: 'TEMPLATE_INVALID', field: 'links.offer' });
    await expect(createCampaign({ ...deps }, { ...input, links: { offer: 'https://kauppa.example/tarjous' } })).rejects.toMatchObject({ code: 'TEMPLATE_INVALID', field: 'vars.discount' });
    await expect(createCampaign({ ...deps }, { ...input, vars: { discount: 30 }, links: { offer: 'javascript:alert(1)' } })).rejects.toMatchObject({ code: 'VALIDATION_FAILED', field: 'links.offer' });
    for (const from of [{ name: 'Uutisvirta', address: 'uutiset@lupa.test\r\nBcc: x@evil.example' }, { name: 'Uutisvirta', address: 'a@lupa.test, b@evil.example' }, { name: 'Uutis\nvirta', address: 'uutiset@lupa.test' }]) {
      await expect(createCampaign({ ...deps }, { ...input, from, vars: { discount: 30 }, links: { offer: 'https://kauppa.example/tarjous' } })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    }
    const campaign = await createCampaign({ ...deps }, { ...input, vars: { discount: 30 }, links: { offer: 'https://kauppa.example/tarjous' } });
    const queued = (await launchCampaign({ ...deps }, { campaignId: campaign.id })).counts.byState.queued ?? 0;
    expect(queued).toBeGreaterThan(2);
    await sendCampaign(deps, { campaignId: campaign.id, workerId: 'fill', batchSize: 1, maxBatches: 1 });
    const [first] = await arrivedFor(campaign.id);
    const product = await ctx.app.stores.catalogue.getProduct('UV-PRINT-7' as Sku);
    expect(first?.subject).toBe(`${product?.name ?? ''} -30 %`);
    expect(first?.text).toContain(`Tilaajana saat ${product?.name ?? ''} -edut.`);
    expect(first?.html).toContain('https://lupa.test/c/');

    // The template is edited while the campaign runs: the next batch sends the new wording.
    const fi = template.locales.fi;
    await ctx.app.stores.templates.save(template.id, { ...template, locales: { fi: { ...fi, subject: 'Uusi otsikko {{ vars.discount }} %' } } }, ctx.app.now());
    await sendCampaign(deps, { campaignId: campaign.id, workerId: 'fill', batchSize: 1, maxBatches: 1 });
    const arrived = await arrivedFor(campaign.id);
    expect(arrived.map((m) => m.subject)).toEqual([`${product?.name ?? ''} -30 %`, 'Uusi otsikko 30 %']);
    await ctx.app.stores.deliveries.setStatus(campaign.id, 'cancelled');
  });

  it('sends a service campaign whose template promotes as marketing: opt-out headers, and marketing in its Feedback-ID', async () => {
    const campaign = await createCampaign({ ...deps }, { name: 'Palvelu mainoksella', purpose: 'service', channel: 'email', sku: null, filter: {}, templateId: NEWSLETTER.id, from: { name: 'Uutisvirta', address: 'uutiset@lupa.test' } });
    const launched = await launchCampaign({ ...deps }, { campaignId: campaign.id });
    expect(launched.campaign.purposes).toEqual(['marketing']);
    await sendCampaign(deps, { campaignId: campaign.id, workerId: 'fid', batchSize: 2, maxBatches: 1 });
    const [first] = await arrivedFor(campaign.id);
    expect(first?.headers.find((h) => h.name === 'feedback-id')?.value).toBe(`${campaign.id}:marketing:${NEWSLETTER.id}:lupa.test`);
    expect(first?.headers.find((h) => h.name === 'list-unsubscribe-post')?.value).toBe('List-Unsubscribe=One-Click');
    await ctx.app.stores.deliveries.setStatus(campaign.id, 'cancelled');
  });

  it('starts no hand-off while handOffsInFlight earlier ones are unrecorded: a crash repeats at most that many', async () => {
    const { campaign, queued } = await launch('Kesken');
    const lanes = 2;
    // Hand-offs started and not yet recorded, at most, over the whole run; the relay accepts at once.
    let open = 0;
    let mostOpen = 0;
    const sender = {
      send: async (message: { deliveryId: number }) => {
        mostOpen = Math.max(mostOpen, ++open);
        await new Promise((resolve) => setImmediate(resolve));
        return { messageId: `<d${message.deliveryId}@lupa.test>`, response: '250 OK' };
      },
      close: async () => undefined,
    };
    const deliveries = Object.create(deps.deliveries) as SendDeps['deliveries'];
    deliveries.markSent = async (...args) => {
      await deps.deliveries.markSent(...args);
      open--;
    };
    const summary = await sendCampaign({ ...deps, sender, deliveries, handOffsInFlight: lanes }, { campaignId: campaign.id, workerId: 'lanes', batchSize: 50 });
    expect(summary.sent + summary.skipped).toBe(queued);
    expect(summary.sent).toBeGreaterThan(lanes);
    expect(mostOpen).toBe(lanes);
  });

  it('stops a message of a paced batch whose customer objected while the batch was being sent (the decision is at most MAX_DECISION_AGE_MS old)', async () => {
    const { campaign, queued } = await launch('Hidas');
    expect(queued).toBeGreaterThan(3);
    const claimedIds = (await ctx.app.database.db.selectFrom('deliveries').select('customer_id').where('campaign_id', '=', campaign.id).execute()).map((r) => r.customer_id);
    // The clock of the worker: each hand-off takes three seconds of it (a paced campaign, a slow relay).
    let clock = Date.parse(ctx.app.now());
    const now = () => new Date(clock).toISOString() as Instant;
    let handedOff = 0;
    const sender = {
      send: async (message: { deliveryId: number }) => {
        handedOff++;
        if (handedOff === 1) {
          // While the first message is out, every recipient objects to direct marketing.
          await ctx.app.stores.ledger.append(claimedIds.map((customerId) => ({ kind: 'objection' as const, customerId: customerId as never, scope: 'direct_marketing' as const, value: 'objected' as const, at: now(), source: 'test', noticeVersion: null, noticeLocale: null, evidenceRef: null })));
        }
        clock += MAX_DECISION_AGE_MS + 1000;
        return { messageId: `<d${message.deliveryId}@lupa.test>`, response: '250 OK' };
      },
      close: async () => undefined,
    };
    const summary = await sendCampaign({ ...deps, sender, now, handOffsInFlight: 1 }, { campaignId: campaign.id, workerId: 'paced', batchSize: 200, leaseSeconds: 3600 });
    // One batch for all of them: only the message handed off before the objections went out.
    expect(summary).toMatchObject({ batches: 1, sent: 1, skipped: queued - 1, failed: 0 });
    expect(handedOff).toBe(1);
    const counts = await ctx.app.stores.campaigns.deliveryCounts(campaign.id);
    expect(counts.byState.sent).toBe(1);
    expect(counts.skippedBy.OBJECTED).toBeGreaterThanOrEqual(queued - 1);
    // The objections withdrawn again (appended later), for the tests that follow on the same customers.
    await new Promise((resolve) => setTimeout(resolve, 5));
    await ctx.app.stores.ledger.append(claimedIds.map((customerId) => ({ kind: 'objection' as const, customerId: customerId as never, scope: 'direct_marketing' as const, value: 'withdrawn' as const, at: ctx.app.now(), source: 'test', noticeVersion: null, noticeLocale: null, evidenceRef: null })));
  });

  it('never records failed a message the relay accepted when its sent record cannot be written: it retries, then stops with STORE_UNAVAILABLE', async () => {
    const { campaign } = await launch('Kirjaamaton');
    const handedOff: number[] = [];
    const sender = {
      send: async (message: { deliveryId: number }) => {
        handedOff.push(message.deliveryId);
        return { messageId: `<d${message.deliveryId}@lupa.test>`, response: '250 OK' };
      },
      close: async () => undefined,
    };
    // The first record fails once (a lost connection) and is retried; from the third hand-off on the store is down.
    let calls = 0;
    const deliveries = Object.create(deps.deliveries) as SendDeps['deliveries'];
    deliveries.markSent = async (...args) => {
      calls++;
      if (calls === 1 || handedOff.length >= 3) throw Object.assign(new Error('connection to aino@example.fi lost'), { code: 'ECONNRESET' });
      await deps.deliveries.markSent(...args);
    };
    const error: unknown = await sendCampaign({ ...deps, sender, deliveries, handOffsInFlight: 1 }, { campaignId: campaign.id, workerId: 'store-down', batchSize: 10 }).catch((err: unknown) => err);
    expect(error).toMatchObject({ code: 'STORE_UNAVAILABLE', details: { deliveryId: handedOff[2] } });
    expect(String(error)).toMatch(/accepted by the relay.*code ECONNRESET, 3 attempts.*not recorded failed/);
    expect(String(error)).not.toMatch(/aino@/);
    // Two recorded sent (the first after a retry), the third neither sent nor failed, and no hand-off after it.
    expect(handedOff).toHaveLength(3);
    const counts = await ctx.app.stores.campaigns.deliveryCounts(campaign.id);
    expect(counts.byState.sent).toBe(2);
    expect(counts.byState.failed).toBeUndefined();
    await ctx.app.stores.deliveries.setStatus(campaign.id, 'cancelled');
  });

  it('sends nothing while the campaign is paused, and carries on when resumed', async () => {
    const { campaign, queued } = await launch('Tauko');
    await ctx.app.stores.deliveries.setStatus(campaign.id, 'paused');
    expect(await sendCampaign(deps, { campaignId: campaign.id, workerId: 'w3' })).toMatchObject({ sent: 0, stoppedBecause: 'paused' });
    expect(await arrivedFor(campaign.id)).toHaveLength(0);
    await ctx.app.stores.deliveries.setStatus(campaign.id, 'running');
    expect((await sendCampaign(deps, { campaignId: campaign.id, workerId: 'w3' })).sent).toBe(queued);
  });
});
