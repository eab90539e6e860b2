/**
 * Use cases: the paged reads a marketer, an agent or the DPO finds things out with: products,
 * campaigns (with their delivery counts one at a time), templates, one customer's orders and
 * messages, and a campaign's skipped recipients. Reads only; auditing a read of a customer's data is
 * the caller's (the route, or the CLI command), who knows who reads.
 */
import type { Campaign, CampaignStore, DeliveryCounts, TemplateStore } from '../core/campaign.ts';
import { DomainError } from '../core/errors.ts';
import type { CustomerMessage, DeliveryRow, ListedOrder, ListingStore, OrderTimeKey, TemplateSummary } from '../core/listings.ts';
import type { AuditEntry, AuditLog, CustomerStore } from '../core/ports.ts';
import type { CustomerId, Instant, Product, Sku } from '../core/records.ts';

/** The largest page a caller may ask for (the API allows up to MAX_API_PAGE). */
export const MAX_PAGE = 1000;
export const MAX_API_PAGE = 100;

export interface Page<Cursor> {
  after?: Cursor | undefined;
  limit: number;
}

/** Rows of a page and the cursor of the next (null when this page was the last). */
export type Paged<Key extends string, Row> = { [K in Key]: Row[] } & { next: string | null };

function requireLimit(limit: number): number {
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) throw new DomainError('VALIDATION_FAILED', `limit must be 1–${MAX_PAGE}`, { field: 'limit' });
  return limit;
}

/**
 * `next` is the last row's key when the page is full: a full last page costs one more (empty) read,
 * never a row lost or returned twice.
 */
function nextOf<Row>(rows: readonly Row[], limit: number, key: (row: Row) => string | number): string | null {
  const last = rows[rows.length - 1];
  return rows.length === limit && last !== undefined ? String(key(last)) : null;
}

export async function listProducts(deps: { listings: ListingStore }, page: Page<string>): Promise<Paged<'products', Product>> {
  const limit = requireLimit(page.limit);
  const products = await deps.listings.products({ after: (page.after ?? null) as Sku | null, limit });
  return { products, next: nextOf(products, limit, (p) => p.sku) };
}

/** Campaigns newest first. `after` is the `next` of the page before (a campaign id). */
export async function listCampaigns(deps: { listings: ListingStore }, page: Page<number>): Promise<Paged<'campaigns', Campaign>> {
  const limit = requireLimit(page.limit);
  const campaigns = await deps.listings.campaigns({ after: page.after ?? null, limit });
  return { campaigns, next: nextOf(campaigns, limit, (c) => c.id) };
}

/** One campaign with its deliveries counted by state and skipped by reason (one grouped query). */
export async function getCampaign(deps: { campaigns: CampaignStore }, input: { campaignId: number }): Promise<Campaign & { counts: DeliveryCounts }> {
  const campaign = await requireCampaign(deps, input.campaignId);
  return { ...campaign, counts: await deps.campaigns.deliveryCounts(campaign.id) };
}

export async function listTemplates(deps: { listings: ListingStore }, page: Page<string>): Promise<Paged<'templates', TemplateSummary>> {
  const limit = requireLimit(page.limit);
  const templates = await deps.listings.templates({ after: page.after ?? null, limit });
  return { templates, next: nextOf(templates, limit, (t) => t.id) };
}

/** The stored definition of a template, as `lupa template add` saved it (docs/templates.md). NOT_FOUND when there is none. */
export async function getTemplate(deps: { templates: TemplateStore }, input: { id: string }): Promise<{ id: string; definition: unknown }> {
  const definition = await deps.templates.get(input.id);
  if (definition === null) throw new DomainError('NOT_FOUND', `no template ${input.id}`, { field: 'id' });
  return { id: input.id, definition };
}

/** The customer's orders by order id. UNKNOWN_CUSTOMER when there is no such customer. */
export async function customerOrders(
  deps: { listings: ListingStore; customers: CustomerStore },
  input: Page<string> & { customerId: string; order?: OrderListOrder | undefined },
): Promise<Paged<'orders', ListedOrder>> {
  const limit = requireLimit(input.limit);
  const customerId = await requireCustomer(deps, input.customerId);
  if (input.order === 'newest') {
    const orders = await deps.listings.ordersNewestFirst(customerId, { after: input.after === undefined ? null : orderTimeKey(input.after), limit });
    return { orders, next: nextOf(orders, limit, (o) => `${o.startedAt}${TIME_KEY_SEPARATOR}${o.id}`) };
  }
  const orders = await deps.listings.ordersOf(customerId, { after: input.after ?? null, limit });
  return { orders, next: nextOf(orders, limit, (o) => o.id) };
}

