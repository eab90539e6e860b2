/**
 * Deterministic demo data for a Finnish media house, as NDJSON import records.
 *
 * Records stream in dependency order (products, then per customer: the customer, its orders,
 * consents, objections, suppressions) so a streaming importer always sees what a record refers to.
 * Each customer draws from its own PRNG seeded by (seed, index): memory stays flat for a million
 * customers, and a run with fewer customers is an exact prefix of a longer one.
 */
import type { Channel, Purpose, SalesChannel } from '../core/vocabulary.ts';
import { postalKey } from '../core/addresses.ts';
import { CATALOGUE, PRODUCT_WEIGHTS } from './catalogue.ts';
import type {
  DemoConsent,
  DemoCustomer,
  DemoObjection,
  DemoOptions,
  DemoOrder,
  DemoRecord,
  DemoSuppression,
} from './demo-records.ts';
import { makeBusiness, makePerson, type Identity } from './people.ts';
import { Rng, hashSeed, type Weighted } from './random.ts';

export type {
  DemoAddress,
  DemoConsent,
  DemoCustomer,
  DemoObjection,
  DemoOptions,
  DemoOrder,
  DemoProduct,
  DemoRecord,
  DemoSuppression,
} from './demo-records.ts';

export const DEFAULT_DEMO_NOW = '2026-11-01T00:00:00.000Z';
/** The register's history starts here (GDPR-era clean-up of the customer base). */
export const DEMO_EPOCH = '2018-01-01T00:00:00.000Z';

const DAY = 86_400_000;
const EPOCH_MS = Date.parse(DEMO_EPOCH);
/** Legacy marketing permissions migrated from the old subscription system just before GDPR applied. */
const IMPORT_MS = Date.parse('2018-05-20T21:00:00.000Z');

/** Privacy-notice versions in force from the given time; a consent cites the one its collector showed. */
const NOTICE_VERSIONS: readonly (readonly [number, string])[] = [
  [Date.parse('2017-12-01T00:00:00.000Z'), '2017-12'],
  [Date.parse('2018-05-25T00:00:00.000Z'), '2018-05'],
  [Date.parse('2020-02-01T00:00:00.000Z'), '2020-02'],
  [Date.parse('2022-09-01T00:00:00.000Z'), '2022-09'],
  [Date.parse('2024-05-01T00:00:00.000Z'), '2024-05'],
  [Date.parse('2025-10-01T00:00:00.000Z'), '2025-10'],
];

const ORDER_COUNTS: Weighted<number> = [[0, 4], [1, 25], [2, 25], [3, 20], [4, 12], [5, 8], [6, 4], [7, 2]];
const SALES_CHANNELS: Weighted<SalesChannel> = [['web', 40], ['telesales', 25], ['field_sale', 10], ['event', 7], ['service', 18]];
/** Door-to-door and fair sales forget the refusal prompt most often; overall ≈ 85 % offered. */
const OPT_OUT_OFFERED: Record<SalesChannel, number> = { web: 0.95, telesales: 0.8, field_sale: 0.7, event: 0.7, service: 0.85 };
/** Where a consent collected together with an order comes from. */
const SOURCE_BY_SALE: Record<SalesChannel, string> = {
  web: 'web_form',
  telesales: 'telesales_call',
  field_sale: 'field_sale',
  event: 'event',
  service: 'customer_service',
};
const STANDALONE_SOURCES: Weighted<string> = [['web_form', 45], ['competition', 20], ['preference_centre', 15], ['customer_service', 10], ['event', 10]];

interface OrderFacts {
  startMs: number;
  soldVia: SalesChannel;
}

/** What the per-customer steps share. */
interface Ctx {
  rng: Rng;
  id: string;
  customer: DemoCustomer;
  orders: OrderFacts[];
  /** Ledger entries come after the first order (or after the epoch for customers without one). */
  firstMs: number;
  nowMs: number;
}

const iso = (ms: number): string => new Date(ms).toISOString();

function noticeVersionAt(ms: number): string | undefined {
  let version: string | undefined;
  for (const [from, v] of NOTICE_VERSIONS) if (from <= ms) version = v;
  return version;
}

