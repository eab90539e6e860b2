/** The ports the use cases need, in the core's words. Adapters live in src/storage and src/channels. */
import type { LaunchTarget } from './campaign.ts';
import type { EligibilityFacts } from './eligibility-facts.ts';
import type {
  ConsentRecord,
  Customer,
  CustomerId,
  Instant,
  LedgerRecord,
  ObjectionRecord,
  Order,
  OrderWithCategory,
  Product,
  Sku,
  Suppression,
  SuppressionLift,
} from './records.ts';
import type { Channel, Purpose } from './vocabulary.ts';

type Unsaved<T> = Omit<T, 'seq' | 'recordedAt'> & { recordedAt?: Instant };
export type NewLedgerRecord = Unsaved<ConsentRecord> | Unsaved<ObjectionRecord>;
/** A suppression to append; `note`: why a person added it (manual entries). */
export type NewSuppression = Omit<Suppression, 'id' | 'liftedAt'> & { note?: string | null };

export interface CustomerSearch {
  /**
   * Folded search words (core/name-words.ts `searchWords`): a customer matches when each of them is
   * the start of some word of the name, in any order.
   */
  nameWords?: readonly string[];
  /** Each of `nameWords` must be a whole word of the name, not only its start. */
  wholeNameWords?: boolean;
  /** The customer's id, exactly. */
  id?: string;
  email?: string;
  phone?: string;
  postalCode?: string;
  limit: number;
  /** Return customers with ids after this one (keyset paging). */
  after?: string;
}

export interface CustomerStore {
  getCustomer(id: CustomerId): Promise<Customer | null>;
  /** Throws CUSTOMER_EXISTS when the id is taken. */
  insertCustomer(customer: Customer): Promise<void>;
  updateCustomer(customer: Customer): Promise<void>;
  searchCustomers(query: CustomerSearch): Promise<Customer[]>;
  /** The customers with these ids (one query; unknown ids are left out). */
  getCustomers(ids: readonly CustomerId[]): Promise<Customer[]>;
}

export interface CatalogueStore {
  getProduct(sku: Sku): Promise<Product | null>;
  listProducts(): Promise<Product[]>;
  upsertProduct(product: Product): Promise<void>;
  upsertOrder(order: Order): Promise<void>;
  ordersOf(customerId: CustomerId): Promise<OrderWithCategory[]>;
}

export interface LedgerStore {
  /** Appends records; a record identical to one already stored is not appended twice. Returns the stored rows. */
  append(records: NewLedgerRecord[]): Promise<LedgerRecord[]>;
  historyOf(customerId: CustomerId): Promise<LedgerRecord[]>;
}

export interface SuppressionStore {
  add(suppression: NewSuppression): Promise<Suppression>;
  /** Every suppression ever recorded for this channel address (normalised). */
  forAddress(channel: Channel, address: string): Promise<Suppression[]>;
  /**
   * Appends a lift: of an unsubscribe always, of a manual entry, hard bounce or complaint only with a
   * note (SUPPRESSION_LIFT_NEEDS_NOTE), of a Robinson entry never (SUPPRESSION_NOT_LIFTABLE); see `liftStorable`.
   */
  lift(lift: SuppressionLift): Promise<void>;
}

/** What `decide` needs about one customer. */
export interface DecisionRecords {
  customer: Customer;
  orders: OrderWithCategory[];
  ledger: LedgerRecord[];
  /**
   * Suppressions of the customer's address on the channel asked about; with `'every'`, those of the
   * customer's address on each channel (each row names its channel: filter before `decide`).
   */
  suppressions: Suppression[];
}

export interface DecisionRecordsStore {
  /**
   * Everything `decide` needs about the customer, read together in one query; null when there is no
   * such customer. `'every'`: the suppressions of every channel, for all purposes × channels at once.
   */
  recordsFor(customerId: CustomerId, channel: Channel | 'every'): Promise<DecisionRecords | null>;
  /**
   * `recordsFor` and the product of `sku` in the same round trip (what one decision reads).
   * `product`: null when `sku` is null, undefined when no product has that SKU.
   */
  recordsAndProduct(customerId: CustomerId, channel: Channel | 'every', sku: Sku | null): Promise<DecisionRecordsAndProduct>;
}

export interface DecisionRecordsAndProduct {
  /** null when there is no such customer. */
  records: DecisionRecords | null;
  product: Product | null | undefined;
}

export interface AuditEntry {
  at: Instant;
  actor: string;
  role: string;
  action: string;
  customerId: string | null;
  detail: Record<string, unknown>;
}

export interface AuditLog {
  record(entry: AuditEntry): Promise<void>;
  forCustomer(customerId: CustomerId): Promise<AuditEntry[]>;
}

export interface AudienceFilter {
  /** Customer attribute equals a value. */
  attribute?: { name: 'kind' | 'locale' | 'postalCode' | 'city' | 'country'; value: string };
  /** Has ordered this product (by sku) ... */
  orderedSku?: Sku;
  /** ... or anything in this category ... */
  orderedCategory?: string;
  /** ... started on or after this time (alone: any order since then). */
  orderedSince?: Instant;
  /** Postcode areas: postcodes starting with any of these digit strings (e.g. `33`, `34` around Tampere). */
  postalCodePrefixes?: readonly string[];
  /** Only these customers (a sending batch being re-checked). */
  customerIds?: readonly CustomerId[];
  /** Not the customers who got one of these campaigns (a delivery sent, or queued or being sent): the same offer not twice. */
  excludeRecipientsOf?: readonly number[];
  /** Members of this segment as last computed (profiling: nobody who objected is a member). */
  segment?: number;
}

export interface AudienceQuery {
  purpose: Purpose;
  channel: Channel;
  /** The marketed product's category, when a product is marketed. */
  productCategory: string | null;
  at: Instant;
  /** Orders ended on or after this instant still carry soft opt-in. */
  softOptInWindowStart: Instant;
  /** Phone Robinson entries without an end made after this instant are still valid. */
  phoneRobinsonSince: Instant;
  filter: AudienceFilter;
}

/** Customers that share the same eligibility facts, and how many they are. */
export interface FactGroup {
  facts: EligibilityFacts;
  customers: number;
}

export interface AudienceStore {
  /**
   * Writes one delivery row per audience customer with its launch verdict, set-based (the facts
   * query once for the distinct combinations, once joined into the insert). Returns the rows written.
   */
  materialise(query: AudienceQuery, target: LaunchTarget): Promise<number>;
  /** The audience grouped by eligibility facts: one set-based query over all customers. */
  factGroups(query: AudienceQuery): Promise<FactGroup[]>;
  /** Every customer of the audience with its facts, in id order, streamed in pages; with `startAfter`, only those with a greater id (keyset paging). */
  streamFacts(query: AudienceQuery, pageSize?: number, startAfter?: string): AsyncIterable<{ customerId: CustomerId; facts: EligibilityFacts }>;
  /**
   * Brings the per-customer summaries up to date for every customer whose records changed since
   * (in chunks, each its own transaction). Answers never depend on it; only their speed does.
   * Returns the number of customers refreshed.
   */
  refreshSummaries(): Promise<number>;
}
