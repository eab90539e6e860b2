/** Timeline source: a call with the customer (direction, purpose, outcome, agent). */
import { keysetPage, type TimelineSource } from '../source.ts';

export const calls: TimelineSource = {
  kind: 'call',
  read: (db, q) =>
    keysetPage(
      db
        .selectFrom('calls as c')
        .where('c.customer_id', '=', q.customerId)
        .select(['c.direction', 'c.purpose', 'c.outcome', 'c.agent', 'c.ended_at as endedAt', 'c.callback_at as callbackAt', 'c.queue', 'c.call_list as callList']),
      'call',
      { at: 'c.started_at', id: 'c.id' },
      q,
    ).execute(),
};