function addMonths(ms: number, months: number): number {
  const d = new Date(ms);
  d.setUTCMonth(d.getUTCMonth() + months);
  return d.getTime();
}

type OrderKind = 'continuous' | 'fixed' | 'trial';

function orderEnd(rng: Rng, startMs: number, nowMs: number): { end: number | null; kind: OrderKind } {
  const kind = rng.weighted<OrderKind>([['continuous', 45], ['fixed', 40], ['trial', 15]]);
  if (kind === 'trial') return { end: startMs + rng.int(14, 92) * DAY, kind };
  // A fixed term keeps its end date even when it lies ahead: the subscription is still running.
  if (kind === 'fixed') return { end: addMonths(startMs, rng.pick([3, 6, 12, 12, 24])), kind };
  // Continuous ("kestotilaus") runs until cancelled; a cancellation can only have happened by now.
  if (!rng.chance(0.45)) return { end: null, kind };
  const end = rng.timeBetween(startMs + 30 * DAY, startMs + 5 * 365 * DAY);
  return { end: end < nowMs ? end : null, kind };
}

/**
 * Who subscribes after a trial (the pattern the purchase predictions should find;
 * docs/segments-and-predictions.md): a trial reader converts to a continuous subscription of the
 * same title, starting 0–14 days after the trial ends, with probability 15 % plus 35 points when they
 * had subscribed in the same category before the trial, plus 15 points when they took the trial on
 * the web themselves, plus 5 points per earlier order (at most 15). Drawn from a PRNG of its own, so
 * every other record of the demo is what it was without the pattern.
 */
function conversionChance(trial: { soldVia: SalesChannel }, earlierOrders: number, earlierInCategory: boolean): number {
  return 0.15 + (earlierInCategory ? 0.35 : 0) + (trial.soldVia === 'web' ? 0.15 : 0) + Math.min(3, earlierOrders) * 0.05;
}

interface TrialFacts {
  sku: string;
  category: string;
  startMs: number;
  endMs: number;
  soldVia: SalesChannel;
}

function* makeConversions(ctx: Ctx, seed: number, index: number, trials: readonly TrialFacts[], history: readonly TrialFacts[], nextOrderId: () => string): Generator<DemoOrder> {
  if (trials.length === 0) return;
  const rng = new Rng(hashSeed(seed, index, 0x7121a1));
  for (const trial of trials) {
    const earlier = history.filter((o) => o.startMs < trial.startMs);
    const chance = conversionChance(trial, earlier.length, earlier.some((o) => o.category === trial.category));
    if (!rng.chance(chance)) continue;
    const startMs = trial.endMs + rng.int(0, 14) * DAY;
    if (startMs >= ctx.nowMs - DAY) continue;
    const soldVia = rng.weighted<SalesChannel>([['web', 60], ['telesales', 30], ['service', 10]]);
    const cancelled = rng.chance(0.3) ? rng.timeBetween(startMs + 30 * DAY, startMs + 3 * 365 * DAY) : null;
    yield {
      type: 'order',
      id: nextOrderId(),
      customerId: ctx.id,
      sku: trial.sku,
      startedAt: iso(saleTime(rng, startMs, soldVia)),
      endedAt: cancelled === null || cancelled >= ctx.nowMs ? null : iso(cancelled),
      soldVia,
      optOutOffered: rng.chance(OPT_OUT_OFFERED[soldVia]),
    };
  }
}

/** Phone, door-to-door and fair sales happen in the daytime (06–17 UTC is 08/09–19/20 in Finland); web orders any time. */
function saleTime(rng: Rng, ms: number, soldVia: SalesChannel): number {
  if (soldVia === 'web') return ms;
  return ms - (ms % DAY) + rng.int(6 * 3600, 17 * 3600) * 1000;
}

