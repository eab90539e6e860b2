/**
 * The prediction features tallied in one pass over the rows the store's statements return, in any
 * order: each row's customer is found by id among every customer (in the store's id order), and
 * only the admitted ones come out, so a row of someone not admitted (an objector, or a customer not
 * known at the features' time) counts for no one. Pure: no I/O; the statements (feature-reads.ts)
 * decide which rows exist and compute each order's time flags.
 *
 * Finding a customer: rows mostly come in id order (a table written as imported, or a grouped
 * statement), so the place of the row before and the few after it are tried first; then a binary
 * search by JS string order; and only if the store orders ids otherwise (a collation), a hash map.
 * A map of a million ids cost some 2 s to build and query, most of the features' time in JS.
 *
 * It counts straight into the feature matrix, one row per customer in the order of `featureNames`
 * (the start times the features measure from kept there as epoch milliseconds until the end), and
 * `rows()` turns the counts and times into features in place (counts as they are, times as log days
 * before the features' time) and moves the admitted customers' rows up. One matrix and no object
 * per customer: first touching fresh memory is slow here (200 MB, the matrix of a million customers,
 * took 1.5 s), so there is no second copy.
 */
import { SALES_CHANNELS } from '../../core/vocabulary.ts';
import type { FeatureRows, ModelSpec } from '../../core/predictions/model.ts';

const DAY_MS = 86_400_000;

/** An order's time flags, as the orders' statement packs them (one bit each). */
export const ORDER_BITS = {
  /** Not ended by the features' time. */
  running: 1,
  /** Ended by the features' time, at most TRIAL_MAX_DAYS after it started. */
  trial: 2,
  /** Ended within RECENT_TRIAL_DAYS before the features' time. */
  endedRecently: 4,
  /** Started within TRIAL_MAX_DAYS before the features' time. */
  startedRecently: 8,
} as const;

/** The feature names, in coefficient order, for the given categories and interest topics. */
export function featureNames(categories: readonly string[], topics: readonly string[] = []): string[] {
  return [
    'has_orders',
    'orders_log',
    'recency_log',
    'tenure_log',
    'active',
    'latest_active_age_log',
    'trials',
    'focus_orders',
    'focus_active',
    'focus_trials',
    'focus_recent_trial',
    'focus_running_recent',
    'opens_90d_log',
    'clicks_90d_log',
    ...categories.map((c) => `category:${c}`),
    ...SALES_CHANNELS.map((s) => `sold_via:${s}`),
    ...topics.map((t) => `interest:${t}`),
  ];
}

/** Days from `fromMs` to `toMs` as log1p. */
const logDays = (fromMs: number, toMs: number): number => Math.log1p(Math.max(0, (toMs - fromMs) / DAY_MS));

/** Places after the last row's customer tried one by one before a binary search. */
const NEARBY = 8;

/** Each feature's column in a row (featureNames); 14 on: per category, per sales channel, per topic. */
const COL = {
  hasOrders: 0,
  /** The count of orders, then its log. */
  orders: 1,
  /** The latest start (epoch ms), then log days since. */
  lastStart: 2,
  /** The earliest start (epoch ms), then log days since. */
  firstStart: 3,
  active: 4,
  /** The latest start of a running order (epoch ms), then log days since. */
  lastActiveStart: 5,
  trials: 6,
  focusOrders: 7,
  focusActive: 8,
  focusTrials: 9,
  focusRecentTrial: 10,
  focusRunningRecent: 11,
  /** Opens, then their log. */
  opens: 12,
  /** Clicks, then their log. */
  clicks: 13,
  kinds: 14,
} as const;

