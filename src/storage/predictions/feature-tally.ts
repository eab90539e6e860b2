/**
 * The prediction features tallied in one pass over the rows the store's statements return, in any
 * order: each admitted customer's place is found by id, so a row of someone not admitted (an
 * objector, or a customer not known at the features' time) is passed over. Pure: no I/O; the
 * statements (feature-reads.ts) decide which rows exist and compute each order's time flags.
 *
 * Per customer it keeps counts and the start times the features measure from (epoch milliseconds)
 * in typed arrays: a million customers take some 30 numbers each, and no object per customer.
 * `rows()` turns them into the feature vectors of `featureNames` (counts as they are, times as log
 * days before the features' time).
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

/** Days from `fromMs` to `toMs` as log1p, 0 when there is no such time (±Infinity: no order). */
const logDays = (fromMs: number, toMs: number): number => (Number.isFinite(fromMs) ? Math.log1p(Math.max(0, (toMs - fromMs) / DAY_MS)) : 0);

/** One more at `i` (typed arrays start at 0). */
function bump(counts: Int32Array, i: number): void {
  counts[i] = (counts[i] ?? 0) + 1;
}

export class FeatureTally {
  private readonly index = new Map<string, number>();
  private readonly n: number;
  private readonly orders: Int32Array;
  private readonly active: Int32Array;
  private readonly trials: Int32Array;
  private readonly focusOrders: Int32Array;
  private readonly focusActive: Int32Array;
  private readonly focusTrials: Int32Array;
  private readonly focusRecentTrial: Uint8Array;
  private readonly focusRunningRecent: Int32Array;
  /** Per customer, one count per category then one per sales channel. */
  private readonly perKind: Int32Array;
  /** Epoch ms; −Infinity (latest) or +Infinity (earliest) until an order is seen. */
  private readonly lastStart: Float64Array;
  private readonly firstStart: Float64Array;
  private readonly lastActiveStart: Float64Array;
  private readonly opens: Int32Array;
  private readonly clicks: Int32Array;
  private readonly labels: Uint8Array;
  private readonly topicFlags: Uint8Array;
  /** Per product: its category's position in `categories` (−1: none) and whether it is in focus. */
  private readonly skuCategory = new Map<string, { position: number; focus: boolean }>();
  private readonly channelPosition = new Map<string, number>(SALES_CHANNELS.map((s, i) => [s, i]));
  private readonly topicPosition: Map<string, number>;
  private readonly kinds: number;

  /**
   * `customerIds`: the admitted customers, in the order the rows come out. `products`: every product's
   * sku and category. `spec.category`: the focus (null: every order is in focus).
   */
  constructor(
    readonly customerIds: readonly string[],
    products: Iterable<readonly [string, string]>,
    private readonly spec: ModelSpec,
    private readonly categories: readonly string[],
    private readonly topics: readonly string[],
  ) {
    const n = customerIds.length;
    this.n = n;
    customerIds.forEach((id, i) => this.index.set(id, i));
    const categoryPosition = new Map(categories.map((c, i) => [c, i]));
    for (const [sku, category] of products) {
      this.skuCategory.set(sku, { position: categoryPosition.get(category) ?? -1, focus: spec.category === null || spec.category === category });
    }
    this.topicPosition = new Map(topics.map((t, i) => [t, i]));
    this.kinds = categories.length + SALES_CHANNELS.length;
    this.orders = new Int32Array(n);
    this.active = new Int32Array(n);
    this.trials = new Int32Array(n);
    this.focusOrders = new Int32Array(n);
    this.focusActive = new Int32Array(n);
    this.focusTrials = new Int32Array(n);
    this.focusRecentTrial = new Uint8Array(n);
    this.focusRunningRecent = new Int32Array(n);
    this.perKind = new Int32Array(n * this.kinds);
    this.lastStart = new Float64Array(n).fill(-Infinity);
    this.firstStart = new Float64Array(n).fill(Infinity);
    this.lastActiveStart = new Float64Array(n).fill(-Infinity);
    this.opens = new Int32Array(n);
    this.clicks = new Int32Array(n);
    this.labels = new Uint8Array(n);
    this.topicFlags = new Uint8Array(n * topics.length);
  }

