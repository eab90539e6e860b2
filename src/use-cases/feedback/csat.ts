/**
 * The CSAT question after a ticket is solved (docs/customer-service.md#feedback). It asks the
 * customer's opinion and so is research, not a service message (compliance.md §2 rule 11; docs/
 * decisions/0026): decide(research, email) for the ticket's customer, as of the solve, allows it
 * or records why not. An unknown requester (no customer) gets none: research needs an existing
 * customer or a consent, and neither can be shown. One question per ticket, ever: a ticket
 * solved again after reopening asks nothing more.
 */
import type { FeedbackRequest } from '../../core/feedback/feedback.ts';
import { monthOf } from '../../core/feedback/feedback.ts';
import type { CustomerId } from '../../core/records.ts';
import type { Ticket } from '../../core/tickets/ticket.ts';
import { decideForCustomer } from '../decide-for-customer.ts';
import { expiresAfter, sendQuestion, type FeedbackDeps } from './feedback-deps.ts';

/**
 * Claims and sends the ticket's CSAT question. Returns the request (sent, skipped with its reasons,
 * or failed), or null when the ticket has no customer or already had its question.
 */
export async function requestCsat(deps: FeedbackDeps, ticket: Ticket): Promise<FeedbackRequest | null> {
  if (ticket.customerId === null) return null;
  const customer = await deps.customers.getCustomer(ticket.customerId as CustomerId);
  if (customer === null) return null;
  const at = deps.now();
  const decision = await decideForCustomer(deps, { customerId: customer.id, purpose: 'research', channel: 'email', sku: null, at });
  const claimed = await deps.feedback.claimCsat({
    ticketId: ticket.id,
    customerId: customer.id,
    channel: 'email',
    agent: ticket.assignee,
    queue: ticket.queue,
    state: decision.allowed ? 'pending' : 'skipped',
    basis: decision.basis,
    reasons: [...decision.reasons],
    month: monthOf(at),
    createdAt: at,
    expiresAt: expiresAfter(at, deps.linkDays),
  });
  if (claimed === null || claimed.state !== 'pending') return claimed;
  await sendQuestion(deps, claimed, customer, { id: ticket.id, subject: ticket.subject });
  return deps.feedback.get(claimed.id);
}