export class FeatureTally {
  /** Built only if the ids are not in JS string order. */
  private index: Map<string, number> | null = null;
  /** The place of the last row's customer. */
  private last = 0;
  private readonly d: number;
  /** One row of `d` per customer of `customerIds`. */
  private readonly matrix: Float64Array;
  private readonly labels: Uint8Array;
  /** Per product: its category's column (−1: none) and whether it is in focus. */
  private readonly skuCategory = new Map<string, { column: number; focus: boolean }>();
  private readonly channelColumn: Map<string, number>;
  private readonly topicColumn: Map<string, number>;

  /**
   * `customerIds`: every customer, in the order the rows come out; `admitted[i]` 1 when the i-th may be
   * profiled. `products`: every product's sku and category. `spec.category`: the focus (null: every
   * order is in focus).
   */
  constructor(
    readonly customerIds: readonly string[],
    private readonly admitted: Uint8Array,
    products: Iterable<readonly [string, string]>,
    private readonly spec: ModelSpec,
    private readonly categories: readonly string[],
    private readonly topics: readonly string[],
  ) {
    this.d = featureNames(categories, topics).length;
    const categoryColumn = new Map(categories.map((c, i) => [c, COL.kinds + i]));
    for (const [sku, category] of products) {
      this.skuCategory.set(sku, { column: categoryColumn.get(category) ?? -1, focus: spec.category === null || spec.category === category });
    }
    this.channelColumn = new Map(SALES_CHANNELS.map((s, i) => [s, COL.kinds + categories.length + i]));
    this.topicColumn = new Map(topics.map((t, i) => [t, COL.kinds + categories.length + SALES_CHANNELS.length + i]));
    this.matrix = new Float64Array(customerIds.length * this.d);
    this.labels = new Uint8Array(customerIds.length);
  }

