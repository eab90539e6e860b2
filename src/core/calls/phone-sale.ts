/**
 * A sale agreed on a telesales call (compliance.md §3b; Finnish Consumer Protection Act 38/1978
 * ch. 6 §§ 10 and 25 a–b, as amended by 1095/2022, in force 1 January 2023): after a call the seller
 * made, the sale binds the consumer only when the seller has sent the offer on a durable medium and
 * the consumer has accepted it in writing. Until then it is a pending sale, never an order: no
 * subscription runs, no one is billed, nothing reads it as a customer relationship
 * (docs/decisions/0025). An offer not accepted within `LUPA_PHONE_SALE_ACCEPT_DAYS` lapses.
 *
 * The law's exceptions bind at once, each an explicit, recorded basis: the consumer called
 * (`inbound_call`: the call record says so) or explicitly asked to be called (`requested_call`,
 * with the evidence of the request; a marketing consent is not such a request).
 */
import type { CallRecord } from './call.ts';
import { DomainError } from '../errors.ts';
import type { CustomerId, Instant, Order, OrderId, Sku } from '../records.ts';
import { plusMonths, toInstant } from '../time.ts';

/** Why a sale binds: the consumer's written acceptance, or one of the law's two exceptions. */
export const SALE_BASES = ['written_acceptance', 'inbound_call', 'requested_call'] as const;
export type SaleBasis = (typeof SALE_BASES)[number];

/**
 * `pending`: the written offer is out, waiting for acceptance; `accepted`: accepted in writing, the
 * order runs; `lapsed`: not accepted in time, never an order; `bound`: binding without written
 * acceptance under an exception, the order runs.
 */
export const SALE_STATES = ['pending', 'accepted', 'lapsed', 'bound'] as const;
export type SaleState = (typeof SALE_STATES)[number];

/** `fixed_term`: ends by itself after the period; `continuous`: continues until cancelled. */
export const SUBSCRIPTION_KINDS = ['fixed_term', 'continuous'] as const;
export type SubscriptionKind = (typeof SUBSCRIPTION_KINDS)[number];

/** How the written offer is delivered: both are durable media (an SMS carries the link to the terms). */
export const OFFER_DELIVERIES = ['email', 'sms'] as const;
export type OfferDelivery = (typeof OFFER_DELIVERIES)[number];

/** The terms the offer states (§3b): what, for how long, at what price, and what follows. */
export interface SaleTerms {
  sku: Sku;
  productName: string;
  /** The ranked offer the agent presented, when the sale came from one. */
  offerId: number | null;
  offerCode: string | null;
  kind: SubscriptionKind;
  /** The (introductory) period, in calendar months. */
  periodMonths: number;
  /** The price of that whole period, in cents. */
  priceCents: number;
  currency: string;
  /**
   * The full price per month after the introductory period, in cents: required for a continuous
   * subscription (the law asks for the price that follows), absent for a fixed term.
   */
  regularMonthlyCents: number | null;
}

export interface NewPhoneSale {
  callId: number;
  customerId: CustomerId;
  agent: string;
  terms: SaleTerms;
  basis: SaleBasis;
  /** For `requested_call`: the evidence of the consumer's explicit request (where, when, how). */
  requestEvidence: string | null;
  delivery: OfferDelivery;
  /** The e-mail address or number (E.164) the written offer goes to. */
  deliveredTo: string;
  createdAt: Instant;
  /** The end of the acceptance time; a pending sale not accepted before it lapses. */
  acceptBy: Instant;
}

export interface PhoneSale extends NewPhoneSale {
  id: number;
  /** The stored state; `pending` past `acceptBy` reads as `lapsed` (`saleStateAt`). */
  state: SaleState;
  /** When the written offer was handed to the channel, and the channel's id of it. */
  offerSentAt: Instant | null;
  offerMessageId: string | null;
  acceptedAt: Instant | null;
  /** The order the sale became: only on acceptance or an exception. */
  orderId: OrderId | null;
  lapsedAt: Instant | null;
}

const DAY_MS = 86_400_000;

