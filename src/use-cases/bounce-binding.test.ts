/**
 * A report acts only on the delivery it is bound to, and only on that delivery's own address
 * (compliance.md §3): the field reports, forged and altered tokens, reports quoting another
 * customer's address, reports bound by the original message's Message-ID, and held reports.
 */
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { sql } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import { messageIdFor } from '../channels/email/smtp-sender.ts';
import { bounceAddress } from '../channels/email/verp.ts';
import { bounceDeps } from '../composition-root.ts';
import type { CustomerId } from '../core/records.ts';
import { runImport } from '../import/run-import.ts';
import { sentCampaign } from '../../test/support/sending.ts';
import { describeEachStore } from '../../test/support/stores.ts';
import { receiveReport, type BounceDeps } from './bounces.ts';
import { decideForCustomer } from './decide-for-customer.ts';

const DOMAIN = 'bounces.lupa.localhost';
const field = (name: string): Buffer => readFileSync(new URL(`../../test/fixtures/field/${name}`, import.meta.url));

const CUSTOMERS = [
  { id: 'A1', name: 'Aino Esimerkki', email: 'aino.esimerkki@example.fi' },
  { id: 'T1', name: 'Tuomas Esimerkki', email: 'tuomas.esimerkki@example.fi' },
  { id: 'S1', name: 'Sanna Esimerkki', email: 'sanna.esimerkki@example.fi' },
  { id: 'M1', name: 'Maija Esimerkki', email: 'maija.esimerkki@example.fi' },
].map((c) => JSON.stringify({ type: 'customer', kind: 'person', locale: 'fi', ...c })).join('\n');

/** An RFC 3464 report with the original message's headers attached, as a mail system sends it. */
function dsn(opts: { finalRecipient: string; status?: string; diagnostic?: string; returnPath?: string; messageId?: string }): Buffer {
  const original = [...(opts.returnPath === undefined ? [] : [`Return-Path: <${opts.returnPath}>`]), 'From: uutiset@example.com', `To: ${opts.finalRecipient}`, ...(opts.messageId === undefined ? [] : [`Message-ID: ${opts.messageId}`]), 'Subject: Uutiset'];
  return Buffer.from(
    [
      'From: MAILER-DAEMON@mx.example.net',
      `To: postmaster@${DOMAIN}`,
      'Subject: Undelivered Mail Returned to Sender',
      'MIME-Version: 1.0',
      'Content-Type: multipart/report; report-type=delivery-status; boundary="B"',
      '',
      '--B',
      'Content-Type: message/delivery-status',
      '',
      'Reporting-MTA: dns; mx.example.net',
      '',
      `Final-Recipient: rfc822; ${opts.finalRecipient}`,
      'Action: failed',
      `Status: ${opts.status ?? '5.1.1'}`,
      `Diagnostic-Code: smtp; ${opts.diagnostic ?? '550 5.1.1 user unknown'}`,
      '',
      '--B',
      'Content-Type: text/rfc822-headers',
      '',
      ...original,
      '--B--',
      '',
    ].join('\r\n'),
  );
}

