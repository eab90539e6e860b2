/**
 * Timeline source: a sale made on a telesales call, at the time it was made, with where it stands
 * (pending the customer's written acceptance, accepted, lapsed, or bound by the law's exception) and
 * the evidence's ids (docs/calls-and-recordings.md, "Telesales and written acceptance").
 */
import { keysetPage, type TimelineSource } from '../source.ts';

export const phoneSales: TimelineSource = {
  kind: 'phone_sale',
  read: (db, q) =>
    keysetPage(
      db
        .selectFrom('phone_sales as s')
        .where('s.customer_id', '=', q.customerId)
        .select(['s.call_id as callId', 's.sku', 's.product_name as productName', 's.state', 's.basis', 's.accept_by as acceptBy', 's.accepted_at as acceptedAt', 's.order_id as orderId', 's.agent']),
      'phone_sale',
      { at: 's.created_at', id: 's.id' },
      q,
    ).execute(),
};
