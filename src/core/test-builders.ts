/**
 * Test helpers for the decision core: a customer with records, built in a few readable calls.
 * Only tests import this file.
 *
 *   const anna = aPerson().ordered(NEWS, { from: '2024-01-01' }).grants('marketing', 'email', '2025-01-10');
 *   expect(verdict(anna.decide('marketing', 'email', { product: NEWS }))).toEqual(allowed('soft_opt_in', 'SOFT_OPT_IN'));
 */
import { decide, type Decision } from './decide.ts';
import type { EligibilityFacts } from './eligibility-facts.ts';
import type {
  ConsentRecord,
  Customer,
  CustomerId,
  Instant,
  LedgerRecord,
  ObjectionRecord,
  OrderId,
  OrderWithCategory,
  PostalAddress,
  Product,
  Sku,
  Suppression,
} from './records.ts';
import { DEFAULT_DECISION_SETTINGS, type DecisionSettings } from './settings.ts';
import { parseInstant } from './time.ts';
import type {
  AllowingReason,
  Basis,
  BlockingReason,
  Channel,
  CustomerKind,
  ObjectionScope,
  Purpose,
  SalesChannel,
  SuppressionReason,
} from './vocabulary.ts';

/** "Now" of every test unless a test says otherwise. */
export const NOW = at('2025-06-15T12:00:00Z');

/** `'2025-03-01'` or `'2025-03-01T08:00:00Z'` as an Instant. */
export function at(value: string): Instant {
  return parseInstant(value, 'test');
}

export function product(sku: string, category: string, name = sku): Product {
  return { sku: sku as Sku, name, brand: null, category };
}

export const NEWSPAPER = product('HS-DIGI', 'news', 'Daily newspaper, digital');
export const WEEKEND_PAPER = product('HS-WEEKEND', 'news', 'Weekend paper');
export const MAGAZINE = product('KOTI-LEHTI', 'magazine', 'Home magazine');

const HOME: PostalAddress = { street: 'Mannerheimintie 1 A 5', postalCode: '00100', city: 'Helsinki', country: 'FI' };

export interface RecordOptions {
  /** Defaults to `at`. */
  recordedAt?: string;
  source?: string;
  noticeVersion?: string | null;
  noticeLocale?: string | null;
  evidenceRef?: string | null;
}

export interface OrderOptions {
  from: string;
  to?: string | null;
  optOutOffered?: boolean;
  soldVia?: SalesChannel;
}

export interface SuppressionOptions {
  validUntil?: string | null;
  source?: string;
  /** When the person's own later consent lifted it (an unsubscribe only). */
  liftedAt?: string;
}

export interface DecideOptions {
  product?: Product | null;
  at?: Instant | string;
}

/** A customer and everything recorded about them; each method returns the builder for chaining. */
export class CustomerScenario {
  readonly customer: Customer;
  readonly orders: OrderWithCategory[] = [];
  readonly ledger: LedgerRecord[] = [];
  readonly suppressions: Suppression[] = [];
  settings: DecisionSettings = { ...DEFAULT_DECISION_SETTINGS };
  private seq = 0;

  constructor(kind: CustomerKind, id: string) {
    this.customer = {
      id: id as CustomerId,
      kind,
      name: kind === 'person' ? 'Anna Virtanen' : 'Oy Esimerkki Ab',
      emails: ['anna.virtanen@example.fi'],
      phones: ['+358401234567'],
      address: { ...HOME },
      locale: 'fi',
      createdAt: at('2020-01-01'),
      updatedAt: at('2020-01-01'),
    };
  }

  withoutEmail(): this {
    this.customer.emails = [];
    return this;
  }

  withoutPhone(): this {
    this.customer.phones = [];
    return this;
  }

  withoutPostalAddress(): this {
    this.customer.address = null;
    return this;
  }

  withSettings(settings: Partial<DecisionSettings>): this {
    this.settings = { ...this.settings, ...settings };
    return this;
  }

  /** An order of `product`; `to` omitted or null: still active. Opt-out offered unless said otherwise. */
  ordered(p: Product, options: OrderOptions): this {
    const n = this.orders.length + 1;
    this.orders.push({
      id: `order-${n}` as OrderId,
      customerId: this.customer.id,
      sku: p.sku,
      category: p.category,
      startedAt: at(options.from),
      endedAt: options.to === undefined || options.to === null ? null : at(options.to),
      soldVia: options.soldVia ?? 'web',
      optOutOffered: options.optOutOffered ?? true,
    });
    return this;
  }

  /** A consent record; `channel` null covers every channel of the purpose. */
  grants(purpose: Purpose, channel: Channel | null, when: string, options: RecordOptions = {}): this {
    return this.consent(purpose, channel, 'granted', when, options);
  }

