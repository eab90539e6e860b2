/**
 * What arrives at the bounce domain's inbound SMTP, by envelope recipient: a mail to the
 * `List-Unsubscribe` mailbox (unsubscribe-mailbox.ts) is an unsubscribe of the one delivery its
 * signed token names, and is never parsed (the address says everything); anything else is a report
 * about a delivery (bounces.ts). A mail to the mailbox whose token is missing or not made here
 * changes nothing and is not kept: it names nobody, and it is someone's mail.
 */
import { deliveryFromUnsubscribeAddress, isUnsubscribeMailbox, type UnsubscribeMailbox } from '../channels/email/unsubscribe-mailbox.ts';
import { receiveReport, type BounceDeps, type ReceivedOutcome } from './bounces.ts';
import { unsubscribeDelivery, type OptOutDeps } from './unsubscribe.ts';

export interface InboundMailDeps extends BounceDeps, OptOutDeps {
  /** The mailbox of `List-Unsubscribe`'s mailto; null: none is configured, every mail is a report. */
  unsubscribeMailbox: UnsubscribeMailbox | null;
}

export interface InboundOutcome {
  /** The deliveries whose recipients were unsubscribed (or already were). */
  unsubscribed: number[];
  /** Recipients at the unsubscribe mailbox whose token named no delivery: nothing was done for them. */
  refused: number;
  /** What became of the message as a report, when it was sent to other recipients too; null when it was not. */
  report: ReceivedOutcome | null;
}

/** `envelopeTo`: the SMTP envelope recipients (all at the bounce domain: the receiver refuses others). */
export async function receiveInboundMail(deps: InboundMailDeps, raw: Buffer, envelopeTo: readonly string[]): Promise<InboundOutcome> {
  const mailbox = deps.unsubscribeMailbox;
  const toMailbox = mailbox === null ? [] : envelopeTo.filter((a) => isUnsubscribeMailbox(mailbox, a));
  const others = envelopeTo.filter((a) => !toMailbox.includes(a));
  const outcome: InboundOutcome = { unsubscribed: [], refused: 0, report: null };
  for (const address of toMailbox) {
    const deliveryId = mailbox === null ? null : deliveryFromUnsubscribeAddress(deps.signer, mailbox, address);
    if (deliveryId !== null && (await unsubscribeDelivery(deps, deliveryId))) outcome.unsubscribed.push(deliveryId);
    else outcome.refused++;
  }
  if (others.length > 0) outcome.report = await receiveReport(deps, raw, others);
  return outcome;
}