function* makeOrders(
  ctx: Ctx,
  audience: 'fi' | 'sv' | 'business',
  nextOrderId: () => string,
  trials: TrialFacts[] = [],
  history: TrialFacts[] = [],
): Generator<DemoOrder> {
  const { rng, nowMs } = ctx;
  const count = rng.weighted(ORDER_COUNTS);
  // Independent uniform starts, sorted: spreads a customer's history over the years instead of
  // piling later orders up just before "now" as chained draws would.
  const sales: OrderFacts[] = [];
  for (let n = 0; n < count; n++) {
    const soldVia = rng.weighted(SALES_CHANNELS);
    sales.push({ startMs: saleTime(rng, rng.timeBetween(EPOCH_MS, nowMs - DAY), soldVia), soldVia });
  }
  sales.sort((a, b) => a.startMs - b.startMs);
  const live: { sku: string; endMs: number | null }[] = [];
  for (const { startMs, soldVia } of sales) {
    // A customer rarely buys a title they already have running; re-draw a couple of times.
    let product = rng.weighted(PRODUCT_WEIGHTS[audience]);
    for (let tries = 0; tries < 3 && live.some((o) => o.sku === product.sku && (o.endMs === null || o.endMs > startMs)); tries++) {
      product = rng.weighted(PRODUCT_WEIGHTS[audience]);
    }
    const { end, kind } = orderEnd(rng, startMs, nowMs);
    live.push({ sku: product.sku, endMs: end });
    const facts = { sku: product.sku, category: product.category, startMs, endMs: end ?? nowMs, soldVia };
    history.push(facts);
    if (kind === 'trial' && end !== null && end < nowMs) trials.push(facts);
    ctx.orders.push({ startMs, soldVia });
    yield {
      type: 'order',
      id: nextOrderId(),
      customerId: ctx.id,
      sku: product.sku,
      startedAt: iso(startMs),
      endedAt: end === null ? null : iso(end),
      soldVia,
      optOutOffered: rng.chance(OPT_OUT_OFFERED[soldVia]),
    };
  }
  // Orders are in start order, so the first one opens the customer's history.
  const first = ctx.orders[0];
  if (first) ctx.firstMs = first.startMs;
}

/** When and where a consent was given: mostly alongside an order, otherwise on its own. */
function ledgerMoment(ctx: Ctx): { at: number; source: string; noticeVersion?: string } {
  const { rng, orders, firstMs, nowMs } = ctx;
  if (orders.length > 0 && rng.chance(0.6)) {
    const order = rng.pick(orders);
    const at = Math.min(order.startMs + rng.int(0, 600) * 1000, nowMs - 1000);
    return withNotice(at, SOURCE_BY_SALE[order.soldVia]);
  }
  if (firstMs <= IMPORT_MS && rng.chance(0.25)) {
    // Migrated permissions predate any notice the register can cite.
    return { at: IMPORT_MS, source: 'import' };
  }
  return withNotice(rng.timeBetween(firstMs, nowMs), rng.weighted(STANDALONE_SOURCES));
}

function withNotice(at: number, source: string): { at: number; source: string; noticeVersion?: string } {
  const noticeVersion = noticeVersionAt(at);
  return noticeVersion === undefined ? { at, source } : { at, source, noticeVersion };
}

function consent(
  ctx: Ctx,
  purpose: Purpose,
  channel: Channel | undefined,
  moment: { at: number; source: string; noticeVersion?: string },
  value: 'granted' | 'withdrawn' = 'granted',
): DemoConsent {
  const at = iso(moment.at);
  const { source } = moment;
  // Built literally rather than by assignment so the JSON keys come out in the contract's order.
  const record: DemoConsent =
    channel === undefined
      ? { type: 'consent', customerId: ctx.id, purpose, value, at, source }
      : { type: 'consent', customerId: ctx.id, purpose, channel, value, at, source };
  if (moment.noticeVersion !== undefined) record.noticeVersion = moment.noticeVersion;
  return record;
}

/** A grant, and with probability `withdrawP` a later withdrawal on the same purpose and channel. */
function grant(
  ctx: Ctx,
  out: DemoConsent[],
  purpose: Purpose,
  channel: Channel | undefined,
  withdrawP: number,
  withdrawSources: Weighted<string>,
  moment = ledgerMoment(ctx),
): void {
  out.push(consent(ctx, purpose, channel, moment));
  if (ctx.rng.chance(withdrawP) && moment.at + DAY < ctx.nowMs) {
    const at = ctx.rng.timeBetween(moment.at + DAY, ctx.nowMs);
    out.push(consent(ctx, purpose, channel, { at, source: ctx.rng.weighted(withdrawSources) }, 'withdrawn'));
  }
}

