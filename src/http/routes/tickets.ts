/**
 * `/v1/tickets`: the support inbox, one ticket with its thread, an agent's reply or internal note,
 * and an agent's changes (docs/customer-service.md). Every ticket a person reads is audited, as a
 * read of its customer's data (or of the unknown requester's, without a customer id). A marketer
 * sees no ticket (src/core/access.ts).
 */
import { z } from 'zod';
import { ticketDeps, ticketReplyDeps, type App } from '../../composition-root.ts';
import type { MessageSender } from '../../core/email-message.ts';
import { DomainError } from '../../core/errors.ts';
import { MESSAGE_AUTHORS, TICKET_CHANNELS, TICKET_PRIORITIES, TICKET_STATUSES, type Ticket, type TicketMessage } from '../../core/tickets/ticket.ts';
import { replyToTicket } from '../../use-cases/tickets/reply.ts';
import { changeTicket, listTickets, openTicket, requireTicket, showTicket, withSla, type TicketView } from '../../use-cases/tickets/tickets.ts';
import { auditEntries } from '../audit.ts';
import { actorOf, requirePermission, rolesNote } from '../auth.ts';
import { errorResponses } from '../errors.ts';
import type { ZodServer } from '../zod-provider.ts';

const CLOCK = z.enum(['met', 'on_time', 'due_soon', 'breached']);

export const TicketSchema = z.object({
  id: z.number().int(),
  customerId: z.string().nullable().meta({ description: 'The matched customer; null for an unknown requester (never made a customer)' }),
  contact: z.string().nullable().meta({ description: "The requester's e-mail address or phone number, where replies go" }),
  contactName: z.string().nullable(),
  channel: z.enum(TICKET_CHANNELS),
  subject: z.string(),
  status: z.enum(TICKET_STATUSES),
  priority: z.enum(TICKET_PRIORITIES),
  queue: z.string(),
  assignee: z.string().nullable(),
  tags: z.array(z.string()),
  createdAt: z.string(),
  updatedAt: z.string(),
  firstResponseDue: z.string(),
  firstRespondedAt: z.string().nullable(),
  resolutionDue: z.string(),
  solvedAt: z.string().nullable(),
  sla: z.object({ firstResponse: CLOCK, resolution: CLOCK, overall: CLOCK }).meta({ description: 'The clocks now: met, on_time, due_soon (within an hour), breached; business hours and Finnish holidays' }),
});

const MessageSchema = z.object({
  id: z.number().int(),
  author: z.enum(MESSAGE_AUTHORS).meta({ description: '`note`: an internal note, never sent' }),
  authorName: z.string().nullable(),
  body: z.string(),
  messageId: z.string().nullable(),
  createdAt: z.string(),
  attachments: z.array(z.object({ id: z.number().int(), fileName: z.string(), contentType: z.string(), bytes: z.number().int() })),
});

const params = z.strictObject({ id: z.coerce.number().int().positive().meta({ description: 'Ticket id', example: 1 }) });
const ListQuery = z.strictObject({
  status: z.string().regex(/^[a-z,]+$/).optional().meta({ description: 'Statuses separated by commas (new,open,waiting,solved,closed); default: all', example: 'new,open' }),
  queue: z.string().max(100).optional(),
  assignee: z.string().max(200).optional(),
  customerId: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  before: z.coerce.number().int().positive().optional().meta({ description: 'The last id of the previous page (newest first)' }),
});

const NewTicketBody = z
  .strictObject({
    channel: z.enum(['phone', 'email', 'web']).default('phone'),
    customerId: z.string().max(200).nullish(),
    contact: z.string().max(320).nullish().meta({ description: "The requester's e-mail address or phone number (where replies go)" }),
    contactName: z.string().max(200).nullish(),
    subject: z.string().trim().min(1).max(500),
    body: z.string().trim().min(1).max(100_000).meta({ description: 'What the customer asked, in the agent’s words' }),
    priority: z.enum(TICKET_PRIORITIES).optional(),
    queue: z.string().min(1).max(100).optional(),
  })
  .meta({ example: { channel: 'phone', customerId: 'C0000001', subject: 'Osoitteenmuutos', body: 'Asiakas soitti: muuttaa 1.1. uuteen osoitteeseen.' } });

