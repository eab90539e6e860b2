/**
 * `decide(customer, purpose, channel, product?, at)` of compliance.md §2 for one customer: reduces the
 * customer's records as of `at` to eligibility facts, applies `evaluate`, and names the evidence.
 * Records after `at` are ignored, so any past decision can be replayed.
 */
import { postalKey } from './addresses.ts';
import type { EligibilityFacts, SimilarOrderFacts } from './eligibility-facts.ts';
import { evaluate, type Verdict } from './evaluate.ts';
import type {
  ConsentRecord,
  Customer,
  Instant,
  LedgerRecord,
  ObjectionRecord,
  OrderWithCategory,
  Product,
  Suppression,
} from './records.ts';
import type { DecisionSettings } from './settings.ts';
import { minusMonths } from './time.ts';
import { MARKETING_SUPPRESSION_REASONS, type Channel, type ObjectionScope, type Purpose } from './vocabulary.ts';

export interface DecisionInput {
  customer: Customer;
  /** The customer's orders (any time; later ones are ignored here). */
  orders: OrderWithCategory[];
  /** The customer's ledger records (any time). */
  ledger: LedgerRecord[];
  /** Suppressions recorded for the customer's address on the channel (any time). */
  suppressions: Suppression[];
  purpose: Purpose;
  channel: Channel;
  product: Product | null;
  at: Instant;
  settings: DecisionSettings;
}

export interface Evidence {
  asOf: Instant;
  customerId: string;
  purpose: Purpose;
  channel: Channel;
  product: string | null;
  /** Which of the customer's addresses the decision is about (a reference, not the address). */
  addressRef: string | null;
  consent: EvidenceRecord | null;
  objection: EvidenceRecord | null;
  profilingObjection: EvidenceRecord | null;
  suppressions: { id: number; reason: string; at: string; validUntil: string | null; source: string }[];
  /** For soft opt-in: the order that shows the relationship, when one does. */
  order: EvidenceOrder | null;
  softOptInWindowStart: Instant | null;
  /**
   * Every order the similar-product rule looked at (rules 2–3): when a product is marketed, each of
   * the customer's orders started by `asOf`, in start order, with whether it is in the product's
   * category and still within the soft opt-in window; empty when no product is marketed. What a
   * NOT_SIMILAR_PRODUCT or SOFT_OPT_IN_EXPIRED verdict rests on.
   */
  consideredOrders: ConsideredOrder[];
}

export interface EvidenceOrder {
  id: string;
  sku: string;
  category: string;
  startedAt: string;
  endedAt: string | null;
  optOutOffered: boolean;
}

export interface ConsideredOrder extends EvidenceOrder {
  /** In the marketed product's category. */
  similar: boolean;
  /** Not ended, or ended on or after the soft opt-in window's start. */
  live: boolean;
}

interface EvidenceRecord {
  seq: number;
  value: string;
  at: string;
  recordedAt: string;
  source: string;
  channel?: string | null;
  noticeVersion: string | null;
  evidenceRef: string | null;
}

export type Decision = Verdict & { evidence: Evidence };

/**
 * The customer's address for a channel in the normalised form suppressions are stored under
 * (e-mail, E.164 number, postal key), or null when there is none. Messages go to this address.
 */
export function channelAddress(customer: Customer, channel: Channel): string | null {
  switch (channel) {
    case 'email':
      return customer.emails[0] ?? null;
    case 'sms':
    case 'phone':
      return customer.phones[0] ?? null;
    case 'post':
      return customer.address === null ? null : postalKey(customer.address);
    case 'web':
      return null;
  }
}

/**
 * A suppression counts at `at` when it was recorded by then and not lifted by then (a lift at
 * exactly `at` already counts). The audience SQL applies the same rule (suppressionInForceSql).
 */
export function suppressionInForce(s: Suppression, at: Instant): boolean {
  return s.at <= at && (s.liftedAt === null || s.liftedAt > at);
}