describeEachStore('§3 a report acts only on the delivery it is bound to, on its own address', (ctx) => {
  let deps: BounceDeps;
  let first: { id: number; deliveries: { id: number; customerId: string }[] };
  const delivery = (customerId: string) => {
    const d = first.deliveries.find((x) => x.customerId === customerId);
    if (d === undefined) throw new Error(`no delivery for ${customerId}`);
    return d;
  };
  const serviceAllowed = async (customerId: string) =>
    (await decideForCustomer({ ...ctx.app.stores, settings: ctx.app.settings }, { customerId: customerId as CustomerId, purpose: 'service', channel: 'email', sku: null, at: ctx.app.now() })).allowed;
  const heldCount = async () => Number((await sql<{ n: number }>`SELECT count(*) AS n FROM held_reports`.execute(ctx.app.database.db)).rows[0]?.n ?? 0);

  beforeAll(async () => {
    await runImport({ database: ctx.app.database, settings: ctx.app.settings, now: ctx.app.now }, { stream: Readable.from(`${CUSTOMERS}\n`), format: 'ndjson' });
    deps = bounceDeps(ctx.app);
    // The first campaign of the store: its first delivery is delivery 1, as in the field report.
    first = await sentCampaign(ctx.app, 'Joulutarjous', 'lupa.localhost');
  });

  it('holds a DSN sent to the bounce domain without a return-path token, and the customer it names keeps service mail', async () => {
    const raw = field('dsn-forged-no-verp-names-other-customer.eml');
    const before = await heldCount();
    expect(await receiveReport(deps, raw, [`postmaster@${DOMAIN}`])).toEqual({ action: 'held', delivery: null, address: null });
    expect(await serviceAllowed('T1')).toBe(true);
    const held = await sql<{ size_bytes: number; reason: string; truncated: number | boolean }>`SELECT size_bytes, reason, truncated FROM held_reports ORDER BY id DESC`.execute(ctx.app.database.db);
    expect(await heldCount()).toBe(before + 1);
    expect(held.rows[0]).toMatchObject({ size_bytes: raw.length, reason: 'unbound' });
    expect(Boolean(held.rows[0]?.truncated)).toBe(false);
  });

  it('turns a sparse feedback-loop complaint at a fixed address into a complaint on the delivery its original Message-ID names', async () => {
    const one = first.deliveries.find((d) => d.id === 1);
    if (one === undefined) throw new Error('no delivery 1');
    // Delivery 1's own address: the report's quoted To (Aino) does not count.
    const address = (await ctx.app.stores.customers.getCustomer(one.customerId as CustomerId))?.emails[0];
    expect(await receiveReport(deps, field('arf-jmrp-sparse-to-fbl-address.eml'), [`fbl@${DOMAIN}`])).toEqual({ action: 'complaint', delivery: 1, address });
    expect((await ctx.app.stores.ledger.historyOf(one.customerId as CustomerId)).at(-1)).toMatchObject({ purpose: 'marketing', channel: 'email', value: 'withdrawn', source: 'complaint' });
    expect((await ctx.app.stores.deliveries.outcomeCounts(first.id)).complaints).toBe(1);
  });

  it('holds a report whose return-path token was altered, and one whose Message-ID was not the one handed off', async () => {
    const tuomas = delivery('T1');
    const altered = bounceAddress(ctx.app.signer, tuomas.id, DOMAIN).replace(/-[0-9a-f]{16}@/, '-0123456789abcdef@');
    expect((await receiveReport(deps, dsn({ finalRecipient: 'tuomas.esimerkki@example.fi' }), [altered])).action).toBe('held');
    const retryId = dsn({ finalRecipient: 'tuomas.esimerkki@example.fi', messageId: `<d${tuomas.id}.2@lupa.localhost>` });
    expect((await receiveReport(deps, retryId, [`postmaster@${DOMAIN}`])).action).toBe('held');
    const otherDomain = dsn({ finalRecipient: 'tuomas.esimerkki@example.fi', messageId: `<d${tuomas.id}@elsewhere.example>` });
    expect((await receiveReport(deps, otherDomain, [`postmaster@${DOMAIN}`])).action).toBe('held');
    expect(await serviceAllowed('T1')).toBe(true);
  });

  it('binds by a Message-ID with the installation’s part, and holds the same delivery id from another installation', async () => {
    const current = await sentCampaign(ctx.app, 'Uusi muoto', 'lupa.localhost', (id) => messageIdFor({ deliveryId: id, attempt: 1 }, 'lupa.localhost', ctx.app.installationId));
    const [d] = current.deliveries;
    if (d === undefined) throw new Error('no delivery');
    const elsewhere = messageIdFor({ deliveryId: d.id, attempt: 1 }, 'lupa.localhost', ctx.app.installationId === 'ffffffffffffffff' ? '0000000000000000' : 'ffffffffffffffff');
    const address = (await ctx.app.stores.customers.getCustomer(d.customerId as CustomerId))?.emails[0] ?? '';
    expect((await receiveReport(deps, dsn({ finalRecipient: address, messageId: elsewhere }), [`postmaster@${DOMAIN}`])).action).toBe('held');
    expect(await serviceAllowed(d.customerId)).toBe(true);
    const ours = messageIdFor({ deliveryId: d.id, attempt: 1 }, 'lupa.localhost', ctx.app.installationId);
    expect(await receiveReport(deps, dsn({ finalRecipient: address, messageId: ours }), [`postmaster@${DOMAIN}`])).toEqual({ action: 'suppressed', delivery: d.id, address });
  });

  it('suppresses the bound delivery’s own address, never the address the report quotes', async () => {
    const sanna = delivery('S1');
    const quotingTuomas = dsn({ finalRecipient: 'tuomas.esimerkki@example.fi' });
    expect(await receiveReport(deps, quotingTuomas, [bounceAddress(ctx.app.signer, sanna.id, DOMAIN)])).toEqual({ action: 'suppressed', delivery: sanna.id, address: 'sanna.esimerkki@example.fi' });
    expect(await serviceAllowed('S1')).toBe(false);
    expect(await serviceAllowed('T1')).toBe(true);
  });

  it('binds a report sent to a fixed address by the signed return path of the original message inside it', async () => {
    const campaign = await sentCampaign(ctx.app, 'Toinen', 'lupa.localhost');
    const maija = campaign.deliveries.find((d) => d.customerId === 'M1');
    if (maija === undefined) throw new Error('no delivery');
    const report = dsn({ finalRecipient: 'someone@example.net', status: '4.2.2', diagnostic: '452 4.2.2 Mailbox full', returnPath: bounceAddress(ctx.app.signer, maija.id, DOMAIN) });
    expect(await receiveReport(deps, report, [`postmaster@${DOMAIN}`])).toEqual({ action: 'retry', delivery: maija.id, address: 'maija.esimerkki@example.fi' });
  });

  it('holds a report whose tokens name two different deliveries', async () => {
    const [a, b] = [delivery('A1'), delivery('M1')];
    const report = dsn({ finalRecipient: 'aino.esimerkki@example.fi', returnPath: bounceAddress(ctx.app.signer, b.id, DOMAIN) });
    expect(await receiveReport(deps, report, [bounceAddress(ctx.app.signer, a.id, DOMAIN)])).toEqual({ action: 'held', delivery: null, address: null });
  });

  it('counts a sender-side refusal for the campaign and suppresses nothing', async () => {
    const campaign = await sentCampaign(ctx.app, 'Estolista', 'lupa.localhost');
    const maija = campaign.deliveries.find((d) => d.customerId === 'M1');
    if (maija === undefined) throw new Error('no delivery');
    const blocked = field('dsn-outlook-571-sender-ip-blocklist-s3150.eml');
    expect(await receiveReport(deps, blocked, [bounceAddress(ctx.app.signer, maija.id, DOMAIN)])).toEqual({ action: 'ignored', delivery: maija.id, address: null });
    expect(await ctx.app.stores.bounceReports.refusals(campaign.id)).toEqual({ blocked: 1 });
    expect(await serviceAllowed('M1')).toBe(true);
  });
});
