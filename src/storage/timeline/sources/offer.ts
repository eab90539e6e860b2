/** Timeline source: an offer shown to the customer, accepted or declined, on which channel. */
import { keysetPage, type TimelineSource } from '../source.ts';

export const offers: TimelineSource = {
  kind: 'offer',
  read: (db, q) =>
    keysetPage(
      db
        .selectFrom('offer_outcomes as x')
        .innerJoin('offers as f', 'f.id', 'x.offer_id')
        .where('x.customer_id', '=', q.customerId)
        .select(['x.offer_id as offerId', 'f.code', 'f.name', 'x.channel', 'x.outcome', 'x.source']),
      'offer',
      { at: 'x.at', id: 'x.seq' },
      q,
    ).execute(),
};
