/** Timeline source: an order or subscription started (its product, how it was sold, whether it ended). */
import { keysetPage, type TimelineSource } from '../source.ts';

export const orderStarted: TimelineSource = {
  kind: 'order_started',
  read: (db, q) =>
    keysetPage(
      db
        .selectFrom('orders as o')
        .innerJoin('products as p', 'p.sku', 'o.sku')
        .where('o.customer_id', '=', q.customerId)
        .select(['o.sku', 'p.name as productName', 'p.category', 'o.sold_via as soldVia', 'o.ended_at as endedAt']),
      'order_started',
      { at: 'o.started_at', id: 'o.id' },
      q,
    ).execute(),
};
