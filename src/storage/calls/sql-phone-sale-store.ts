/**
 * Phone sales on SQLite and PostgreSQL through Kysely (migration 0041, docs/decisions/0025). A sale
 * becomes an order only inside the transaction that binds it: the conditional update of its state
 * (pending, not lapsed) and the order's insert commit together, so an acceptance sent twice, or two
 * at once, makes one order, and a lapsed sale makes none.
 */
import type { Generated, Kysely, Transaction } from 'kysely';
import type { PhoneSaleStore } from '../../core/calls/ports.ts';
import { orderOfSale, type NewPhoneSale, type PhoneSale, type SaleState } from '../../core/calls/phone-sale.ts';
import { DomainError } from '../../core/errors.ts';
import type { CustomerId, Instant, Order, OrderId, Sku } from '../../core/records.ts';
import type { Schema } from '../schema.ts';
import type { CallTables } from './sql-call-store.ts';

interface PhoneSalesTable {
  id: Generated<number>;
  call_id: number;
  customer_id: string;
  agent: string;
  sku: string;
  product_name: string;
  offer_id: number | null;
  offer_code: string | null;
  kind: PhoneSale['terms']['kind'];
  period_months: number;
  price_cents: number;
  currency: string;
  regular_monthly_cents: number | null;
  basis: PhoneSale['basis'];
  request_evidence: string | null;
  delivery: PhoneSale['delivery'];
  delivered_to: string;
  created_at: string;
  accept_by: string;
  state: SaleState;
  offer_sent_at: string | null;
  offer_message_id: string | null;
  accepted_at: string | null;
  order_id: string | null;
  lapsed_at: string | null;
}

/** The table of migration 0041. */
export type PhoneSaleTables = { phone_sales: PhoneSalesTable };
type Db = Schema & CallTables & PhoneSaleTables;
type SaleRow = Omit<PhoneSalesTable, 'id'> & { id: number };

export class SqlPhoneSaleStore implements PhoneSaleStore {
  private readonly db: Kysely<Db>;

  constructor(db: Kysely<Schema>) {
    this.db = db.withTables<CallTables & PhoneSaleTables>();
  }

