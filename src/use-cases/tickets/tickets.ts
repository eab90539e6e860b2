/**
 * Support tickets (docs/customer-service.md): opening one for a customer's request, the inbox, one
 * ticket with its thread, and an agent's changes (status, priority, queue, assignee, tags, the
 * customer it belongs to). A ticket is service communication: nothing here writes the ledger or
 * reads consent, and an unknown requester is never made a customer (no marketing basis appears).
 */
import { normaliseEmail, normalisePhone } from '../../core/addresses.ts';
import { DomainError } from '../../core/errors.ts';
import type { CustomerStore } from '../../core/ports.ts';
import type { CustomerId, Instant } from '../../core/records.ts';
import type { BusinessHours } from '../../core/tickets/business-hours.ts';
import { slaDue, slaState, type SlaState, type SlaTargets } from '../../core/tickets/sla.ts';
import type { Ticket, TicketChanges, TicketChannel, TicketFileStore, TicketMessage, TicketPriority, TicketQuery, TicketStatus, TicketStore } from '../../core/tickets/ticket.ts';

export interface TicketSettings {
  /** Where customers write and replies come from (LUPA_SUPPORT_ADDRESS), normalised. */
  supportAddress: string;
  hours: BusinessHours;
  targets: SlaTargets;
  /** Largest attachment kept, in bytes (LUPA_TICKET_ATTACHMENT_MAX_BYTES); a larger one is left out and said so in the thread. */
  maxAttachmentBytes: number;
}

export interface TicketDeps {
  tickets: TicketStore;
  customers: CustomerStore;
  files: TicketFileStore;
  settings: TicketSettings;
  now: () => Instant;
  /** Called once a change solved (or closed) a ticket that was not: the CSAT question (use-cases/feedback/csat.ts). */
  afterSolved?: (ticket: Ticket) => Promise<void>;
}

/** The queue a ticket starts in when nobody chose one. */
export const DEFAULT_QUEUE = 'support';

/** A ticket as the inbox shows it: with its clocks' state now. */
export type TicketView = Ticket & { sla: SlaState };

export function withSla(ticket: Ticket, now: Instant): TicketView {
  return { ...ticket, sla: slaState(ticket, now) };
}

/**
 * The customer a requester's address belongs to: by e-mail (canonical form, core/addresses.ts) or
 * by phone (E.164); null when nobody has it. One customer with the address as their primary one.
 */
export async function matchCustomer(deps: Pick<TicketDeps, 'customers'>, contact: string): Promise<CustomerId | null> {
  const email = contact.includes('@') ? normaliseEmail(contact) : null;
  const phone = email === null ? normalisePhone(contact) : null;
  if (email === null && phone === null) return null;
  const [found] = await deps.customers.searchCustomers({ ...(email === null ? {} : { email }), ...(phone === null ? {} : { phone }), limit: 1 });
  return found?.id ?? null;
}

/** The canonical form of a requester's address (e-mail or phone), or null when it is neither. */
export function canonicalContact(contact: string): string | null {
  return contact.includes('@') ? normaliseEmail(contact) : normalisePhone(contact);
}

export interface IncomingAttachment {
  fileName: string;
  contentType: string;
  data: Uint8Array;
}

export interface NewRequest {
  channel: TicketChannel;
  /** The requester's e-mail address or phone number, as given. */
  contact: string | null;
  contactName: string | null;
  subject: string;
  body: string;
  messageId?: string | null;
  attachments?: readonly IncomingAttachment[];
  priority?: TicketPriority;
  queue?: string;
  /** Set when an agent opens it for a known customer (a phone call). */
  customerId?: string | null;
}

/** Opens a ticket for a request: matched to a customer by the address, its clocks started now. Throws UNKNOWN_CUSTOMER for a `customerId` nobody has. */
export async function openTicket(deps: TicketDeps, req: NewRequest): Promise<{ ticket: Ticket; message: TicketMessage }> {
  if (req.customerId != null && (await deps.customers.getCustomer(req.customerId as CustomerId)) === null) {
    throw new DomainError('UNKNOWN_CUSTOMER', `no customer ${req.customerId}`, { field: 'customerId' });
  }
  const at = deps.now();
  const contact = req.contact === null ? null : canonicalContact(req.contact);
  const customerId = req.customerId ?? (contact === null ? null : await matchCustomer(deps, contact));
  const priority = req.priority ?? 'normal';
  const attachments = await keepAttachments(deps, req.attachments ?? []);
  return deps.tickets.create(
    {
      customerId,
      contact,
      contactName: req.contactName,
      channel: req.channel,
      subject: req.subject.trim() === '' ? '(no subject)' : req.subject.trim().slice(0, 500),
      status: 'new',
      priority,
      queue: req.queue ?? DEFAULT_QUEUE,
      assignee: null,
      tags: [],
      createdAt: at,
      ...slaDue(at, priority, deps.settings.targets, deps.settings.hours),
    },
    { author: 'customer', authorName: contact, body: withSkipped(req.body, attachments.skipped), messageId: req.messageId ?? null, createdAt: at, attachments: attachments.kept },
  );
}

