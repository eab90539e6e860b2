/** Timeline source: a support ticket opened (subject, channel, its status now). */
import { keysetPage, type TimelineSource } from '../source.ts';

export const ticketsOpened: TimelineSource = {
  kind: 'ticket_opened',
  read: (db, q) =>
    keysetPage(
      db
        .selectFrom('tickets as t')
        .where('t.customer_id', '=', q.customerId)
        .select(['t.subject', 't.channel', 't.status', 't.priority', 't.queue']),
      'ticket_opened',
      { at: 't.created_at', id: 't.id' },
      q,
    ).execute(),
};