  /** The customer's place in `customerIds`, or −1 (not a customer). */
  private place(id: string): number {
    const ids = this.customerIds;
    // The same customer, or one a few places on (customers without orders in between).
    for (let k = this.last, end = Math.min(ids.length, this.last + NEARBY); k < end; k++) if (ids[k] === id) return (this.last = k);
    let lo = 0;
    let hi = ids.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const at = ids[mid] ?? '';
      if (at === id) return (this.last = mid);
      if (at < id) lo = mid + 1;
      else hi = mid - 1;
    }
    if (this.index === null) {
      const index = new Map<string, number>();
      ids.forEach((v, i) => index.set(v, i));
      this.index = index;
    }
    const found = this.index.get(id);
    if (found === undefined) return -1;
    return (this.last = found);
  }

  /** One more in column `column` of the row at `base`. */
  private bump(base: number, column: number): void {
    this.matrix[base + column] = (this.matrix[base + column] ?? 0) + 1;
  }

  /** One order started by the features' time (`startedMs`, epoch ms); `bits` from ORDER_BITS. */
  addOrder(customerId: string, sku: string, soldVia: string, startedMs: number, bits: number): void {
    const i = this.place(customerId);
    if (i < 0) return;
    const product = this.skuCategory.get(sku);
    // An order joins its product (orders.sku references products): one without is not read.
    if (product === undefined) return;
    const m = this.matrix;
    const base = i * this.d;
    const running = (bits & ORDER_BITS.running) !== 0;
    const trial = (bits & ORDER_BITS.trial) !== 0;
    const firstOrder = m[base + COL.orders] === 0;
    this.bump(base, COL.orders);
    if (firstOrder || startedMs > (m[base + COL.lastStart] ?? 0)) m[base + COL.lastStart] = startedMs;
    if (firstOrder || startedMs < (m[base + COL.firstStart] ?? 0)) m[base + COL.firstStart] = startedMs;
    if (running) {
      if (m[base + COL.active] === 0 || startedMs > (m[base + COL.lastActiveStart] ?? 0)) m[base + COL.lastActiveStart] = startedMs;
      this.bump(base, COL.active);
    }
    if (trial) this.bump(base, COL.trials);
    if (product.focus) {
      this.bump(base, COL.focusOrders);
      if (running) {
        this.bump(base, COL.focusActive);
        if ((bits & ORDER_BITS.startedRecently) !== 0) this.bump(base, COL.focusRunningRecent);
      }
      if (trial) {
        this.bump(base, COL.focusTrials);
        if ((bits & ORDER_BITS.endedRecently) !== 0) m[base + COL.focusRecentTrial] = 1;
      }
    }
    if (product.column >= 0) this.bump(base, product.column);
    const channel = this.channelColumn.get(soldVia);
    if (channel !== undefined) this.bump(base, channel);
  }

  /** Opens and clicks in the engagement window (one row per customer). */
  addEngagement(customerId: string, opens: number, clicks: number): void {
    const i = this.place(customerId);
    if (i < 0) return;
    this.matrix[i * this.d + COL.opens] = opens;
    this.matrix[i * this.d + COL.clicks] = clicks;
  }

  /** The label event happened to this customer in the label window. */
  addLabel(customerId: string): void {
    const i = this.place(customerId);
    if (i >= 0) this.labels[i] = 1;
  }

  /** The customer's latest stated record on `topic` by the features' time is `interested`. */
  addInterest(customerId: string, topic: string): void {
    const t = this.topicColumn.get(topic);
    if (t === undefined) return;
    const i = this.place(customerId);
    if (i >= 0) this.matrix[i * this.d + t] = 1;
  }

  /**
   * The feature vectors of the admitted customers as of `featuresAt` (epoch ms), in the customers'
   * order; with `known`, only those it marks 1 or who have an order by then (an import records old
   * customers later than they became customers). `withLabels`: the label of each row, for training.
   * Once: the matrix is turned into features in place.
   */
  rows(featuresAt: number, opts: { known?: Uint8Array; withLabels: boolean }): FeatureRows {
    const d = this.d;
    const m = this.matrix;
    const n = this.customerIds.length;
    const customerIds: string[] = [];
    const labels: number[] = [];
    const eligible: number[] = [];
    const churn = this.spec.kind === 'churn';
    for (let i = 0; i < n; i++) {
      const from = i * d;
      const orders = m[from + COL.orders] ?? 0;
      if (this.admitted[i] !== 1 || !(opts.known === undefined || opts.known[i] === 1 || orders > 0)) continue;
      const r = customerIds.length;
      const base = r * d;
      // Rows only move up (r ≤ i): a kept row is read before anything is written over it.
      if (base !== from) m.copyWithin(base, from, from + d);
      customerIds.push(this.customerIds[i] ?? '');
      if (opts.withLabels) labels.push(this.labels[i] ?? 0);
      // Churn: only a subscription running (in the category, if one is named) can end.
      if (churn) eligible.push((m[base + (this.spec.category === null ? COL.active : COL.focusActive)] ?? 0) > 0 ? 1 : 0);
      m[base + COL.hasOrders] = orders > 0 ? 1 : 0;
      m[base + COL.orders] = Math.log1p(orders);
      m[base + COL.lastStart] = orders > 0 ? logDays(m[base + COL.lastStart] ?? 0, featuresAt) : 0;
      m[base + COL.firstStart] = orders > 0 ? logDays(m[base + COL.firstStart] ?? 0, featuresAt) : 0;
      m[base + COL.lastActiveStart] = (m[base + COL.active] ?? 0) > 0 ? logDays(m[base + COL.lastActiveStart] ?? 0, featuresAt) : 0;
      m[base + COL.opens] = Math.log1p(m[base + COL.opens] ?? 0);
      m[base + COL.clicks] = Math.log1p(m[base + COL.clicks] ?? 0);
    }
    return {
      names: featureNames(this.categories, this.topics),
      customerIds,
      values: m.subarray(0, customerIds.length * d),
      ...(opts.withLabels ? { labels: Uint8Array.from(labels) } : {}),
      ...(churn ? { eligible: Uint8Array.from(eligible) } : {}),
    };
  }
}