const ReplyBody = z.strictObject({
  body: z.string().min(1).max(100_000),
  note: z.boolean().optional().meta({ description: 'True: an internal note, kept in the thread and never sent' }),
  status: z.enum(TICKET_STATUSES).optional().meta({ description: 'The status after it (a reply: `waiting` unless given)' }),
}).meta({ example: { body: 'Pahoittelut! Lähetämme lehden uudelleen huomenna.' } });

const ChangeBody = z.strictObject({
  status: z.enum(TICKET_STATUSES).optional(),
  priority: z.enum(TICKET_PRIORITIES).optional(),
  queue: z.string().min(1).max(100).optional(),
  assignee: z.string().max(200).nullable().optional(),
  tags: z.array(z.string().max(50)).max(20).optional(),
  customerId: z.string().max(200).nullable().optional().meta({ description: 'Link the ticket to a customer (an unknown requester found in the register), or unlink it' }),
}).meta({ example: { status: 'solved' } });

function statuses(text: string | undefined): Ticket['status'][] | undefined {
  if (text === undefined) return undefined;
  return text.split(',').filter((s): s is Ticket['status'] => (TICKET_STATUSES as readonly string[]).includes(s));
}

/** The message without its file-store name. */
function messageView(m: TicketMessage): z.infer<typeof MessageSchema> {
  return { ...m, attachments: m.attachments.map(({ storedAs: _stored, ...a }) => a) };
}