  /** A withdrawal or a channel opt-out (an unsubscribe writes one of these too). */
  withdraws(purpose: Purpose, channel: Channel | null, when: string, options: RecordOptions = {}): this {
    return this.consent(purpose, channel, 'withdrawn', when, options);
  }

  objects(when: string, scope: ObjectionScope = 'direct_marketing', options: RecordOptions = {}): this {
    return this.objection(scope, 'objected', when, options);
  }

  liftsObjection(when: string, scope: ObjectionScope = 'direct_marketing', options: RecordOptions = {}): this {
    return this.objection(scope, 'withdrawn', when, options);
  }

  /** A suppression of the customer's address on `channel` (a Robinson entry is one, too). */
  suppressed(channel: Channel, reason: SuppressionReason, when: string, options: SuppressionOptions = {}): this {
    this.suppressions.push({
      id: this.suppressions.length + 1,
      channel,
      address: 'matched-by-the-caller',
      reason,
      at: at(when),
      validUntil: options.validUntil === undefined || options.validUntil === null ? null : at(options.validUntil),
      source: options.source ?? (reason === 'robinson' ? 'asml-robinson' : 'mta'),
      liftedAt: options.liftedAt === undefined ? null : at(options.liftedAt),
    });
    return this;
  }

  decide(purpose: Purpose, channel: Channel, options: DecideOptions = {}): Decision {
    const when = options.at === undefined ? NOW : typeof options.at === 'string' ? at(options.at) : options.at;
    return decide({
      customer: this.customer,
      orders: this.orders,
      ledger: this.ledger,
      suppressions: this.suppressions,
      purpose,
      channel,
      product: options.product ?? null,
      at: when,
      settings: this.settings,
    });
  }

  /** The ledger record added last (for evidence assertions). */
  lastRecord(): LedgerRecord {
    const r = this.ledger[this.ledger.length - 1];
    if (r === undefined) throw new Error('no ledger record yet');
    return r;
  }

  private common(when: string, options: RecordOptions) {
    this.seq += 1;
    return {
      seq: this.seq,
      customerId: this.customer.id,
      at: at(when),
      recordedAt: at(options.recordedAt ?? when),
      source: options.source ?? 'web_form',
      noticeVersion: options.noticeVersion === undefined ? '2025-01' : options.noticeVersion,
      noticeLocale: options.noticeLocale === undefined ? 'fi' : options.noticeLocale,
      evidenceRef: options.evidenceRef === undefined ? `form-${this.seq}` : options.evidenceRef,
    };
  }

  private consent(purpose: Purpose, channel: Channel | null, value: 'granted' | 'withdrawn', when: string, options: RecordOptions): this {
    const r: ConsentRecord = { ...this.common(when, options), kind: 'consent', purpose, channel, value };
    this.ledger.push(r);
    return this;
  }

  private objection(scope: ObjectionScope, value: 'objected' | 'withdrawn', when: string, options: RecordOptions): this {
    const r: ObjectionRecord = { ...this.common(when, options), kind: 'objection', scope, value };
    this.ledger.push(r);
    return this;
  }
}

let customers = 0;

export function aPerson(): CustomerScenario {
  customers += 1;
  return new CustomerScenario('person', `person-${customers}`);
}

export function aBusiness(): CustomerScenario {
  customers += 1;
  return new CustomerScenario('business', `business-${customers}`);
}

/** The verdict part of a decision, without the evidence. */
export function verdict(d: Decision): { allowed: boolean; basis: Basis | null; reasons: string[] } {
  return { allowed: d.allowed, basis: d.basis, reasons: [...d.reasons] };
}

export function allowed(basis: Basis, reason: AllowingReason): { allowed: true; basis: Basis; reasons: string[] } {
  return { allowed: true, basis, reasons: [reason] };
}

export function blocked(...reasons: BlockingReason[]): { allowed: false; basis: null; reasons: string[] } {
  return { allowed: false, basis: null, reasons };
}

/** The evidence `decide` gives for a ledger record. */
export function evidenceOf(r: LedgerRecord): Record<string, unknown> {
  return {
    seq: r.seq,
    value: r.value,
    at: r.at,
    recordedAt: r.recordedAt,
    source: r.source,
    noticeVersion: r.noticeVersion,
    evidenceRef: r.evidenceRef,
    ...(r.kind === 'consent' ? { channel: r.channel } : {}),
  };
}

/** Facts of a customer nothing blocks and nothing allows yet: a person with an address, no records. */
export function cleanFacts(overrides: Partial<EligibilityFacts> = {}): EligibilityFacts {
  return {
    kind: 'person',
    hasAddress: true,
    hardBounced: false,
    marketingSuppressed: false,
    robinson: false,
    objectedDirectMarketing: false,
    objectedProfiling: false,
    consent: null,
    hasAnyOrder: false,
    similar: null,
    ...overrides,
  };
}
