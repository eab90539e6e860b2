/** Keyset-paged reads over Kysely, for both dialects (see core/listings.ts for what each returns). */
import { sql, type Kysely, type Selectable } from 'kysely';
import type { Campaign, DeliveryState } from '../core/campaign.ts';
import type { CustomerMessage, DeliveryRow, ListedOrder, ListingStore, OrderTimeKey, PageRequest, TemplateSummary } from '../core/listings.ts';
import type { CustomerId, Instant, Product, Sku } from '../core/records.ts';
import type { Channel, Purpose } from '../core/vocabulary.ts';
import { orderWithCategoryFromRow, productFromRow } from './row-mappers.ts';
import type { DeliveriesTable, Schema } from './schema.ts';
import { campaignFromRow } from './sql-campaign-store.ts';
import { customerOrdersQuery } from './sql-catalogue-store.ts';

const DELIVERY_COLUMNS = ['d.id', 'd.campaign_id', 'd.customer_id', 'd.state', 'd.basis', 'd.reasons', 'd.created_at', 'd.sent_at', 'd.bounce', 'd.soft_bounces'] as const;

type DeliveryColumns = Pick<Selectable<DeliveriesTable>, 'campaign_id' | 'customer_id' | 'state' | 'basis' | 'reasons' | 'created_at' | 'sent_at' | 'bounce' | 'soft_bounces'> & { id: number };

function deliveryFromRow(row: DeliveryColumns): DeliveryRow {
  return {
    id: Number(row.id),
    campaignId: Number(row.campaign_id),
    customerId: row.customer_id as CustomerId,
    state: row.state as DeliveryState,
    basis: row.basis,
    reasons: row.reasons === '' ? [] : row.reasons.split(','),
    decidedAt: row.created_at as Instant,
    sentAt: row.sent_at as Instant | null,
    bounce: row.bounce,
    softBounces: Number(row.soft_bounces),
  };
}

function listedOrderFromRow(row: Parameters<typeof orderWithCategoryFromRow>[0] & { product_name: string }): ListedOrder {
  return { ...orderWithCategoryFromRow(row), productName: row.product_name };
}

/** `LIKE` text matching `value` literally (its `%` and `_` are not wildcards). */
function likeLiteral(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export class SqlListingStore implements ListingStore {
  constructor(private readonly db: Kysely<Schema>) {}

  async products(page: PageRequest<Sku>): Promise<Product[]> {
    let query = this.db.selectFrom('products').selectAll().orderBy('sku').limit(page.limit);
    if (page.after !== null) query = query.where('sku', '>', page.after);
    return (await query.execute()).map(productFromRow);
  }

  async campaigns(page: PageRequest<number>): Promise<Campaign[]> {
    let query = this.db.selectFrom('campaigns').selectAll().orderBy('id', 'desc').limit(page.limit);
    if (page.after !== null) query = query.where('id', '<', page.after);
    return (await query.execute()).map(campaignFromRow);
  }

  async templates(page: PageRequest<string>): Promise<TemplateSummary[]> {
    let query = this.db.selectFrom('templates').selectAll().orderBy('id').limit(page.limit);
    if (page.after !== null) query = query.where('id', '>', page.after);
    return (await query.execute()).map((row) => {
      const definition = (typeof row.definition === 'string' ? JSON.parse(row.definition) : row.definition) as { kind?: unknown; locales?: unknown };
      const locales = definition.locales !== null && typeof definition.locales === 'object' ? Object.keys(definition.locales).sort() : [];
      return { id: row.id, kind: typeof definition.kind === 'string' ? definition.kind : null, locales, createdAt: row.created_at as Instant };
    });
  }

  async ordersOf(customerId: CustomerId, page: PageRequest<string>): Promise<ListedOrder[]> {
    let query = customerOrdersQuery(this.db, customerId).select('products.name as product_name').orderBy('orders.id').limit(page.limit);
    if (page.after !== null) query = query.where('orders.id', '>', page.after);
    return (await query.execute()).map(listedOrderFromRow);
  }

  async ordersNewestFirst(customerId: CustomerId, page: PageRequest<OrderTimeKey>): Promise<ListedOrder[]> {
    let query = customerOrdersQuery(this.db, customerId)
      .select('products.name as product_name')
      .orderBy('orders.started_at', 'desc')
      .orderBy('orders.id', 'desc')
      .limit(page.limit);
    const after = page.after;
    if (after !== null) {
      query = query.where((eb) =>
        eb.or([eb('orders.started_at', '<', after.startedAt), eb.and([eb('orders.started_at', '=', after.startedAt), eb('orders.id', '<', after.id)])]),
      );
    }
    return (await query.execute()).map(listedOrderFromRow);
  }

  async messagesOf(customerId: CustomerId, page: PageRequest<number>): Promise<CustomerMessage[]> {
    let query = this.db
      .selectFrom('deliveries as d')
      .innerJoin('campaigns as c', 'c.id', 'd.campaign_id')
      .select(DELIVERY_COLUMNS)
      .select(['c.name as campaign_name', 'c.purpose as campaign_purpose', 'c.channel as campaign_channel'])
      .where('d.customer_id', '=', customerId)
      .orderBy('d.id', 'desc')
      .limit(page.limit);
    if (page.after !== null) query = query.where('d.id', '<', page.after);
    return (await query.execute()).map((row) => ({
      ...deliveryFromRow(row),
      campaign: { id: Number(row.campaign_id), name: row.campaign_name, purpose: row.campaign_purpose as Purpose, channel: row.campaign_channel as Channel },
    }));
  }

  async skipped(campaignId: number, reason: string | null, page: PageRequest<CustomerId>): Promise<DeliveryRow[]> {
    let query = this.db
      .selectFrom('deliveries as d')
      .select(DELIVERY_COLUMNS)
      .where('d.campaign_id', '=', campaignId)
      .where('d.state', '=', 'skipped')
      .orderBy('d.customer_id')
      .limit(page.limit);
    if (page.after !== null) query = query.where('d.customer_id', '>', page.after);
    // reasons is a comma list: a reason matches as a whole item, never as part of another.
    if (reason !== null) query = query.where(sql<boolean>`(',' || d.reasons || ',') LIKE ${`%,${likeLiteral(reason)},%`} ESCAPE '\\'`);
    return (await query.execute()).map(deliveryFromRow);
  }

  async delivery(campaignId: number, customerId: CustomerId): Promise<DeliveryRow | null> {
    const row = await this.db
      .selectFrom('deliveries as d')
      .select(DELIVERY_COLUMNS)
      .where('d.campaign_id', '=', campaignId)
      .where('d.customer_id', '=', customerId)
      .executeTakeFirst();
    return row === undefined ? null : deliveryFromRow(row);
  }
}