const EMAIL_WITHDRAW: Weighted<string> = [['unsubscribe_link', 70], ['preference_centre', 20], ['customer_service', 10]];
const SMS_WITHDRAW: Weighted<string> = [['sms_stop', 70], ['preference_centre', 15], ['customer_service', 15]];
const WEB_WITHDRAW: Weighted<string> = [['cookie_banner', 60], ['preference_centre', 40]];
const OTHER_WITHDRAW: Weighted<string> = [['preference_centre', 60], ['customer_service', 40]];

function makeConsents(ctx: Ctx): DemoConsent[] {
  const { rng, customer } = ctx;
  const out: DemoConsent[] = [];
  const business = customer.kind === 'business';
  const email = customer.email !== undefined;
  const phone = customer.phone !== undefined;
  // B2B marketing runs mostly on opt-out, so businesses give fewer explicit consents.
  if (email && rng.chance(business ? 0.2 : 0.39)) grant(ctx, out, 'marketing', 'email', 0.23, EMAIL_WITHDRAW);
  if (phone && rng.chance(business ? 0.05 : 0.2)) grant(ctx, out, 'marketing', 'sms', 0.15, SMS_WITHDRAW);
  if (customer.address !== undefined && !business && rng.chance(0.01)) {
    // "No more direct mail, please", told to customer service.
    out.push(consent(ctx, 'marketing', 'post', { at: rng.timeBetween(ctx.firstMs, ctx.nowMs), source: 'customer_service' }, 'withdrawn'));
  }
  if (!business && rng.chance(0.1)) grant(ctx, out, 'partner_marketing', email && rng.chance(0.7) ? 'email' : undefined, 0.1, OTHER_WITHDRAW);
  if (!business && rng.chance(0.18)) grant(ctx, out, 'ad_audience', undefined, 0.1, OTHER_WITHDRAW);
  if (rng.chance(0.22)) {
    const at = rng.timeBetween(ctx.firstMs, ctx.nowMs);
    grant(ctx, out, 'site_ads', 'web', 0.12, WEB_WITHDRAW, withNotice(at, 'cookie_banner'));
  }
  if (!business && rng.chance(0.07)) grant(ctx, out, 'profiling', undefined, 0.1, OTHER_WITHDRAW);
  const telesale = ctx.orders.find((o) => o.soldVia === 'telesales');
  if (telesale && phone && rng.chance(0.5)) {
    // Asked at the start of the sales call, so it shares the order's moment.
    out.push(consent(ctx, 'call_recording', 'phone', withNotice(telesale.startMs, 'telesales_call')));
  }
  if (!business && (email || phone) && rng.chance(0.04)) {
    const at = rng.timeBetween(ctx.firstMs, ctx.nowMs);
    grant(ctx, out, 'research', email ? 'email' : 'phone', 0.1, OTHER_WITHDRAW, withNotice(at, 'reader_panel'));
  }
  // Text order is time order for these instants; a stable sort keeps grant-before-withdrawal ties.
  return out.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
}

const OBJECTION_SOURCES: Weighted<string> = [['customer_service', 45], ['preference_centre', 30], ['email', 15], ['letter', 10]];

function makeObjections(ctx: Ctx): DemoObjection[] {
  const { rng } = ctx;
  // Art. 21 objections come from people; a company asking to be left alone is handled as an unsubscribe.
  if (ctx.customer.kind === 'business') return [];
  const out: DemoObjection[] = [];
  for (const [scope, p] of [['direct_marketing', 0.021], ['profiling', 0.0105]] as const) {
    if (rng.chance(p)) {
      const at = iso(rng.timeBetween(ctx.firstMs, ctx.nowMs));
      out.push({ type: 'objection', customerId: ctx.id, scope, at, source: rng.weighted(OBJECTION_SOURCES) });
    }
  }
  return out.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
}

