/**
 * The `List-Unsubscribe` mailto, end to end over real SMTP: a marketing message sent with the mailbox
 * configured, its mailto read from the header as a mail client would, and a mail to it received by
 * the inbound SMTP receiver. The delivery's recipient is unsubscribed (ledger and suppression), once;
 * a forged or unsigned address changes nothing and is not kept.
 */
import nodemailer from 'nodemailer';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parseUnsubscribeMailbox } from '../channels/email/unsubscribe-mailbox.ts';
import { SmtpMessageSender } from '../channels/email/smtp-sender.ts';
import { deliveryFromBounceAddress } from '../channels/email/verp.ts';
import { startBounceReceiver } from '../composition-root.ts';
import type { CustomerId } from '../core/records.ts';
import { headerOf, useSending } from '../../test/support/sending.ts';
import { describeEachStore } from '../../test/support/stores.ts';
import { campaignResults } from './campaigns.ts';
import { sendCampaign } from './send-campaign.ts';

const DOMAIN = 'b.lupa.test';

describeEachStore('§3 an unsubscribe by mail to the List-Unsubscribe mailto (RFC 2369, RFC 8058)', (ctx) => {
  const sending = useSending(ctx);
  let port = 0;
  let stop: () => Promise<void> = async () => undefined;
  let mailer: nodemailer.Transporter;

  beforeAll(async () => {
    const app = { ...ctx.app, config: { ...ctx.app.config, LUPA_BOUNCE_DOMAIN: DOMAIN, LUPA_UNSUBSCRIBE_MAILBOX: 'unsubscribe' } };
    const started = await startBounceReceiver(app, { port: 0 });
    if (started === null) throw new Error('receiver did not start');
    port = started.port;
    stop = () => started.receiver.stop();
    mailer = nodemailer.createTransport({ host: '127.0.0.1', port, ignoreTLS: true });
  });
  afterAll(async () => {
    mailer.close();
    await stop();
  });

  /** A mail as a mailbox provider or a person's client sends it to a mailto. */
  const mailTo = (to: string, from = 'aino@example.fi') =>
    mailer.sendMail({ envelope: { from, to: [to] }, raw: `From: ${from}\r\nTo: ${to}\r\nSubject: unsubscribe\r\n\r\nunsubscribe\r\n` });
  const heldCount = async () => Number((await sql<{ n: number }>`SELECT COUNT(*) AS n FROM held_reports`.execute(ctx.app.database.db)).rows[0]?.n ?? 0);

  /** Sends the first few messages of a new campaign with the mailbox configured; the first one's mailto address, delivery and customer. */
  async function sentWithMailto(name: string) {
    const sender = new SmtpMessageSender(
      { url: `smtp://127.0.0.1:${sending.inboxPort}`, bounceDomain: DOMAIN, messageIdDomain: 'lupa.test', installationId: ctx.app.installationId, feedbackSenderId: 'lupa.test', unsubscribeMailbox: parseUnsubscribeMailbox('unsubscribe', DOMAIN), maxConnections: 1, dkim: null, allowInsecure: true },
      ctx.app.signer,
    );
    try {
      const { campaign } = await sending.launch(name);
      await sendCampaign({ ...sending.deps, sender }, { campaignId: campaign.id, workerId: 'w', batchSize: 3, maxBatches: 1 });
      const [message] = await sending.arrivedFor(campaign.id);
      if (message === undefined) throw new Error('nothing arrived');
      const address = /<mailto:([^?>]+)\?subject=unsubscribe>/.exec(headerOf(message, 'list-unsubscribe') ?? '')?.[1];
      const delivery = await ctx.app.stores.deliveries.find(deliveryFromBounceAddress(ctx.app.signer, message.envelopeFrom ?? '') ?? 0);
      if (address === undefined || delivery?.sentTo == null) throw new Error('no mailto or no delivery');
      return { campaignId: campaign.id, address, deliveryId: delivery.id, customerId: delivery.customerId as CustomerId, to: delivery.sentTo };
    } finally {
      await sender.close();
    }
  }
  const marketingChoices = async (customerId: CustomerId) =>
    (await ctx.app.stores.ledger.historyOf(customerId)).filter((r) => r.kind === 'consent' && r.purpose === 'marketing' && r.channel === 'email');

  it('unsubscribes the delivery’s recipient: a marketing withdrawal in the ledger and a suppression of the address, once', async () => {
    const sent = await sentWithMailto('Postitse peruttava');
    const before = (await marketingChoices(sent.customerId)).length;
    expect(await ctx.app.stores.suppressions.forAddress('email', sent.to)).toEqual([]);

    await mailTo(sent.address);
    const after = await marketingChoices(sent.customerId);
    expect(after).toHaveLength(before + 1);
    expect(after.at(-1)).toMatchObject({ value: 'withdrawn', source: 'unsubscribe_mail', evidenceRef: `campaign:${sent.campaignId}` });
    expect((await ctx.app.stores.suppressions.forAddress('email', sent.to)).map((s) => [s.reason, s.source])).toEqual([['unsubscribe', 'unsubscribe_mail']]);
    expect((await campaignResults(ctx.app.stores, { campaignId: sent.campaignId })).unsubscribed).toBe(1);

    // A second mail (a client retrying, a person sending twice) writes nothing more, and the case of the address does not matter.
    await mailTo(sent.address.toUpperCase());
    expect(await marketingChoices(sent.customerId)).toHaveLength(before + 1);
    expect(await ctx.app.stores.suppressions.forAddress('email', sent.to)).toHaveLength(1);
  });

  it('changes nothing, and keeps nothing, for a forged, altered, unsigned or other-purpose address', async () => {
    const sent = await sentWithMailto('Väärennetty');
    const before = (await marketingChoices(sent.customerId)).length;
    const held = await heldCount();
    const [local = '', domain = ''] = sent.address.split('@');
    const altered = `${local.replace(/-[0-9a-f]{16}$/, '-0123456789abcdef')}@${domain}`;
    const otherDelivery = `${local.replace(/\+[0-9a-z]+-/, `+${(sent.deliveryId + 1).toString(36)}-`)}@${domain}`;
    // The return path's token is signed for bounces: it is no unsubscribe token.
    const bounceToken = `unsubscribe+${ctx.app.signer.signId('bounce', sent.deliveryId)}@${DOMAIN}`;
    for (const forged of [altered, otherDelivery, `unsubscribe@${DOMAIN}`, bounceToken]) await mailTo(forged);
    expect(await marketingChoices(sent.customerId)).toHaveLength(before);
    expect(await ctx.app.stores.suppressions.forAddress('email', sent.to)).toEqual([]);
    expect(await heldCount()).toBe(held);
  });
});