  /** One order started by the features' time (`startedMs`, epoch ms); `bits` from ORDER_BITS. */
  addOrder(customerId: string, sku: string, soldVia: string, startedMs: number, bits: number): void {
    const i = this.index.get(customerId);
    if (i === undefined) return;
    const product = this.skuCategory.get(sku);
    // An order joins its product (orders.sku references products): one without is not read.
    if (product === undefined) return;
    const running = (bits & ORDER_BITS.running) !== 0;
    const trial = (bits & ORDER_BITS.trial) !== 0;
    bump(this.orders, i);
    if (startedMs > (this.lastStart[i] ?? Infinity)) this.lastStart[i] = startedMs;
    if (startedMs < (this.firstStart[i] ?? -Infinity)) this.firstStart[i] = startedMs;
    if (running) {
      bump(this.active, i);
      if (startedMs > (this.lastActiveStart[i] ?? Infinity)) this.lastActiveStart[i] = startedMs;
    }
    if (trial) bump(this.trials, i);
    if (product.focus) {
      bump(this.focusOrders, i);
      if (running) {
        bump(this.focusActive, i);
        if ((bits & ORDER_BITS.startedRecently) !== 0) bump(this.focusRunningRecent, i);
      }
      if (trial) {
        bump(this.focusTrials, i);
        if ((bits & ORDER_BITS.endedRecently) !== 0) this.focusRecentTrial[i] = 1;
      }
    }
    const base = i * this.kinds;
    if (product.position >= 0) bump(this.perKind, base + product.position);
    const channel = this.channelPosition.get(soldVia);
    if (channel !== undefined) bump(this.perKind, base + this.categories.length + channel);
  }

  /** Opens and clicks in the engagement window (one row per customer). */
  addEngagement(customerId: string, opens: number, clicks: number): void {
    const i = this.index.get(customerId);
    if (i === undefined) return;
    this.opens[i] = opens;
    this.clicks[i] = clicks;
  }

  /** The label event happened to this customer in the label window. */
  addLabel(customerId: string): void {
    const i = this.index.get(customerId);
    if (i !== undefined) this.labels[i] = 1;
  }

  /** The customer's latest stated record on `topic` by the features' time is `interested`. */
  addInterest(customerId: string, topic: string): void {
    const i = this.index.get(customerId);
    const t = this.topicPosition.get(topic);
    if (i !== undefined && t !== undefined) this.topicFlags[i * this.topics.length + t] = 1;
  }

  /**
   * The feature vectors as of `featuresAt` (epoch ms), in the customers' order; with `known`, only
   * the customers it marks 1 or who have an order by then (an import records old customers later
   * than they became customers). `withLabels`: the label of each row, for training.
   */
  rows(featuresAt: number, opts: { known?: Uint8Array; withLabels: boolean }): FeatureRows {
    const names = featureNames(this.categories, this.topics);
    const d = names.length;
    const kept: number[] = [];
    for (let i = 0; i < this.n; i++) if (opts.known === undefined || opts.known[i] === 1 || (this.orders[i] ?? 0) > 0) kept.push(i);
    const m = kept.length;
    const values = new Float64Array(m * d);
    const customerIds = new Array<string>(m);
    const labels = opts.withLabels ? new Uint8Array(m) : undefined;
    const eligible = this.spec.kind === 'churn' ? new Uint8Array(m) : undefined;
    const topicCount = this.topics.length;
    for (let r = 0; r < m; r++) {
      const i = kept[r] ?? 0;
      customerIds[r] = this.customerIds[i] ?? '';
      const orders = this.orders[i] ?? 0;
      const base = r * d;
      values[base] = orders > 0 ? 1 : 0;
      values[base + 1] = Math.log1p(orders);
      values[base + 2] = logDays(this.lastStart[i] ?? NaN, featuresAt);
      values[base + 3] = logDays(this.firstStart[i] ?? NaN, featuresAt);
      values[base + 4] = this.active[i] ?? 0;
      values[base + 5] = logDays(this.lastActiveStart[i] ?? NaN, featuresAt);
      values[base + 6] = this.trials[i] ?? 0;
      values[base + 7] = this.focusOrders[i] ?? 0;
      values[base + 8] = this.focusActive[i] ?? 0;
      values[base + 9] = this.focusTrials[i] ?? 0;
      values[base + 10] = this.focusRecentTrial[i] ?? 0;
      values[base + 11] = this.focusRunningRecent[i] ?? 0;
      values[base + 12] = Math.log1p(this.opens[i] ?? 0);
      values[base + 13] = Math.log1p(this.clicks[i] ?? 0);
      // Element by element: a subarray view per customer cost more than the copying.
      for (let k = 0; k < this.kinds; k++) values[base + 14 + k] = this.perKind[i * this.kinds + k] ?? 0;
      for (let t = 0; t < topicCount; t++) values[base + 14 + this.kinds + t] = this.topicFlags[i * topicCount + t] ?? 0;
      if (labels !== undefined) labels[r] = this.labels[i] ?? 0;
      // Churn: only a subscription running (in the category, if one is named) can end.
      if (eligible !== undefined) eligible[r] = ((this.spec.category === null ? this.active[i] : this.focusActive[i]) ?? 0) > 0 ? 1 : 0;
    }
    return { names, customerIds, values, ...(labels === undefined ? {} : { labels }), ...(eligible === undefined ? {} : { eligible }) };
  }
}
