/** Timeline source: an interest the customer stated (or took back): topic, value, where it was recorded. */
import { keysetPage, type TimelineSource } from '../source.ts';

export const interests: TimelineSource = {
  kind: 'interest',
  read: (db, q) =>
    keysetPage(
      db.selectFrom('stated_interests as s').where('s.customer_id', '=', q.customerId).select(['s.topic', 's.value', 's.source']),
      'interest',
      { at: 's.at', id: 's.seq' },
      q,
    ).execute(),
};
