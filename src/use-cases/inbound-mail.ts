/**
 * What arrives at the bounce domain's inbound SMTP, by envelope recipient: a mail to the
 * `List-Unsubscribe` mailbox (unsubscribe-mailbox.ts) is an unsubscribe of the one delivery its
 * signed token names, and is never parsed (the address says everything); anything else is a report
 * about a delivery (bounces.ts). A mail to the mailbox whose token is missing or not made here
 * changes nothing and is not kept: it names nobody, and it is someone's mail. A mail to the
 * support address (LUPA_SUPPORT_ADDRESS) is a customer's request: it becomes a ticket, or joins the
 * one it answers (tickets/inbound-support-mail.ts), and is never read as a report.
 */
import { deliveryFromUnsubscribeAddress, isUnsubscribeMailbox, type UnsubscribeMailbox } from '../channels/email/unsubscribe-mailbox.ts';
import { receiveReport, type BounceDeps, type ReceivedOutcome } from './bounces.ts';
import { unsubscribeDelivery, type OptOutDeps } from './unsubscribe.ts';

export interface InboundMailDeps extends BounceDeps, OptOutDeps {
  /** The mailbox of `List-Unsubscribe`'s mailto; null: none is configured, every mail is a report. */
  unsubscribeMailbox: UnsubscribeMailbox | null;
  /** The support mailbox; absent: no mail is a customer's request. */
  support?: SupportInbox;
}

/** Where customers' mail goes: the support address, and what files a mail to it as a ticket. */
export interface SupportInbox {
  /** Whether an envelope recipient is the support address (case-insensitive, canonical form). */
  isSupportAddress(address: string): boolean;
  /** Parses (off the event loop, bounded) and files the mail; resolves when it is stored. */
  receive(raw: Buffer): Promise<{ ticketId: number | null; opened: boolean }>;
}

export interface InboundOutcome {
  /** The deliveries whose recipients were unsubscribed (or already were). */
  unsubscribed: number[];
  /** Recipients at the unsubscribe mailbox whose token named no delivery: nothing was done for them. */
  refused: number;
  /** What became of the message as a report, when it was sent to other recipients too; null when it was not. */
  report: ReceivedOutcome | null;
  /** The ticket the message became or joined, when it was sent to the support address; null when it was not. */
  ticket: { ticketId: number | null; opened: boolean } | null;
}

/** `envelopeTo`: the SMTP envelope recipients (at the bounce domain, or the support address: the receiver refuses others). */
export async function receiveInboundMail(deps: InboundMailDeps, raw: Buffer, envelopeTo: readonly string[]): Promise<InboundOutcome> {
  const mailbox = deps.unsubscribeMailbox;
  const support = deps.support;
  const toSupport = support === undefined ? [] : envelopeTo.filter((a) => support.isSupportAddress(a));
  const toMailbox = mailbox === null ? [] : envelopeTo.filter((a) => !toSupport.includes(a) && isUnsubscribeMailbox(mailbox, a));
  const others = envelopeTo.filter((a) => !toMailbox.includes(a) && !toSupport.includes(a));
  const outcome: InboundOutcome = { unsubscribed: [], refused: 0, report: null, ticket: null };
  // One ticket however many times the support address is named in the envelope.
  if (support !== undefined && toSupport.length > 0) outcome.ticket = await support.receive(raw);
  for (const address of toMailbox) {
    const deliveryId = mailbox === null ? null : deliveryFromUnsubscribeAddress(deps.signer, mailbox, address);
    if (deliveryId !== null && (await unsubscribeDelivery(deps, deliveryId))) outcome.unsubscribed.push(deliveryId);
    else outcome.refused++;
  }
  if (others.length > 0) outcome.report = await receiveReport(deps, raw, others);
  return outcome;
}