  async insert(sale: NewPhoneSale, bindAt: Instant | null): Promise<PhoneSale> {
    return this.db.transaction().execute(async (trx) => {
      const taken = await trx.selectFrom('phone_sales').select('id').where('call_id', '=', sale.callId).executeTakeFirst();
      if (taken !== undefined) throw new DomainError('PHONE_SALE_STATE', `call ${sale.callId} has a sale already (${taken.id})`, { field: 'callId', details: { sale: Number(taken.id) } });
      const t = sale.terms;
      const row = await trx
        .insertInto('phone_sales')
        .values({
          call_id: sale.callId,
          customer_id: sale.customerId,
          agent: sale.agent,
          sku: t.sku,
          product_name: t.productName,
          offer_id: t.offerId,
          offer_code: t.offerCode,
          kind: t.kind,
          period_months: t.periodMonths,
          price_cents: t.priceCents,
          currency: t.currency,
          regular_monthly_cents: t.regularMonthlyCents,
          basis: sale.basis,
          request_evidence: sale.requestEvidence,
          delivery: sale.delivery,
          delivered_to: sale.deliveredTo,
          created_at: sale.createdAt,
          accept_by: sale.acceptBy,
          state: 'pending',
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      if (bindAt === null) return saleFromRow(row);
      const order = orderOfSale(saleFromRow(row), bindAt);
      const bound = await trx.updateTable('phone_sales').set({ state: 'bound', order_id: order.id }).where('id', '=', row.id).returningAll().executeTakeFirstOrThrow();
      await insertOrder(trx, order);
      return saleFromRow(bound);
    });
  }

  async get(id: number): Promise<PhoneSale | null> {
    const row = await this.db.selectFrom('phone_sales').selectAll().where('id', '=', id).executeTakeFirst();
    return row === undefined ? null : saleFromRow(row);
  }

  async markOfferSent(id: number, at: Instant, messageId: string): Promise<void> {
    await this.db.updateTable('phone_sales').set({ offer_sent_at: at, offer_message_id: messageId }).where('id', '=', id).execute();
  }

  async accept(id: number, at: Instant): Promise<{ sale: PhoneSale | null; accepted: boolean }> {
    return this.db.transaction().execute(async (trx) => {
      const before = await trx.selectFrom('phone_sales').selectAll().where('id', '=', id).executeTakeFirst();
      if (before === undefined) return { sale: null, accepted: false };
      const order = orderOfSale(saleFromRow(before), at);
      // The one write that decides: only a pending sale within its time moves, once.
      const result = await trx
        .updateTable('phone_sales')
        .set({ state: 'accepted', accepted_at: at, order_id: order.id })
        .where('id', '=', id)
        .where('state', '=', 'pending')
        .where('accept_by', '>', at)
        .executeTakeFirst();
      const accepted = Number(result.numUpdatedRows) === 1;
      if (accepted) await insertOrder(trx, order);
      const row = await trx.selectFrom('phone_sales').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      return { sale: saleFromRow(row), accepted };
    });
  }

  async lapseDue(now: Instant): Promise<number> {
    const result = await this.db.updateTable('phone_sales').set({ state: 'lapsed', lapsed_at: now }).where('state', '=', 'pending').where('accept_by', '<=', now).executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  async list(query: { customerId?: CustomerId; state?: { state: SaleState; at: Instant }; beforeId?: number; limit: number }): Promise<PhoneSale[]> {
    let q = this.db.selectFrom('phone_sales').selectAll();
    if (query.customerId !== undefined) q = q.where('customer_id', '=', query.customerId);
    const state = query.state;
    // The state as `saleStateAt` reads it: a pending sale past its time is lapsed, stored or not.
    if (state?.state === 'pending') q = q.where('state', '=', 'pending').where('accept_by', '>', state.at);
    else if (state?.state === 'lapsed') q = q.where((eb) => eb.or([eb('state', '=', 'lapsed'), eb.and([eb('state', '=', 'pending'), eb('accept_by', '<=', state.at)])]));
    else if (state !== undefined) q = q.where('state', '=', state.state);
    if (query.beforeId !== undefined) q = q.where('id', '<', query.beforeId);
    const rows = await q.orderBy('id', 'desc').limit(query.limit).execute();
    return rows.map(saleFromRow);
  }
}

/** The sale's order, written in the binding transaction; an order id already there is an error, never overwritten. */
async function insertOrder(trx: Transaction<Db>, o: Order): Promise<void> {
  await trx
    .insertInto('orders')
    .values({ id: o.id, customer_id: o.customerId, sku: o.sku, started_at: o.startedAt, ended_at: o.endedAt, sold_via: o.soldVia, opt_out_offered: o.optOutOffered ? 1 : 0 })
    .execute();
}

function saleFromRow(r: SaleRow): PhoneSale {
  return {
    id: Number(r.id),
    callId: Number(r.call_id),
    customerId: r.customer_id as CustomerId,
    agent: r.agent,
    terms: {
      sku: r.sku as Sku,
      productName: r.product_name,
      offerId: r.offer_id === null ? null : Number(r.offer_id),
      offerCode: r.offer_code,
      kind: r.kind,
      periodMonths: Number(r.period_months),
      priceCents: Number(r.price_cents),
      currency: r.currency,
      regularMonthlyCents: r.regular_monthly_cents === null ? null : Number(r.regular_monthly_cents),
    },
    basis: r.basis,
    requestEvidence: r.request_evidence,
    delivery: r.delivery,
    deliveredTo: r.delivered_to,
    createdAt: r.created_at as Instant,
    acceptBy: r.accept_by as Instant,
    state: r.state,
    offerSentAt: r.offer_sent_at as Instant | null,
    offerMessageId: r.offer_message_id,
    acceptedAt: r.accepted_at as Instant | null,
    orderId: r.order_id as OrderId | null,
    lapsedAt: r.lapsed_at as Instant | null,
  };
}
