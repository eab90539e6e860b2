/**
 * Support tickets in the core's words (docs/customer-service.md): a customer's request, its
 * messages and the clocks on it. A ticket is service communication (compliance rule 1): nothing in
 * it is a basis for marketing, and a reply carries no marketing.
 */
import type { Instant } from '../records.ts';

export const TICKET_STATUSES = ['new', 'open', 'waiting', 'solved', 'closed'] as const;
/** `waiting`: waiting for the customer's answer; `solved`: reopened by the customer's next message; `closed`: final. */
export type TicketStatus = (typeof TICKET_STATUSES)[number];

export const TICKET_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type TicketPriority = (typeof TICKET_PRIORITIES)[number];

/** Where the request came in; `chat` is reserved for a later channel. */
export const TICKET_CHANNELS = ['email', 'web', 'phone', 'chat'] as const;
export type TicketChannel = (typeof TICKET_CHANNELS)[number];

/** Who wrote a message: the customer, an agent (sent to the customer), or an agent's internal note (never sent). */
export const MESSAGE_AUTHORS = ['customer', 'agent', 'note'] as const;
export type MessageAuthor = (typeof MESSAGE_AUTHORS)[number];

export interface Ticket {
  id: number;
  /** The matched customer, or null: an unknown sender, whose address is in `contact` (never a marketing basis). */
  customerId: string | null;
  /** The requester's e-mail address or phone number as given (normalised), where replies go. */
  contact: string | null;
  contactName: string | null;
  channel: TicketChannel;
  subject: string;
  status: TicketStatus;
  priority: TicketPriority;
  queue: string;
  /** The console user or API key the ticket is assigned to (its id), or null. */
  assignee: string | null;
  tags: string[];
  createdAt: Instant;
  updatedAt: Instant;
  firstResponseDue: Instant;
  firstRespondedAt: Instant | null;
  resolutionDue: Instant;
  solvedAt: Instant | null;
}

export interface TicketAttachment {
  id: number;
  fileName: string;
  contentType: string;
  bytes: number;
  /** The file's name in the file store (LUPA_TICKET_FILES_DIR). */
  storedAs: string;
}

export interface TicketMessage {
  id: number;
  ticketId: number;
  author: MessageAuthor;
  /** The agent who wrote it (id), or the customer's address for a customer message. */
  authorName: string | null;
  body: string;
  /** The e-mail Message-ID it came or went with (`<…>`), or null (web form, note). */
  messageId: string | null;
  createdAt: Instant;
  attachments: TicketAttachment[];
}

/** The inbox's filter: every field optional; `after`: the last id of the previous page (newest first). */
export interface TicketQuery {
  status?: readonly TicketStatus[];
  queue?: string;
  assignee?: string;
  customerId?: string;
  limit: number;
  before?: number;
}

export type NewTicket = Omit<Ticket, 'id' | 'updatedAt' | 'firstRespondedAt' | 'solvedAt'>;
export type NewTicketMessage = Omit<TicketMessage, 'id' | 'ticketId' | 'attachments'> & { attachments?: Omit<TicketAttachment, 'id'>[] };
export type TicketChanges = Partial<Pick<Ticket, 'status' | 'priority' | 'queue' | 'assignee' | 'tags' | 'customerId' | 'firstRespondedAt' | 'solvedAt' | 'firstResponseDue' | 'resolutionDue'>>;

export interface TicketStore {
  /** Stores a ticket with its first message, in one transaction. */
  create(ticket: NewTicket, first: NewTicketMessage): Promise<{ ticket: Ticket; message: TicketMessage }>;
  /** Appends a message and applies `changes` to the ticket, in one transaction; null when no such ticket. */
  addMessage(ticketId: number, message: NewTicketMessage, changes: TicketChanges, at: Instant): Promise<TicketMessage | null>;
  get(id: number): Promise<Ticket | null>;
  messages(ticketId: number): Promise<TicketMessage[]>;
  /** Newest first. */
  list(query: TicketQuery): Promise<Ticket[]>;
  update(id: number, changes: TicketChanges, at: Instant): Promise<Ticket | null>;
  /** The ticket one of these e-mail Message-IDs belongs to (the newest match), or null. */
  ticketOfMessageIds(messageIds: readonly string[]): Promise<number | null>;
  /** The stored name of an attachment of this ticket, or null. */
  attachment(ticketId: number, attachmentId: number): Promise<TicketAttachment | null>;
}

const SUBJECT_TOKEN = /\[#(\d{1,12})\]/;

/** The subject a reply goes out with: the ticket's token `[#ID]` once, so an answer finds its ticket even without its headers. */
export function subjectWithToken(subject: string, ticketId: number): string {
  const bare = subject.replace(SUBJECT_TOKEN, '').replace(/\s+/g, ' ').trim();
  return `${/^re:/i.test(bare) ? bare : `Re: ${bare}`} [#${ticketId}]`;
}

/** The ticket id a subject names by its `[#ID]` token, or null. */
export function ticketIdInSubject(subject: string): number | null {
  const m = SUBJECT_TOKEN.exec(subject);
  return m === null ? null : Number(m[1]);
}

/**
 * What an open ticket becomes when the customer writes again: a new one stays new (nobody has
 * answered yet), anything else is open again. A closed ticket takes no more messages: the answer
 * starts a new ticket (see the use case).
 */
export function statusAfterCustomerMessage(status: Exclude<TicketStatus, 'closed'>): TicketStatus {
  return status === 'new' ? 'new' : 'open';
}

/** Where attachments' bytes are kept (the file store under the data directory); the database holds their metadata. */
export interface TicketFileStore {
  /** Keeps the bytes; the name they are stored as. */
  put(data: Uint8Array): Promise<string>;
  /** The bytes stored as `storedAs`, or null when the file is gone. */
  read(storedAs: string): Promise<Uint8Array | null>;
}
