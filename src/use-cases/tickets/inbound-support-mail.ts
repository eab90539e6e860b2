/**
 * A customer's mail to the support address (docs/customer-service.md): an answer joins the ticket
 * it answers, found by the Message-IDs it refers to (In-Reply-To, References) or, failing those, by
 * the `[#ID]` token in its subject when it comes from the ticket's own requester; anything else, or
 * an answer to a closed ticket, opens a new ticket. Nothing is logged: the mail is personal data.
 */
import type { SupportMail } from '../../bounces/support-mail.ts';
import { statusAfterCustomerMessage, ticketIdInSubject, type Ticket } from '../../core/tickets/ticket.ts';
import { canonicalContact, keepAttachments, openTicket, withSkipped, type TicketDeps } from './tickets.ts';

export interface SupportMailOutcome {
  /** Null: a delivery report that answers no ticket, kept nowhere (it is no one's request). */
  ticketId: number | null;
  /** True: a new ticket; false: the mail joined an open one. */
  opened: boolean;
}

/** Files the parsed mail as a ticket message. */
export async function receiveSupportMail(deps: TicketDeps, mail: SupportMail): Promise<SupportMailOutcome> {
  const from = canonicalContact(mail.from);
  const existing = await ticketAnswered(deps, mail, from);
  // A mail system saying a reply did not arrive is no customer's request: no ticket of its own, no
  // clock, nobody to answer. On the ticket whose reply bounced it is an internal note, status unchanged.
  if (mail.deliveryReport) {
    if (existing === null) return { ticketId: null, opened: false };
    const at = deps.now();
    await deps.tickets.addMessage(existing.id, { author: 'note', authorName: 'mail system', body: `A reply could not be delivered:\n${mail.text}`.slice(0, 20_000), messageId: mail.messageId, createdAt: at, attachments: [] }, {}, at);
    return { ticketId: existing.id, opened: false };
  }
  if (existing === null || existing.status === 'closed') {
    const { ticket } = await openTicket(deps, {
      channel: 'email',
      contact: mail.from === '' ? null : mail.from,
      contactName: mail.fromName,
      subject: mail.subject,
      body: mail.text,
      messageId: mail.messageId,
      attachments: mail.attachments,
    });
    return { ticketId: ticket.id, opened: true };
  }
  const at = deps.now();
  const files = await keepAttachments(deps, mail.attachments);
  const status = statusAfterCustomerMessage(existing.status);
  await deps.tickets.addMessage(
    existing.id,
    { author: 'customer', authorName: from, body: withSkipped(mail.text, files.skipped), messageId: mail.messageId, createdAt: at, attachments: files.kept },
    // A solved ticket the customer writes to again is not solved: its resolution clock runs again.
    // An auto-reply (out of office) is kept but changes nothing: nobody is waiting on it.
    status === existing.status || mail.automatic ? {} : { status, ...(existing.solvedAt === null ? {} : { solvedAt: null }) },
    at,
  );
  return { ticketId: existing.id, opened: false };
}

/**
 * The ticket the mail answers: by its references first (they name our own replies' Message-IDs);
 * by the subject's token only when the sender is the ticket's requester, so that a stranger who
 * guesses a number cannot write into someone else's ticket.
 */
async function ticketAnswered(deps: TicketDeps, mail: SupportMail, from: string | null): Promise<Ticket | null> {
  const byReference = await deps.tickets.ticketOfMessageIds(mail.refersTo);
  if (byReference !== null) return deps.tickets.get(byReference);
  const tokenId = ticketIdInSubject(mail.subject);
  if (tokenId === null || from === null) return null;
  const ticket = await deps.tickets.get(tokenId);
  return ticket !== null && ticket.contact === from ? ticket : null;
}
