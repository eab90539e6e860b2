/** Bounces and complaints coming back: suppress, opt out, count, auto-pause; also over real SMTP. */
import nodemailer from 'nodemailer';
import { Readable } from 'node:stream';
import { sql } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import { bounceAddress } from '../channels/email/verp.ts';
import { bounceDeps, startBounceReceiver } from '../composition-root.ts';
import type { CustomerId, Sku } from '../core/records.ts';
import { demoToNdjson } from '../demo/generate-demo.ts';
import { runImport } from '../import/run-import.ts';
import { describeEachStore } from '../../test/support/stores.ts';
import { saveStockTemplates, sentCampaign } from '../../test/support/sending.ts';
import { buildServer } from '../http/server.ts';
import { createApiKey } from './api-keys.ts';
import { handleBounce, receiveReport, type BounceDeps } from './bounces.ts';
import { decideForCustomer } from './decide-for-customer.ts';

const DOMAIN = 'bounces.lupa.test';

/** A minimal RFC 3464 report for `recipient` (a permanent failure by default), as a mail system would send it. */
const dsnReport = (to: string, recipient: string, action: 'failed' | 'delayed' = 'failed', status = '5.1.1'): string =>
  `From: MAILER-DAEMON@mx.example.fi\r\nTo: ${to}\r\nSubject: Undelivered Mail Returned to Sender\r\nMIME-Version: 1.0\r\n` +
  `Content-Type: multipart/report; report-type=delivery-status; boundary="b1"\r\n\r\n--b1\r\nContent-Type: message/delivery-status\r\n\r\n` +
  `Reporting-MTA: dns; mx.example.fi\r\n\r\nFinal-Recipient: rfc822; ${recipient}\r\nAction: ${action}\r\nStatus: ${status}\r\n--b1--\r\n`;

/** A minimal RFC 5965 feedback (abuse) report sent to `to`, as a feedback loop sends it. */
const arfReport = (to: string): string =>
  `From: fbl@isp.example\r\nTo: ${to}\r\nSubject: FW: Syystarjous\r\nMIME-Version: 1.0\r\n` +
  `Content-Type: multipart/report; report-type=feedback-report; boundary="b2"\r\n\r\n--b2\r\nContent-Type: text/plain\r\n\r\nThis is an email abuse report.\r\n` +
  `--b2\r\nContent-Type: message/feedback-report\r\n\r\nFeedback-Type: abuse\r\nUser-Agent: SomeGenerator/1.0\r\nVersion: 1\r\n\r\n--b2--\r\n`;