/** When a written offer made at `createdAt` lapses: `days` (LUPA_PHONE_SALE_ACCEPT_DAYS) later. */
export function acceptDeadline(createdAt: Instant, days: number): Instant {
  return toInstant(Date.parse(createdAt) + days * DAY_MS);
}

/** The state at `now`: a pending sale whose acceptance time has passed is lapsed, whether or not the lapse job has run. */
export function saleStateAt(sale: Pick<PhoneSale, 'state' | 'acceptBy'>, now: Instant): SaleState {
  return sale.state === 'pending' && Date.parse(now) >= Date.parse(sale.acceptBy) ? 'lapsed' : sale.state;
}

/** Whether the sale binds at once (an exception) rather than after a written acceptance. */
export function bindsWithoutAcceptance(basis: SaleBasis): boolean {
  return basis !== 'written_acceptance';
}

/**
 * Refuses terms the offer could not state truthfully (VALIDATION_FAILED naming the field): a
 * continuous subscription without the price that follows, or a fixed term with one.
 */
export function requireSaleTerms(terms: SaleTerms): void {
  if (terms.kind === 'continuous' && terms.regularMonthlyCents === null) {
    throw new DomainError('VALIDATION_FAILED', 'a continuous subscription needs the full monthly price after the introductory period', { field: 'regularMonthlyCents' });
  }
  if (terms.kind === 'fixed_term' && terms.regularMonthlyCents !== null) {
    throw new DomainError('VALIDATION_FAILED', 'a fixed-term subscription ends by itself: it has no price after the period', { field: 'regularMonthlyCents' });
  }
}

/**
 * Refuses a sale its call cannot carry (PHONE_SALE_STATE): the call must be a telesales call whose
 * outcome is `sale`; the `inbound_call` exception needs an inbound call; `requested_call` needs the
 * evidence of the request (VALIDATION_FAILED, field `requestEvidence`).
 */
export function requireSaleCall(call: Pick<CallRecord, 'id' | 'purpose' | 'outcome' | 'direction' | 'customerId'>, sale: Pick<NewPhoneSale, 'basis' | 'requestEvidence'>): void {
  if (call.purpose !== 'telesales' || call.outcome !== 'sale') {
    throw new DomainError('PHONE_SALE_STATE', `call ${call.id} is not a telesales call that ended in a sale`, { field: 'callId', details: { purpose: call.purpose, outcome: call.outcome } });
  }
  if (sale.basis === 'inbound_call' && call.direction !== 'inbound') {
    throw new DomainError('PHONE_SALE_STATE', `call ${call.id} was made by the seller: the inbound-call exception does not apply`, { field: 'basis', details: { direction: call.direction } });
  }
  if (sale.basis === 'requested_call' && (sale.requestEvidence ?? '').trim() === '') {
    throw new DomainError('VALIDATION_FAILED', 'the requested-call exception needs the evidence of the request', { field: 'requestEvidence' });
  }
}

/** The order id a sale becomes: one per sale, so an acceptance replayed cannot make a second. */
export function orderIdOfSale(saleId: number): OrderId {
  return `phone-sale-${saleId}` as OrderId;
}

/**
 * The order a sale becomes when it binds at `at`: it starts then; a fixed term ends after its
 * period, a continuous one runs until cancelled. `optOutOffered` is false: nothing on the call
 * shows the marketing opt-out was offered, so the order gives no soft opt-in by itself.
 */
export function orderOfSale(sale: Pick<PhoneSale, 'id' | 'customerId' | 'terms'>, at: Instant): Order {
  return {
    id: orderIdOfSale(sale.id),
    customerId: sale.customerId,
    sku: sale.terms.sku,
    startedAt: at,
    endedAt: sale.terms.kind === 'fixed_term' ? plusMonths(at, sale.terms.periodMonths) : null,
    soldVia: 'telesales',
    optOutOffered: false,
  };
}

/** The evidence reference of a sale, as ledger and audit records name it: `phone_sale:<id>`. */
export function saleEvidence(saleId: number): string {
  return `phone_sale:${saleId}`;
}