/** Stores the attachments within the size limit; the names of those left out. */
export async function keepAttachments(deps: Pick<TicketDeps, 'files' | 'settings'>, files: readonly IncomingAttachment[]) {
  const kept = [];
  const skipped: string[] = [];
  for (const f of files) {
    if (f.data.byteLength > deps.settings.maxAttachmentBytes) {
      skipped.push(f.fileName);
      continue;
    }
    kept.push({ fileName: f.fileName, contentType: f.contentType, bytes: f.data.byteLength, storedAs: await deps.files.put(f.data) });
  }
  return { kept, skipped };
}

/** The body, with a line naming the attachments left out for their size. */
export function withSkipped(body: string, skipped: readonly string[]): string {
  return skipped.length === 0 ? body : `${body}\n\n[attachments too large, not kept: ${skipped.join(', ')}]`;
}

/** The ticket, or NOT_FOUND. */
export async function requireTicket(deps: Pick<TicketDeps, 'tickets'>, id: number): Promise<Ticket> {
  const ticket = await deps.tickets.get(id);
  if (ticket === null) throw new DomainError('NOT_FOUND', `no ticket ${id}`, { field: 'id' });
  return ticket;
}

/** The inbox page: newest first, each ticket with its clocks' state. */
export async function listTickets(deps: Pick<TicketDeps, 'tickets' | 'now'>, query: TicketQuery): Promise<TicketView[]> {
  const now = deps.now();
  return (await deps.tickets.list(query)).map((t) => withSla(t, now));
}

/** One ticket with its whole thread (notes included: the reader is an agent). */
export async function showTicket(deps: Pick<TicketDeps, 'tickets' | 'now'>, id: number): Promise<{ ticket: TicketView; messages: TicketMessage[] }> {
  const ticket = await requireTicket(deps, id);
  return { ticket: withSla(ticket, deps.now()), messages: await deps.tickets.messages(id) };
}

export interface AgentChanges {
  status?: TicketStatus;
  priority?: TicketPriority;
  queue?: string;
  assignee?: string | null;
  tags?: string[];
  customerId?: string | null;
}

/**
 * An agent's changes. Solving stops the resolution clock (reopening starts it again); a new
 * priority sets the due times anew from the ticket's start (the first response's only while it is
 * still awaited); a customer named must exist.
 */
export async function changeTicket(deps: TicketDeps, id: number, c: AgentChanges): Promise<TicketView> {
  const before = await requireTicket(deps, id);
  const at = deps.now();
  if (c.customerId != null && (await deps.customers.getCustomer(c.customerId as CustomerId)) === null) {
    throw new DomainError('UNKNOWN_CUSTOMER', `no customer ${c.customerId}`, { field: 'customerId' });
  }
  const changes: TicketChanges = { ...c, ...(c.tags === undefined ? {} : { tags: [...new Set(c.tags.map((t) => t.trim()).filter((t) => t !== ''))] }) };
  if (c.status !== undefined && c.status !== before.status) {
    if (c.status === 'solved' || c.status === 'closed') changes.solvedAt = before.solvedAt ?? at;
    else changes.solvedAt = null;
  }
  if (c.priority !== undefined && c.priority !== before.priority) {
    const due = slaDue(before.createdAt, c.priority, deps.settings.targets, deps.settings.hours);
    changes.resolutionDue = due.resolutionDue;
    // A clock already stopped keeps the due time it was measured against.
    if (before.firstRespondedAt === null) changes.firstResponseDue = due.firstResponseDue;
  }
  const after = await deps.tickets.update(id, changes, at);
  if (after === null) throw new DomainError('NOT_FOUND', `no ticket ${id}`, { field: 'id' });
  if (isDone(after.status) && !isDone(before.status)) await deps.afterSolved?.(after);
  return withSla(after, at);
}

/** Solved or closed: the resolution clock has stopped. */
export function isDone(status: TicketStatus): boolean {
  return status === 'solved' || status === 'closed';
}