describeEachStore('§3 hard bounce suppresses, soft bounce is retried, complaint opts out, auto-pause at 0.3 % / 5 %', (ctx) => {
  let deps: BounceDeps;
  beforeAll(async () => {
      await saveStockTemplates(ctx.app);
    await runImport({ database: ctx.app.database, settings: ctx.app.settings, now: ctx.app.now }, { stream: Readable.from(demoToNdjson({ customers: 120, seed: 9 })), format: 'ndjson' });
    deps = bounceDeps(ctx.app);
  });
  const emailOf = async (customerId: string) => (await ctx.app.stores.customers.getCustomer(customerId as CustomerId))?.emails[0] ?? '';
  const decide = (customerId: string, purpose: 'service' | 'marketing') =>
    decideForCustomer({ ...ctx.app.stores, settings: ctx.app.settings }, { customerId: customerId as CustomerId, purpose, channel: 'email', sku: purpose === 'marketing' ? ('UV-PRINT-7' as Sku) : null, at: ctx.app.now() });

  it('suppresses the address of a hard bounce at once, so even service mail stops', async () => {
    const campaign = await sentCampaign(ctx.app, 'Kova');
    const d = campaign.deliveries[0];
    if (d === undefined) throw new Error('no delivery');
    const outcome = await handleBounce(deps, { class: 'hard', envelopeTo: [bounceAddress(ctx.app.signer, d.id, DOMAIN)] });
    expect(outcome).toMatchObject({ deliveryId: d.id, action: 'suppressed', pausedCampaign: null });
    expect(await decide(d.customerId, 'service')).toMatchObject({ allowed: false, reasons: ['SUPPRESSED'] });
  });

  it('counts a soft bounce once per hand-off and queues the delivery again, without suppressing', async () => {
    const campaign = await sentCampaign(ctx.app, 'Pehmeä');
    const d = campaign.deliveries[1];
    if (d === undefined) throw new Error('no delivery');
    const report = { class: 'soft' as const, envelopeTo: [bounceAddress(ctx.app.signer, d.id, DOMAIN)] };
    const first = await handleBounce(deps, report);
    expect(first).toMatchObject({ deliveryId: d.id, action: 'counted' });
    expect(Date.parse(first.retryAt ?? '')).toBeGreaterThan(Date.parse(ctx.app.now()));
    // The same failure reported again (a second DSN, or the webhook as well) is not a second one.
    expect(await handleBounce(deps, report)).toMatchObject({ action: 'ignored', retryAt: null });
    expect((await decide(d.customerId, 'service')).allowed).toBe(true);
    expect((await ctx.app.stores.campaigns.deliveryCounts(campaign.id)).byState.queued).toBe(1);
  });

  it('leaves a delivery alone on a delay warning: the relay still retries, so a resend could arrive twice', async () => {
    const campaign = await sentCampaign(ctx.app, 'Viivästynyt');
    const d = campaign.deliveries[6];
    if (d === undefined) throw new Error('no delivery');
    const warning = { class: 'soft' as const, envelopeTo: [bounceAddress(ctx.app.signer, d.id, DOMAIN)], delayed: true };
    expect(await handleBounce(deps, warning)).toMatchObject({ deliveryId: d.id, action: 'ignored', retryAt: null });
    expect((await ctx.app.stores.campaigns.deliveryCounts(campaign.id)).byState.queued).toBeUndefined();
    // The relay's final report, when it gives up, is what counts.
    expect((await handleBounce(deps, { ...warning, delayed: false })).action).toBe('counted');
  });

  it('turns a complaint into a suppression and a marketing opt-out in the ledger', async () => {
    const campaign = await sentCampaign(ctx.app, 'Valitus');
    const d = campaign.deliveries[2];
    if (d === undefined) throw new Error('no delivery');
    await handleBounce(deps, { class: 'complaint', envelopeTo: [bounceAddress(ctx.app.signer, d.id, DOMAIN)] });
    const history = await ctx.app.stores.ledger.historyOf(d.customerId as CustomerId);
    expect(history.at(-1)).toMatchObject({ kind: 'consent', purpose: 'marketing', channel: 'email', value: 'withdrawn', source: 'complaint' });
    expect((await decide(d.customerId, 'marketing')).reasons).toEqual(expect.arrayContaining(['CONSENT_WITHDRAWN', 'SUPPRESSED']));
    // A complaint is not a delivery failure: service mail still goes.
    expect((await decide(d.customerId, 'service')).allowed).toBe(true);
  });

  it('ignores a repeated complaint about the same delivery: one opt-out in the ledger', async () => {
    const campaign = await sentCampaign(ctx.app, 'Toistuva valitus');
    const d = campaign.deliveries[4];
    if (d === undefined) throw new Error('no delivery');
    const to = bounceAddress(ctx.app.signer, d.id, DOMAIN);
    const report = Buffer.from(arfReport(to));
    expect(await receiveReport(deps, report, [to])).toMatchObject({ action: 'complaint', delivery: d.id });
    expect(await receiveReport(deps, report, [to])).toEqual({ action: 'ignored', delivery: d.id, address: null });
    // The provider's webhook reporting it as well is the same complaint.
    expect(await handleBounce(deps, { class: 'complaint', envelopeTo: [to] })).toMatchObject({ deliveryId: d.id, action: 'ignored', pausedCampaign: null });
    const withdrawals = (await ctx.app.stores.ledger.historyOf(d.customerId as CustomerId)).filter((r) => r.source === 'complaint');
    expect(withdrawals).toHaveLength(1);
    expect(withdrawals[0]).toMatchObject({ kind: 'consent', purpose: 'marketing', channel: 'email', value: 'withdrawn', evidenceRef: `delivery:${d.id}` });
  });

  it('pauses a running campaign once its complaint rate reaches 0.3 %', async () => {
    const campaign = await sentCampaign(ctx.app, 'Tauolle');
    const d = campaign.deliveries[3];
    if (d === undefined) throw new Error('no delivery');
    // One complaint in about a hundred sent is well over 0.3 %.
    const outcome = await handleBounce(deps, { class: 'complaint', envelopeTo: [bounceAddress(ctx.app.signer, d.id, DOMAIN)] });
    expect(outcome.pausedCampaign).toBe(campaign.id);
    const paused = await ctx.app.stores.campaigns.get(campaign.id);
    expect(paused?.status).toBe('paused');
    // The reason is there for whoever looks at the campaign, and goes when a person resumes it.
    expect(paused?.statusReason).toMatch(/^COMPLAINT_RATE: 1 complaints for \d+ sent reached 0.3 %$/);
    await ctx.app.stores.deliveries.setStatus(campaign.id, 'running');
    expect((await ctx.app.stores.campaigns.get(campaign.id))?.statusReason).toBeNull();
  });

  it('takes the same events as JSON from a provider webhook, with an admin key', async () => {
    const campaign = await sentCampaign(ctx.app, 'Webhook');
    const d = campaign.deliveries[5];
    if (d === undefined) throw new Error('no delivery');
    const server = await buildServer(ctx.app);
    const { key } = await createApiKey({ apiKeys: ctx.app.stores.apiKeys, now: ctx.app.now }, { name: 'esp', role: 'admin' });
    const body = { events: [{ type: 'hard', recipient: await emailOf(d.customerId), returnPath: bounceAddress(ctx.app.signer, d.id, DOMAIN) }] };
    expect((await server.inject({ method: 'POST', url: '/v1/webhooks/bounces', payload: body })).statusCode).toBe(401);
    const res = await server.inject({ method: 'POST', url: '/v1/webhooks/bounces', headers: { authorization: `Bearer ${key}` }, payload: body });
    expect(res.statusCode).toBe(200);
    expect(res.json().outcomes).toEqual([{ deliveryId: d.id, action: 'suppressed', pausedCampaign: null, retryAt: null, address: await emailOf(d.customerId) }]);
    const bad = await server.inject({ method: 'POST', url: '/v1/webhooks/bounces', headers: { authorization: `Bearer ${key}` }, payload: { events: [{ type: 'bounced' }] } });
    expect([bad.statusCode, bad.json().field]).toEqual([400, 'events.0.type']);
    await server.close();
  });

  it('ignores a report whose return path was forged for another delivery', async () => {
    const forged = bounceAddress(ctx.app.signer, 1, DOMAIN).replace(/-[0-9a-f]{16}@/, '-0000000000000000@');
    expect(await handleBounce(deps, { class: 'hard', envelopeTo: [forged] })).toEqual({ deliveryId: null, action: 'ignored', pausedCampaign: null, retryAt: null, address: null });
  });

  it('receives a DSN over real SMTP at the return path and suppresses the recipient; a delay warning changes nothing', async () => {
    const campaign = await sentCampaign(ctx.app, 'SMTP');
    const [d, late] = [campaign.deliveries[4], campaign.deliveries[7]];
    if (d === undefined || late === undefined) throw new Error('no delivery');
    const rcpt = await emailOf(d.customerId);
    expect(await startBounceReceiver({ ...ctx.app, config: { ...ctx.app.config, LUPA_BOUNCE_PORT: 0 } })).toBeNull();
    const started = await startBounceReceiver({ ...ctx.app, config: { ...ctx.app.config, LUPA_BOUNCE_DOMAIN: DOMAIN } }, { port: 0 });
    if (started === null) throw new Error('receiver did not start');
    try {
      const transport = nodemailer.createTransport({ host: '127.0.0.1', port: started.port, ignoreTLS: true });
      await transport.sendMail({ envelope: { from: '', to: [bounceAddress(ctx.app.signer, d.id, DOMAIN)] }, raw: dsnReport(bounceAddress(ctx.app.signer, d.id, DOMAIN), rcpt) });
      const lateReturnPath = bounceAddress(ctx.app.signer, late.id, DOMAIN);
      await transport.sendMail({ envelope: { from: '', to: [lateReturnPath] }, raw: dsnReport(lateReturnPath, await emailOf(late.customerId), 'delayed', '4.4.1') });
      await expect(transport.sendMail({ envelope: { from: '', to: ['someone@elsewhere.example'] }, raw: 'Subject: x\r\n\r\ny' })).rejects.toThrow(/550/);
      transport.close();
      const row = await sql<{ bounce: string | null }>`SELECT bounce FROM deliveries WHERE id = ${d.id}`.execute(ctx.app.database.db);
      expect(row.rows[0]?.bounce).toBe('hard');
      expect((await decide(d.customerId, 'service')).reasons).toEqual(['SUPPRESSED']);
      const lateRow = await sql<{ state: string; bounce: string | null }>`SELECT state, bounce FROM deliveries WHERE id = ${late.id}`.execute(ctx.app.database.db);
      expect(lateRow.rows[0]).toEqual({ state: 'sent', bounce: null });
    } finally {
      await started.receiver.stop();
    }
  });
});
