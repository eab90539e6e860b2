/**
 * Timeline source: a message in one of the customer's tickets (the customer's, an agent's reply or
 * an internal note), with the start of its text. The customer's tickets are found by their index,
 * their messages by the ticket's.
 */
import { sql } from 'kysely';
import { keysetPage, type TimelineSource } from '../source.ts';

/** How much of a message the timeline shows; the ticket has the rest. */
const EXCERPT_CHARS = 200;

export const ticketMessages: TimelineSource = {
  kind: 'ticket_message',
  read: (db, q) =>
    keysetPage(
      db
        .selectFrom('ticket_messages as m')
        .innerJoin('tickets as t', 't.id', 'm.ticket_id')
        .where('t.customer_id', '=', q.customerId)
        .select(['m.ticket_id as ticketId', 't.subject', 'm.author', 'm.author_name as authorName', sql<string>`substr(m.body, 1, ${sql.lit(EXCERPT_CHARS)})`.as('excerpt')]),
      'ticket_message',
      { at: 'm.created_at', id: 'm.id' },
      q,
    ).execute(),
};