/** How a customer's orders are listed: by order id, or newest first by start time (the customer's timeline). */
export const ORDER_LIST_ORDERS = ['id', 'newest'] as const;
export type OrderListOrder = (typeof ORDER_LIST_ORDERS)[number];

/** A newest-first cursor is `<startedAt>|<order id>`: an instant never holds a `|`. */
const TIME_KEY_SEPARATOR = '|';

function orderTimeKey(cursor: string): OrderTimeKey {
  const at = cursor.indexOf(TIME_KEY_SEPARATOR);
  const startedAt = cursor.slice(0, at);
  if (at < 1 || Number.isNaN(Date.parse(startedAt))) throw new DomainError('VALIDATION_FAILED', 'after must be the next of an earlier page', { field: 'after' });
  return { startedAt: startedAt as Instant, id: cursor.slice(at + 1) };
}

/** The customer's deliveries of every campaign, newest first. UNKNOWN_CUSTOMER when there is no such customer. */
export async function customerMessages(
  deps: { listings: ListingStore; customers: CustomerStore },
  input: Page<number> & { customerId: string },
): Promise<Paged<'messages', CustomerMessage>> {
  const limit = requireLimit(input.limit);
  const customerId = await requireCustomer(deps, input.customerId);
  const messages = await deps.listings.messagesOf(customerId, { after: input.after ?? null, limit });
  return { messages, next: nextOf(messages, limit, (m) => m.id) };
}

/**
 * A campaign's skipped deliveries by customer id, with their reason codes; `reason` keeps those
 * skipped for that reason (among others). NOT_FOUND when there is no such campaign.
 */
export async function skippedRecipients(
  deps: { listings: ListingStore; campaigns: CampaignStore },
  input: Page<string> & { campaignId: number; reason?: string | undefined },
): Promise<Paged<'skipped', DeliveryRow>> {
  const limit = requireLimit(input.limit);
  await requireCampaign(deps, input.campaignId);
  const skipped = await deps.listings.skipped(input.campaignId, input.reason ?? null, { after: (input.after ?? null) as CustomerId | null, limit });
  return { skipped, next: nextOf(skipped, limit, (d) => d.customerId) };
}

/**
 * Every skipped delivery of the campaign, a page of `MAX_PAGE` at a time, for an export by a person:
 * each page's customers are audited as read (`actor`) before the page is handed out.
 */
export async function* allSkippedRecipients(
  deps: { listings: ListingStore; campaigns: CampaignStore; audit: AuditLog; now: () => Instant },
  input: { campaignId: number; reason?: string | undefined; actor: Pick<AuditEntry, 'actor' | 'role'> },
): AsyncIterable<DeliveryRow[]> {
  let after: string | null = null;
  do {
    const page: Paged<'skipped', DeliveryRow> = await skippedRecipients(deps, { campaignId: input.campaignId, reason: input.reason, after: after ?? undefined, limit: MAX_PAGE });
    const at = deps.now();
    await Promise.all(page.skipped.map((d) => deps.audit.record({ at, ...input.actor, action: 'campaign.skipped', customerId: d.customerId, detail: { campaign: input.campaignId } })));
    if (page.skipped.length > 0) yield page.skipped;
    after = page.next;
  } while (after !== null);
}

/** Every row of a listing, a page of `MAX_PAGE` at a time (for the CLI's lists). */
export async function allRows<Row>(page: (input: { after?: string; limit: number }) => Promise<{ next: string | null; rows: Row[] }>): Promise<Row[]> {
  const rows: Row[] = [];
  let after: string | null = null;
  do {
    const got: { next: string | null; rows: Row[] } = await page({ ...(after === null ? {} : { after }), limit: MAX_PAGE });
    rows.push(...got.rows);
    after = got.next;
  } while (after !== null);
  return rows;
}

export async function requireCampaign(deps: { campaigns: CampaignStore }, campaignId: number): Promise<Campaign> {
  const campaign = await deps.campaigns.get(campaignId);
  if (campaign === null) throw new DomainError('NOT_FOUND', `no campaign ${campaignId}`, { field: 'campaign' });
  return campaign;
}

async function requireCustomer(deps: { customers: CustomerStore }, id: string): Promise<CustomerId> {
  const customer = await deps.customers.getCustomer(id as CustomerId);
  if (customer === null) throw new DomainError('UNKNOWN_CUSTOMER', `no customer with id ${id}`, { field: 'id' });
  return customer.id;
}