function makeSuppressions(ctx: Ctx): DemoSuppression[] {
  const { rng, customer, nowMs, firstMs } = ctx;
  const out: DemoSuppression[] = [];
  if (customer.kind === 'person' && rng.chance(0.032)) {
    // The Robinson list is a consumer register for phone and addressed mail; entries predate the customer freely.
    const at = rng.timeBetween(EPOCH_MS, nowMs);
    // A share carry an end date so that expired entries exist in the demo too.
    const validUntil = rng.chance(0.3) ? iso(addMonths(at, 60)) : undefined;
    const robinson = (channel: Channel, address: string): DemoSuppression =>
      validUntil === undefined
        ? { type: 'suppression', channel, address, reason: 'robinson', at: iso(at) }
        : { type: 'suppression', channel, address, reason: 'robinson', at: iso(at), validUntil };
    const phoneEntry = customer.phone !== undefined && rng.chance(0.85);
    if (phoneEntry && customer.phone !== undefined) out.push(robinson('phone', customer.phone));
    if (customer.address !== undefined && (!phoneEntry || rng.chance(0.2))) out.push(robinson('post', postalKey(customer.address)));
  }
  if (customer.email !== undefined && rng.chance(0.011)) {
    out.push({ type: 'suppression', channel: 'email', address: customer.email, reason: 'hard_bounce', at: iso(rng.timeBetween(firstMs, nowMs)) });
  }
  if (rng.chance(0.011)) {
    const reason = rng.weighted<'complaint' | 'unsubscribe'>([['complaint', 30], ['unsubscribe', 70]]);
    const bySms = customer.phone !== undefined && (customer.email === undefined || rng.chance(0.2));
    const at = iso(rng.timeBetween(firstMs, nowMs));
    if (bySms && customer.phone !== undefined) out.push({ type: 'suppression', channel: 'sms', address: customer.phone, reason, at });
    else if (customer.email !== undefined) out.push({ type: 'suppression', channel: 'email', address: customer.email, reason, at });
  }
  return out;
}

function checkOptions(opts: DemoOptions): number {
  if (!Number.isSafeInteger(opts.customers) || opts.customers < 0) {
    throw new RangeError(`customers must be a non-negative integer, got ${opts.customers}`);
  }
  if (!Number.isFinite(opts.seed)) throw new RangeError(`seed must be a finite number, got ${opts.seed}`);
  const nowMs = Date.parse(opts.now ?? DEFAULT_DEMO_NOW);
  if (Number.isNaN(nowMs)) throw new RangeError(`now is not an ISO-8601 date: ${opts.now}`);
  if (nowMs < EPOCH_MS + 30 * DAY) throw new RangeError(`now must be after ${DEMO_EPOCH}, got ${opts.now}`);
  return nowMs;
}

export function* generateDemoRecords(opts: DemoOptions): Generator<DemoRecord> {
  const nowMs = checkOptions(opts);
  for (const p of CATALOGUE) yield { type: 'product', sku: p.sku, name: p.name, category: p.category, brand: p.brand };
  let orderSeq = 0;
  const nextOrderId = (): string => `O${String(++orderSeq).padStart(8, '0')}`;
  for (let index = 1; index <= opts.customers; index++) {
    const rng = new Rng(hashSeed(opts.seed, index));
    const identity: Identity = rng.chance(0.05) ? makeBusiness(rng, index, opts.seed) : makePerson(rng, index, opts.seed);
    const id = `C${String(index).padStart(7, '0')}`;
    // Spread keeps `id` right after `type` in the JSON line, which is easier to read.
    const { type, ...rest } = identity.customer;
    const customer: DemoCustomer = { type, id, ...rest };
    yield customer;
    const ctx: Ctx = { rng, id, customer, orders: [], firstMs: EPOCH_MS, nowMs };
    const audience = customer.kind === 'business' ? 'business' : identity.language === 'sv' ? 'sv' : 'fi';
    const trials: TrialFacts[] = [];
    const history: TrialFacts[] = [];
    yield* makeOrders(ctx, audience, nextOrderId, trials, history);
    yield* makeConversions(ctx, opts.seed, index, trials, history, nextOrderId);
    yield* makeConsents(ctx);
    yield* makeObjections(ctx);
    yield* makeSuppressions(ctx);
  }
}

/** One JSON line per record, each ending in "\n", ready to write to an .ndjson file or stream. */
export function* demoToNdjson(opts: DemoOptions): Generator<string> {
  for (const record of generateDemoRecords(opts)) yield `${JSON.stringify(record)}\n`;
}
