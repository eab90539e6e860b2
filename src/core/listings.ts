/**
 * Paged reads for the API and the CLI, in the core's words: the catalogue, campaigns, templates, and
 * one customer's orders and messages; a campaign's skipped recipients and one recipient's delivery.
 * Every listing is keyset-paged: a page holds at most `limit` rows after the cursor `after`, in a
 * fixed order, so walking the pages returns every row once even while rows are added.
 */
import type { Campaign, DeliveryState } from './campaign.ts';
import type { CustomerId, Instant, OrderWithCategory, Product, Sku } from './records.ts';
import type { Channel, Purpose } from './vocabulary.ts';

/** A page request: rows after the cursor (exclusive), at most `limit`. */
export interface PageRequest<Cursor> {
  after: Cursor | null;
  limit: number;
}

/** An order as a customer's history lists it: with its product's category and name. */
export interface ListedOrder extends OrderWithCategory {
  productName: string;
}

/** Where a newest-first page of orders continues: below this start time, or at it below this id. */
export interface OrderTimeKey {
  startedAt: Instant;
  id: string;
}

/** A stored template, as listed: what it is, not its content. */
export interface TemplateSummary {
  id: string;
  kind: string | null;
  locales: string[];
  createdAt: Instant;
}

/** One delivery of a campaign to a customer: what was decided at launch and what became of it. */
export interface DeliveryRow {
  id: number;
  campaignId: number;
  customerId: CustomerId;
  state: DeliveryState;
  /** The legal basis of a queued or sent delivery; null when skipped. */
  basis: string | null;
  /** Reason codes in rule order: the allowing one(s), or every blocking one (a further purpose's qualified, `profiling:OBJECTED`). */
  reasons: string[];
  /** When it was decided (the launch's decision time). */
  decidedAt: Instant;
  /** The latest hand-off, or null before the first. */
  sentAt: Instant | null;
  /** What the latest hand-off came back as: `hard`, `soft` or `complaint`; null when nothing came back. */
  bounce: string | null;
  softBounces: number;
}

/** A delivery with what the customer would recognise of its campaign. */
export interface CustomerMessage extends DeliveryRow {
  campaign: { id: number; name: string; purpose: Purpose; channel: Channel };
}

export interface ListingStore {
  /** Products by sku. */
  products(page: PageRequest<Sku>): Promise<Product[]>;
  /** Campaigns newest first (by id, descending): `after` is the last id seen. */
  campaigns(page: PageRequest<number>): Promise<Campaign[]>;
  /** Templates by id. */
  templates(page: PageRequest<string>): Promise<TemplateSummary[]>;
  /** The customer's orders by id, with their products' categories and names. */
  ordersOf(customerId: CustomerId, page: PageRequest<string>): Promise<ListedOrder[]>;
  /** The customer's orders newest first: by start time, then id, both descending (the customer's timeline). */
  ordersNewestFirst(customerId: CustomerId, page: PageRequest<OrderTimeKey>): Promise<ListedOrder[]>;
  /** The customer's deliveries of every campaign, newest first (by delivery id, descending). */
  messagesOf(customerId: CustomerId, page: PageRequest<number>): Promise<CustomerMessage[]>;
  /** A campaign's skipped deliveries by customer id; with `reason`, only those skipped for it (among others). */
  skipped(campaignId: number, reason: string | null, page: PageRequest<CustomerId>): Promise<DeliveryRow[]>;
  /** The campaign's delivery to the customer, or null. */
  delivery(campaignId: number, customerId: CustomerId): Promise<DeliveryRow | null>;
}
