/** Timeline source: a support ticket solved. */
import { keysetPage, type TimelineSource } from '../source.ts';

export const ticketsSolved: TimelineSource = {
  kind: 'ticket_solved',
  read: (db, q) =>
    keysetPage(
      db
        .selectFrom('tickets as t')
        .where('t.customer_id', '=', q.customerId)
        .where('t.solved_at', 'is not', null)
        .select(['t.subject', 't.status', 't.assignee']),
      'ticket_solved',
      { at: 't.solved_at', id: 't.id' },
      q,
    ).execute(),
};
