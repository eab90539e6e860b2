/**
 * An agent's reply or internal note (docs/customer-service.md). A reply goes to the requester by
 * e-mail through the SMTP sender (DKIM-signed like every message), as a service message (compliance
 * rule 1): no marketing footer, no unsubscribe headers, no promotional block. It answers the
 * customer's last message (In-Reply-To, References) from the support address (also Reply-To), with
 * the ticket's `[#ID]` token in its subject, so the customer's answer finds the ticket again.
 * A note is never sent.
 */
import { randomUUID } from 'node:crypto';
import type { MessageSender } from '../../core/email-message.ts';
import { DomainError } from '../../core/errors.ts';
import type { CustomerId } from '../../core/records.ts';
import { subjectWithToken, type TicketMessage, type TicketStatus } from '../../core/tickets/ticket.ts';
import { isDone, requireTicket, type TicketDeps } from './tickets.ts';

export interface ReplyDeps extends TicketDeps {
  sender: MessageSender;
  /** The name replies are signed with (LUPA_SENDER_NAME). */
  senderName: string;
}

export interface AgentReply {
  ticketId: number;
  body: string;
  /** The agent's id, as the audit log names them. */
  agent: string;
  /** True: an internal note, kept in the thread and never sent. */
  note?: boolean;
  /** The status after a reply (default `waiting`: waiting for the customer); a note changes none unless given. */
  status?: TicketStatus;
}

/** Most Message-IDs a References field lists: the first and the latest ones, as RFC 5322 §3.6.4 allows shortening. */
const MAX_REFERENCES = 20;

/** Sends (or, for a note, keeps) the agent's message and records it in the ticket. Throws NOT_FOUND, VALIDATION_FAILED (empty body, no e-mail address to answer). */
export async function replyToTicket(deps: ReplyDeps, reply: AgentReply): Promise<TicketMessage> {
  const ticket = await requireTicket(deps, reply.ticketId);
  const body = reply.body.trim();
  if (body === '') throw new DomainError('VALIDATION_FAILED', 'the reply is empty', { field: 'body' });
  const at = deps.now();
  if (reply.note === true) {
    const note = await deps.tickets.addMessage(ticket.id, { author: 'note', authorName: reply.agent, body, messageId: null, createdAt: at }, reply.status === undefined ? {} : { status: reply.status }, at);
    return note as TicketMessage;
  }
  const to = await replyAddress(deps, ticket.contact, ticket.customerId);
  if (to === null) throw new DomainError('VALIDATION_FAILED', `ticket ${ticket.id} has no e-mail address to reply to`, { field: 'contact' });
  const thread = await deps.tickets.messages(ticket.id);
  const mailIds = thread.map((m) => m.messageId).filter((id): id is string => id !== null);
  const lastFromCustomer = [...thread].reverse().find((m) => m.author === 'customer' && m.messageId !== null)?.messageId ?? null;
  const references = mailIds.length <= MAX_REFERENCES ? mailIds : [...mailIds.slice(0, 1), ...mailIds.slice(-(MAX_REFERENCES - 1))];
  const customer = ticket.customerId === null ? null : await deps.customers.getCustomer(ticket.customerId as CustomerId);
  const sent = await deps.sender.send({
    deliveryId: 0,
    attempt: 1,
    noticeId: `t${ticket.id}.${randomUUID()}`,
    to,
    from: { name: deps.senderName, address: deps.settings.supportAddress },
    replyTo: deps.settings.supportAddress,
    subject: subjectWithToken(ticket.subject, ticket.id),
    html: `<div style="white-space:pre-wrap">${escapeHtml(body)}</div>`,
    text: body,
    unsubscribe: null,
    feedback: { campaignId: 0, purpose: 'service', templateId: 'ticket-reply' },
    locale: customer?.locale ?? 'fi',
    thread: { inReplyTo: lastFromCustomer, references },
  });
  const status = reply.status ?? 'waiting';
  const message = await deps.tickets.addMessage(
    ticket.id,
    { author: 'agent', authorName: reply.agent, body, messageId: sent.messageId, createdAt: at },
    { status, ...(ticket.firstRespondedAt === null ? { firstRespondedAt: at } : {}), ...(status === 'solved' || status === 'closed' ? { solvedAt: ticket.solvedAt ?? at } : {}) },
    at,
  );
  if (isDone(status) && !isDone(ticket.status)) {
    const solved = await deps.tickets.get(ticket.id);
    if (solved !== null) await deps.afterSolved?.(solved);
  }
  return message as TicketMessage;
}

/** The requester's e-mail address, else the matched customer's first one; null when there is none. */
async function replyAddress(deps: TicketDeps, contact: string | null, customerId: string | null): Promise<string | null> {
  if (contact !== null && contact.includes('@')) return contact;
  if (customerId === null) return null;
  return (await deps.customers.getCustomer(customerId as CustomerId))?.emails[0] ?? null;
}

/** Text as HTML, for a message's plain text shown in its HTML part. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