export function decide(input: DecisionInput): Decision {
  const { customer, purpose, channel, product, at, settings } = input;
  const address = channelAddress(customer, channel);
  const robinsonSince = robinsonRegisteredSince(at, settings);
  const activeSuppressions = input.suppressions.filter(
    (s) => s.channel === channel && suppressionInForce(s, at) && (s.reason !== 'robinson' || robinsonValid(s, at, robinsonSince)),
  );
  const consent = latest(
    input.ledger.filter(
      (r): r is ConsentRecord => r.kind === 'consent' && r.purpose === purpose && (r.channel === null || r.channel === channel) && r.at <= at,
    ),
  );
  const objection = latestObjection(input.ledger, 'direct_marketing', at);
  const profilingObjection = latestObjection(input.ledger, 'profiling', at);

  const ordersSoFar = input.orders.filter((o) => o.startedAt <= at);
  const windowStart = minusMonths(at, settings.softOptInMonths);
  const similarOrders = product === null ? [] : ordersSoFar.filter((o) => o.category === product.category);
  const isLive = (o: OrderWithCategory): boolean => o.endedAt === null || o.endedAt >= windowStart;
  const similar: SimilarOrderFacts | null =
    product === null
      ? null
      : {
          any: similarOrders.length > 0,
          anyOptOut: similarOrders.some((o) => o.optOutOffered),
          live: similarOrders.some(isLive),
          liveOptOut: similarOrders.some((o) => isLive(o) && o.optOutOffered),
        };

  const facts: EligibilityFacts = {
    kind: customer.kind,
    hasAddress: address !== null,
    hardBounced: address !== null && activeSuppressions.some((s) => s.reason === 'hard_bounce'),
    marketingSuppressed: address !== null && activeSuppressions.some((s) => MARKETING_SUPPRESSION_REASONS.includes(s.reason)),
    robinson: address !== null && activeSuppressions.some((s) => s.reason === 'robinson'),
    objectedDirectMarketing: objection?.value === 'objected',
    objectedProfiling: profilingObjection?.value === 'objected',
    consent: consent?.value ?? null,
    hasAnyOrder: ordersSoFar.length > 0,
    similar,
  };
  const verdict = evaluate({ purpose, channel, hasProduct: product !== null }, facts);

  const showingOrder =
    similarOrders.find((o) => isLive(o) && o.optOutOffered) ?? similarOrders.find(isLive) ?? similarOrders[0] ?? null;
  const evidence: Evidence = {
    asOf: at,
    customerId: customer.id,
    purpose,
    channel,
    product: product?.sku ?? null,
    addressRef: address === null ? null : addressRef(channel),
    consent: consent === null ? null : evidenceOf(consent, consent.channel),
    objection: objection === null ? null : evidenceOf(objection),
    profilingObjection: profilingObjection === null ? null : evidenceOf(profilingObjection),
    suppressions: address === null ? [] : activeSuppressions.map((s) => ({ id: s.id, reason: s.reason, at: s.at, validUntil: s.validUntil, source: s.source })),
    order: showingOrder === null ? null : evidenceOrder(showingOrder),
    softOptInWindowStart: product === null ? null : windowStart,
    consideredOrders: product === null ? [] : ordersSoFar.map((o) => consideredOrder(o, o.category === product.category, isLive(o))),
  };
  // Built field by field, not spread: a decision is made per request, and object spread is the
  // slow path of V8 (the spreads here were a third of a decision's time).
  return verdict.allowed
    ? { allowed: true, basis: verdict.basis, reasons: verdict.reasons, evidence }
    : { allowed: false, basis: null, reasons: verdict.reasons, evidence };
}

function consideredOrder(o: OrderWithCategory, similar: boolean, live: boolean): ConsideredOrder {
  return { id: o.id, sku: o.sku, category: o.category, startedAt: o.startedAt, endedAt: o.endedAt, optOutOffered: o.optOutOffered, similar, live };
}

function evidenceOrder(o: OrderWithCategory): EvidenceOrder {
  return { id: o.id, sku: o.sku, category: o.category, startedAt: o.startedAt, endedAt: o.endedAt, optOutOffered: o.optOutOffered };
}

/** Which of the customer's addresses was used, without the address itself. */
function addressRef(channel: Channel): string {
  if (channel === 'email') return `email:0`;
  if (channel === 'post') return 'address';
  return `phone:0`;
}

/**
 * A phone Robinson registration without an end lasts `phoneRobinsonYears` (rule 5): it is valid at
 * `at` when it was made after this instant. Other registers' entries without an end do not lapse.
 */
export function robinsonRegisteredSince(at: Instant, settings: DecisionSettings): Instant {
  return minusMonths(at, 12 * settings.phoneRobinsonYears);
}

function robinsonValid(s: Suppression, at: Instant, phoneSince: Instant): boolean {
  if (s.validUntil !== null) return s.validUntil > at;
  return s.channel !== 'phone' || s.at > phoneSince;
}

/** Latest record by `at`, ties broken by insertion order. */
function latest<T extends LedgerRecord>(records: T[]): T | null {
  let best: T | null = null;
  for (const r of records) {
    if (best === null || r.at > best.at || (r.at === best.at && r.seq > best.seq)) best = r;
  }
  return best;
}

function latestObjection(ledger: LedgerRecord[], scope: ObjectionScope, at: Instant): ObjectionRecord | null {
  return latest(ledger.filter((r): r is ObjectionRecord => r.kind === 'objection' && r.scope === scope && r.at <= at));
}

/** The record as evidence; a consent's with its channel (null: every channel). */
function evidenceOf(r: LedgerRecord, channel?: string | null): EvidenceRecord {
  const shown: EvidenceRecord = {
    seq: r.seq,
    value: r.value,
    at: r.at,
    recordedAt: r.recordedAt,
    source: r.source,
    noticeVersion: r.noticeVersion,
    evidenceRef: r.evidenceRef,
  };
  if (channel !== undefined) shown.channel = channel;
  return shown;
}

