/** Timeline source: an order or subscription ended. */
import { keysetPage, type TimelineSource } from '../source.ts';

export const orderEnded: TimelineSource = {
  kind: 'order_ended',
  read: (db, q) =>
    keysetPage(
      db
        .selectFrom('orders as o')
        .innerJoin('products as p', 'p.sku', 'o.sku')
        .where('o.customer_id', '=', q.customerId)
        .where('o.ended_at', 'is not', null)
        .select(['o.sku', 'p.name as productName', 'p.category', 'o.started_at as startedAt']),
      'order_ended',
      { at: 'o.ended_at', id: 'o.id' },
      q,
    ).execute(),
};
