/**
 * Timeline source: a feedback question [S25] (a CSAT question after a solved ticket, an NPS survey),
 * at the time it was asked or skipped, and when it was answered (docs/customer-service.md#feedback).
 * Not the score or the comment: answers are reported in aggregate (rule 11), their words read only
 * by the DPO, and an agent sees a score only on their own ticket.
 */
import { keysetPage, type TimelineSource } from '../source.ts';

export const feedback: TimelineSource = {
  kind: 'feedback',
  read: (db, q) =>
    keysetPage(
      db
        .selectFrom('feedback_requests as r')
        .where('r.customer_id', '=', q.customerId)
        .select(['r.kind as survey', 'r.ticket_id as ticketId', 'r.channel', 'r.state', 'r.reasons', 'r.answered_at as answeredAt']),
      'feedback',
      { at: 'r.created_at', id: 'r.id' },
      q,
    ).execute(),
};
