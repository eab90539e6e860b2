/**
 * Support tickets on SQLite and PostgreSQL through Kysely (migration 0036). A message and the
 * change it makes to its ticket (status, first response) are written in one transaction. The inbox
 * reads newest first by id, on the (status, id) and (queue, status, id) indexes.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Instant } from '../../core/records.ts';
import type {
  MessageAuthor,
  NewTicket,
  NewTicketMessage,
  Ticket,
  TicketAttachment,
  TicketChanges,
  TicketChannel,
  TicketMessage,
  TicketPriority,
  TicketQuery,
  TicketStatus,
  TicketStore,
} from '../../core/tickets/ticket.ts';
import type { Schema, TicketAttachmentsTable, TicketMessagesTable, TicketsTable } from '../schema.ts';

type Db = Kysely<Schema> | Transaction<Schema>;
type Row<T> = Omit<T, 'id'> & { id: number };

export class SqlTicketStore implements TicketStore {
  constructor(private readonly db: Kysely<Schema>) {}

  async create(ticket: NewTicket, first: NewTicketMessage): Promise<{ ticket: Ticket; message: TicketMessage }> {
    return this.db.transaction().execute(async (trx) => {
      const { id } = await trx
        .insertInto('tickets')
        .values({
          customer_id: ticket.customerId,
          contact: ticket.contact,
          contact_name: ticket.contactName,
          channel: ticket.channel,
          subject: ticket.subject,
          status: ticket.status,
          priority: ticket.priority,
          queue: ticket.queue,
          assignee: ticket.assignee,
          tags: JSON.stringify(ticket.tags),
          created_at: ticket.createdAt,
          updated_at: ticket.createdAt,
          first_response_due: ticket.firstResponseDue,
          first_responded_at: null,
          resolution_due: ticket.resolutionDue,
          solved_at: null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const message = await insertMessage(trx, Number(id), first);
      return { ticket: await requireTicket(trx, Number(id)), message };
    });
  }

  async addMessage(ticketId: number, message: NewTicketMessage, changes: TicketChanges, at: Instant): Promise<TicketMessage | null> {
    return this.db.transaction().execute(async (trx) => {
      if ((await applyChanges(trx, ticketId, changes, at)) === 0) return null;
      return insertMessage(trx, ticketId, message);
    });
  }

  async get(id: number): Promise<Ticket | null> {
    const row = await this.db.selectFrom('tickets').selectAll().where('id', '=', id).executeTakeFirst();
    return row === undefined ? null : ticketFromRow(row as Row<TicketsTable>);
  }

  async messages(ticketId: number): Promise<TicketMessage[]> {
    const rows = await this.db.selectFrom('ticket_messages').selectAll().where('ticket_id', '=', ticketId).orderBy('id').execute();
    const files = await this.db.selectFrom('ticket_attachments').selectAll().where('ticket_id', '=', ticketId).orderBy('id').execute();
    return rows.map((r) => messageFromRow(r as Row<TicketMessagesTable>, files.filter((f) => Number(f.message_id) === Number(r.id)) as Row<TicketAttachmentsTable>[]));
  }

  async list(q: TicketQuery): Promise<Ticket[]> {
    let query = this.db.selectFrom('tickets').selectAll().orderBy('id', 'desc').limit(q.limit);
    if (q.status !== undefined && q.status.length > 0) query = query.where('status', 'in', [...q.status]);
    if (q.queue !== undefined) query = query.where('queue', '=', q.queue);
    if (q.assignee !== undefined) query = query.where('assignee', '=', q.assignee);
    if (q.customerId !== undefined) query = query.where('customer_id', '=', q.customerId);
    if (q.before !== undefined) query = query.where('id', '<', q.before);
    return (await query.execute()).map((r) => ticketFromRow(r as Row<TicketsTable>));
  }

  async update(id: number, changes: TicketChanges, at: Instant): Promise<Ticket | null> {
    if ((await applyChanges(this.db, id, changes, at)) === 0) return null;
    return this.get(id);
  }

  async ticketOfMessageIds(messageIds: readonly string[]): Promise<number | null> {
    const ids = messageIds.map((m) => m.toLowerCase());
    if (ids.length === 0) return null;
    const row = await this.db.selectFrom('ticket_messages').select('ticket_id').where('message_id', 'in', ids).orderBy('id', 'desc').limit(1).executeTakeFirst();
    return row === undefined ? null : Number(row.ticket_id);
  }

  async attachment(ticketId: number, attachmentId: number): Promise<TicketAttachment | null> {
    const row = await this.db.selectFrom('ticket_attachments').selectAll().where('id', '=', attachmentId).where('ticket_id', '=', ticketId).executeTakeFirst();
    return row === undefined ? null : attachmentFromRow(row as Row<TicketAttachmentsTable>);
  }
}

/** Applies the changes (and the update time); the number of tickets changed, 0 when there is no such ticket. */
async function applyChanges(db: Db, id: number, c: TicketChanges, at: Instant): Promise<number> {
  const result = await db
    .updateTable('tickets')
    .set({
      updated_at: at,
      ...(c.status === undefined ? {} : { status: c.status }),
      ...(c.priority === undefined ? {} : { priority: c.priority }),
      ...(c.queue === undefined ? {} : { queue: c.queue }),
      ...(c.assignee === undefined ? {} : { assignee: c.assignee }),
      ...(c.tags === undefined ? {} : { tags: JSON.stringify(c.tags) }),
      ...(c.customerId === undefined ? {} : { customer_id: c.customerId }),
      ...(c.firstRespondedAt === undefined ? {} : { first_responded_at: c.firstRespondedAt }),
      ...(c.solvedAt === undefined ? {} : { solved_at: c.solvedAt }),
      ...(c.firstResponseDue === undefined ? {} : { first_response_due: c.firstResponseDue }),
      ...(c.resolutionDue === undefined ? {} : { resolution_due: c.resolutionDue }),
    })
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

async function insertMessage(db: Db, ticketId: number, m: NewTicketMessage): Promise<TicketMessage> {
  const { id } = await db
    .insertInto('ticket_messages')
    .values({ ticket_id: ticketId, author: m.author, author_name: m.authorName, body: m.body, message_id: m.messageId?.toLowerCase() ?? null, created_at: m.createdAt })
    .returning('id')
    .executeTakeFirstOrThrow();
  const attachments: TicketAttachment[] = [];
  for (const a of m.attachments ?? []) {
    const row = await db
      .insertInto('ticket_attachments')
      .values({ message_id: Number(id), ticket_id: ticketId, file_name: a.fileName, content_type: a.contentType, bytes: a.bytes, stored_as: a.storedAs })
      .returning('id')
      .executeTakeFirstOrThrow();
    attachments.push({ ...a, id: Number(row.id) });
  }
  return { id: Number(id), ticketId, author: m.author, authorName: m.authorName, body: m.body, messageId: m.messageId?.toLowerCase() ?? null, createdAt: m.createdAt, attachments };
}

async function requireTicket(db: Db, id: number): Promise<Ticket> {
  const row = await db.selectFrom('tickets').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  return ticketFromRow(row as Row<TicketsTable>);
}

function ticketFromRow(r: Row<TicketsTable>): Ticket {
  return {
    id: Number(r.id),
    customerId: r.customer_id,
    contact: r.contact,
    contactName: r.contact_name,
    channel: r.channel as TicketChannel,
    subject: r.subject,
    status: r.status as TicketStatus,
    priority: r.priority as TicketPriority,
    queue: r.queue,
    assignee: r.assignee,
    tags: JSON.parse(r.tags) as string[],
    createdAt: r.created_at as Instant,
    updatedAt: r.updated_at as Instant,
    firstResponseDue: r.first_response_due as Instant,
    firstRespondedAt: r.first_responded_at as Instant | null,
    resolutionDue: r.resolution_due as Instant,
    solvedAt: r.solved_at as Instant | null,
  };
}

function messageFromRow(r: Row<TicketMessagesTable>, files: Row<TicketAttachmentsTable>[]): TicketMessage {
  return {
    id: Number(r.id),
    ticketId: Number(r.ticket_id),
    author: r.author as MessageAuthor,
    authorName: r.author_name,
    body: r.body,
    messageId: r.message_id,
    createdAt: r.created_at as Instant,
    attachments: files.map(attachmentFromRow),
  };
}

function attachmentFromRow(r: Row<TicketAttachmentsTable>): TicketAttachment {
  return { id: Number(r.id), fileName: r.file_name, contentType: r.content_type, bytes: Number(r.bytes), storedAs: r.stored_as };
}