export function ticketRoutes(server: ZodServer, app: App, mailer: () => MessageSender): void {
  // Solving a ticket asks its customer the CSAT question (docs/customer-service.md#feedback).
  const deps = ticketDeps(app, mailer);
  const audit = (req: Parameters<typeof actorOf>[0], action: string, tickets: readonly Pick<TicketView, 'id' | 'customerId'>[]) =>
    auditEntries(app, req, action, tickets.map((t) => ({ customerId: t.customerId, detail: { ticketId: t.id } })));

  server.get(
    '/v1/tickets',
    {
      onRequest: requirePermission(app, 'tickets.read'),
      schema: {
        tags: ['tickets'],
        summary: 'The ticket inbox',
        description: `Newest first, with each ticket's SLA state (CLI: lupa tickets list). Every ticket listed is audited as read. ${rolesNote('tickets.read')}`,
        querystring: ListQuery,
        response: { 200: z.object({ tickets: z.array(TicketSchema), next: z.number().int().nullable() }), ...errorResponses(['VALIDATION_FAILED']) },
      },
    },
    async (req) => {
      const q = req.query;
      const tickets = await listTickets(deps, { status: statuses(q.status), queue: q.queue, assignee: q.assignee, customerId: q.customerId, limit: q.limit, before: q.before });
      await audit(req, 'tickets.list', tickets);
      return { tickets, next: tickets.length === q.limit ? (tickets.at(-1)?.id ?? null) : null };
    },
  );

  server.post(
    '/v1/tickets',
    {
      onRequest: requirePermission(app, 'tickets.write'),
      schema: {
        tags: ['tickets'],
        summary: 'Open a ticket (a phone call, a letter)',
        description: `For a request that did not come by e-mail or the form: the customer (\`customerId\`) or the requester's address or phone number (\`contact\`, matched to a customer), what was asked. ${rolesNote('tickets.write')}`,
        body: NewTicketBody,
        response: { 201: TicketSchema, ...errorResponses(['VALIDATION_FAILED', 'UNKNOWN_CUSTOMER']) },
      },
    },
    async (req, reply) => {
      const b = req.body;
      const { ticket } = await openTicket(deps, { channel: b.channel, contact: b.contact ?? null, contactName: b.contactName ?? null, subject: b.subject, body: b.body, priority: b.priority, queue: b.queue, customerId: b.customerId ?? null });
      await audit(req, 'tickets.create', [ticket]);
      return reply.code(201).send(withSla(ticket, app.now()));
    },
  );

  server.get(
    '/v1/tickets/:id',
    {
      onRequest: requirePermission(app, 'tickets.read'),
      schema: { tags: ['tickets'], summary: 'One ticket with its thread', description: `Messages oldest first, internal notes included (CLI: lupa tickets show ID). Audited. ${rolesNote('tickets.read')}`, params, response: { 200: z.object({ ticket: TicketSchema, messages: z.array(MessageSchema) }), ...errorResponses(['NOT_FOUND']) } },
    },
    async (req) => {
      const { ticket, messages } = await showTicket(deps, req.params.id);
      await audit(req, 'tickets.read', [ticket]);
      return { ticket, messages: messages.map(messageView) };
    },
  );

  server.get(
    '/v1/tickets/:id/attachments/:attachmentId',
    {
      onRequest: requirePermission(app, 'tickets.read'),
      schema: {
        tags: ['tickets'],
        summary: "A ticket's attachment",
        description: `The file as it arrived, as a download. Audited. ${rolesNote('tickets.read')}`,
        params: params.extend({ attachmentId: z.coerce.number().int().positive().meta({ description: 'Attachment id (in the ticket’s messages)', example: 1 }) }),
        response: { 200: z.any().meta({ description: 'The file' }), ...errorResponses(['NOT_FOUND']) },
      },
    },
    async (req, reply) => {
      const ticket = await requireTicket(deps, req.params.id);
      const file = await app.stores.tickets.attachment(ticket.id, req.params.attachmentId);
      const data = file === null ? null : await deps.files.read(file.storedAs);
      if (file === null || data === null) throw new DomainError('NOT_FOUND', `no attachment ${req.params.attachmentId} in ticket ${ticket.id}`, { field: 'attachmentId' });
      await audit(req, 'tickets.attachment', [ticket]);
      return reply
        .header('content-type', 'application/octet-stream')
        .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(file.fileName)}`)
        .header('x-content-type-options', 'nosniff')
        .send(data);
    },
  );

  server.post(
    '/v1/tickets/:id/replies',
    {
      onRequest: requirePermission(app, 'tickets.write'),
      schema: {
        tags: ['tickets'],
        summary: 'Reply to a ticket, or add an internal note',
        description: `A reply goes to the requester by e-mail as a service message (no marketing), threaded (In-Reply-To, References, the [#ID] token in its subject), from and Reply-To LUPA_SUPPORT_ADDRESS; a note is never sent (CLI: lupa tickets reply ID --body FILE). ${rolesNote('tickets.write')}`,
        params,
        body: ReplyBody,
        response: { 201: MessageSchema, ...errorResponses(['NOT_FOUND', 'VALIDATION_FAILED']) },
      },
    },
    async (req, reply) => {
      const actor = actorOf(req);
      const message = await replyToTicket(ticketReplyDeps(app, mailer()), { ticketId: req.params.id, body: req.body.body, agent: actor.id, note: req.body.note, status: req.body.status });
      return reply.code(201).send(messageView(message));
    },
  );

  server.patch(
    '/v1/tickets/:id',
    {
      onRequest: requirePermission(app, 'tickets.write'),
      schema: {
        tags: ['tickets'],
        summary: 'Change a ticket',
        description: `Status, priority, queue, assignee, tags, or the customer it belongs to. Solving stops the resolution clock (CLI: lupa tickets close ID). ${rolesNote('tickets.write')}`,
        params,
        body: ChangeBody,
        response: { 200: TicketSchema, ...errorResponses(['NOT_FOUND', 'VALIDATION_FAILED', 'UNKNOWN_CUSTOMER']) },
      },
    },
    async (req) => {
      const ticket = await changeTicket(deps, req.params.id, req.body);
      await audit(req, 'tickets.update', [ticket]);
      return ticket;
    },
  );
}
