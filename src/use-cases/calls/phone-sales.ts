/**
 * Telesales with written confirmation (docs/calls-and-recordings.md#telesales-and-written-acceptance,
 * compliance.md §3b): a sale agreed on a call is stored as a pending sale and its written offer is
 * sent by e-mail or SMS, a service message (rule 1), with a signed link to accept it. Only the
 * acceptance, within `LUPA_PHONE_SALE_ACCEPT_DAYS`, makes the order; an offer not accepted lapses
 * and never becomes one. The law's exceptions (the consumer called; the consumer explicitly asked
 * to be called, with its evidence) bind at once and are recorded as the sale's basis. The call, its
 * recordings, the offer sent and the acceptance are read together as the evidence of the sale.
 */
import { randomUUID } from 'node:crypto';
import type { CallStore, PhoneSaleStore } from '../../core/calls/ports.ts';
import {
  acceptDeadline,
  bindsWithoutAcceptance,
  requireSaleCall,
  requireSaleTerms,
  saleEvidence,
  saleStateAt,
  type OfferDelivery,
  type PhoneSale,
  type SaleBasis,
  type SaleState,
  type SaleTerms,
  type SubscriptionKind,
} from '../../core/calls/phone-sale.ts';
import { offerLocale, writtenOffer, type WrittenOffer } from '../../core/calls/written-offer.ts';
import { normaliseEmail } from '../../core/addresses.ts';
import { requirePhone } from '../../core/contact-fields.ts';
import type { MessageSender } from '../../core/email-message.ts';
import { DomainError } from '../../core/errors.ts';
import type { OfferStore } from '../../core/offers/ports.ts';
import { tokenIssueTime } from '../../core/preference-links.ts';
import type { AuditLog, CatalogueStore, CustomerStore } from '../../core/ports.ts';
import type { Customer, CustomerId, Instant, Sku } from '../../core/records.ts';
import type { TokenSigner } from '../../security/signed-tokens.ts';
import type { CallActor, CallView } from './calls.ts';
import { getCall } from './calls.ts';
import { escapeHtml } from '../tickets/reply.ts';

/** Sends one SMS (the configured gateway); absent when none is configured. */
export interface SmsSender {
  send(message: { to: string; body: string }): Promise<{ providerId: string }>;
}

export interface PhoneSaleDeps {
  phoneSales: PhoneSaleStore;
  calls: CallStore;
  customers: CustomerStore;
  catalogue: CatalogueStore;
  offers: Pick<OfferStore, 'get'>;
  audit: AuditLog;
  /** Made on first use: reading a sale sends nothing. */
  sender: () => MessageSender;
  sms: SmsSender | undefined;
  signer: TokenSigner;
  /** Where the acceptance page is (LUPA_PUBLIC_URL). */
  publicUrl: string;
  settings: {
    /** Days the written offer may be accepted (LUPA_PHONE_SALE_ACCEPT_DAYS). */
    acceptDays: number;
    /** Who sells and sends: the name the customer heard on the call, and the sending address. */
    from: { name: string; address: string };
  };
  now: () => Instant;
}

/** A sale as the agent enters it: the call, the offer (or product and price), the terms, how the offer goes out. */
export interface PhoneSaleInput {
  callId: number;
  /** The ranked offer presented: its product, price, period and currency are the sale's. */
  offerId: number | null;
  /** Without an offer: the product, the price of the period in cents and the period in months. */
  sku: string | null;
  priceCents: number | null;
  periodMonths: number | null;
  currency: string | null;
  kind: SubscriptionKind;
  regularMonthlyCents: number | null;
  basis: SaleBasis;
  requestEvidence: string | null;
  delivery: OfferDelivery;
  /** The address or number to send to; absent: the customer's first one of that channel. */
  to: string | null;
}

/** A sale as shown: its state at the time of reading and the written offer's text. */
export type PhoneSaleView = PhoneSale & { stateNow: SaleState; writtenOffer: WrittenOffer };

/** A sale with its evidence: the call (with its recordings' metadata). */
export type PhoneSaleEvidence = PhoneSaleView & { call: CallView };

/**
 * Makes a sale from a telesales call that ended in a sale. With `written_acceptance` it is stored
 * pending and its written offer sent with the acceptance link; under an exception it binds at once
 * (the order starts now) and the terms are sent as the order's confirmation. Audited.
 * @throws UNKNOWN_CALL, PHONE_SALE_STATE (the call is no sale; the exception does not apply; a
 *   second sale on one call), VALIDATION_FAILED (terms, evidence, address), NOT_FOUND (offer),
 *   UNKNOWN_PRODUCT, CONFIG_INVALID (SMS without a gateway)
 */
export async function createPhoneSale(deps: PhoneSaleDeps, input: PhoneSaleInput, by: CallActor): Promise<PhoneSaleView> {
  const call = await deps.calls.get(input.callId);
  if (call === null) throw new DomainError('UNKNOWN_CALL', `no call with id ${input.callId}`, { field: 'callId' });
  const requestEvidence = input.requestEvidence?.trim() || null;
  requireSaleCall(call, { basis: input.basis, requestEvidence });
  const terms = await termsOf(deps, input);
  requireSaleTerms(terms);
  const customer = await deps.customers.getCustomer(call.customerId);
  if (customer === null) throw new DomainError('UNKNOWN_CUSTOMER', `no customer with id ${call.customerId}`, { field: 'customerId' });
  const deliveredTo = recipient(input.delivery, input.to, customer);
  if (input.delivery === 'sms' && deps.sms === undefined) {
    throw new DomainError('CONFIG_INVALID', 'no SMS gateway is configured: send the written offer by e-mail', { field: 'delivery' });
  }
  const now = deps.now();
  const binds = bindsWithoutAcceptance(input.basis);
  const sale = await deps.phoneSales.insert(
    { callId: call.id, customerId: call.customerId, agent: by.actor, terms, basis: input.basis, requestEvidence: input.basis === 'requested_call' ? requestEvidence : null, delivery: input.delivery, deliveredTo, createdAt: now, acceptBy: acceptDeadline(now, deps.settings.acceptDays) },
    binds ? now : null,
  );
  await deps.audit.record({ at: now, ...by, action: 'phone_sales.create', customerId: sale.customerId, detail: { sale: sale.id, call: call.id, basis: sale.basis, delivery: sale.delivery } });
  const message = offerMessage(deps, sale, customer.locale);
  const sent = await sendOffer(deps, sale, customer, message);
  await deps.phoneSales.markOfferSent(sale.id, sent.at, sent.messageId);
  return { ...sale, offerSentAt: sent.at, offerMessageId: sent.messageId, stateNow: saleStateAt(sale, now), writtenOffer: message };
}

/** The signed link to a sale's acceptance page: the sale id under HMAC, dated; it works until the sale's `acceptBy`. */
export function acceptanceUrl(deps: Pick<PhoneSaleDeps, 'signer' | 'publicUrl'>, sale: Pick<PhoneSale, 'id' | 'createdAt'>): string {
  const token = deps.signer.sign('phone_sale', [String(sale.id)], tokenIssueTime(sale.createdAt));
  return `${deps.publicUrl.replace(/\/$/, '')}/s/${token}`;
}

function offerMessage(deps: PhoneSaleDeps, sale: PhoneSale, locale: string | null): WrittenOffer {
  const acceptUrl = sale.state === 'pending' ? acceptanceUrl(deps, sale) : null;
  return writtenOffer(sale, { locale: offerLocale(locale), seller: deps.settings.from.name, acceptUrl });
}

async function termsOf(deps: PhoneSaleDeps, input: PhoneSaleInput): Promise<SaleTerms> {
  const base = { kind: input.kind, regularMonthlyCents: input.regularMonthlyCents };
  if (input.offerId !== null) {
    const offer = await deps.offers.get(input.offerId);
    if (offer === null) throw new DomainError('NOT_FOUND', `no offer with id ${input.offerId}`, { field: 'offerId' });
    if (!offer.channels.includes('phone')) throw new DomainError('VALIDATION_FAILED', `offer ${offer.code} is not made on the phone`, { field: 'offerId' });
    const product = await deps.catalogue.getProduct(offer.sku);
    return { ...base, sku: offer.sku, productName: product?.name ?? offer.name, offerId: offer.id, offerCode: offer.code, periodMonths: offer.periodMonths, priceCents: offer.priceCents, currency: offer.currency };
  }
  if (input.sku === null || input.priceCents === null || input.periodMonths === null) {
    throw new DomainError('VALIDATION_FAILED', 'a sale names an offer, or a product with its price and period', { field: input.sku === null ? 'sku' : input.priceCents === null ? 'priceCents' : 'periodMonths' });
  }
  const product = await deps.catalogue.getProduct(input.sku as Sku);
  if (product === null) throw new DomainError('UNKNOWN_PRODUCT', `no product with sku ${input.sku}`, { field: 'sku' });
  return { ...base, sku: product.sku, productName: product.name, offerId: null, offerCode: null, periodMonths: input.periodMonths, priceCents: input.priceCents, currency: input.currency ?? 'EUR' };
}

function recipient(delivery: OfferDelivery, to: string | null, customer: Customer): string {
  if (delivery === 'email') {
    const address = to === null ? (customer.emails[0] ?? null) : normaliseEmail(to);
    if (address === null) throw new DomainError('VALIDATION_FAILED', 'no e-mail address to send the written offer to', { field: 'to' });
    return address;
  }
  const number = to ?? customer.phones[0] ?? null;
  if (number === null) throw new DomainError('VALIDATION_FAILED', 'no phone number to send the written offer to', { field: 'to' });
  return requirePhone(number, 'to');
}

/** Hands the written offer to its channel: a service message, never marketing (no unsubscribe, no promotion). */
async function sendOffer(deps: PhoneSaleDeps, sale: PhoneSale, customer: Customer, message: WrittenOffer): Promise<{ at: Instant; messageId: string }> {
  if (sale.delivery === 'sms') {
    const sms = deps.sms;
    if (sms === undefined) throw new DomainError('CONFIG_INVALID', 'no SMS gateway is configured', { field: 'delivery' });
    const sent = await sms.send({ to: sale.deliveredTo, body: message.text });
    return { at: deps.now(), messageId: sent.providerId };
  }
  const sent = await deps.sender().send({
    deliveryId: 0,
    attempt: 1,
    noticeId: `s${sale.id}.${randomUUID()}`,
    to: sale.deliveredTo,
    from: deps.settings.from,
    subject: message.subject,
    html: `<div style="white-space:pre-wrap">${escapeHtml(message.text)}</div>`,
    text: message.text,
    unsubscribe: null,
    feedback: { campaignId: 0, purpose: 'service', templateId: 'phone-sale-offer' },
    locale: offerLocale(customer.locale),
  });
  return { at: deps.now(), messageId: sent.messageId };
}

/** What the acceptance page shows after a link was opened or used. */
export interface AcceptanceResult {
  sale: PhoneSale;
  /** Whether this request accepted it (false: accepted already, lapsed, or bound without acceptance). */
  acceptedNow: boolean;
  stateNow: SaleState;
  locale: string | null;
}

/**
 * The sale a signed link names, for its page. LINK_INVALID for a forged, altered or unknown link.
 */
export async function saleOfLink(deps: Pick<PhoneSaleDeps, 'phoneSales' | 'customers' | 'signer' | 'now'>, token: string): Promise<{ sale: PhoneSale; stateNow: SaleState; locale: string | null }> {
  const id = Number(deps.signer.verify('phone_sale', token)?.[0] ?? Number.NaN);
  const sale = Number.isSafeInteger(id) ? await deps.phoneSales.get(id) : null;
  if (sale === null) throw new DomainError('LINK_INVALID', 'the link is not valid', { field: 'token' });
  const customer = await deps.customers.getCustomer(sale.customerId);
  return { sale, stateNow: saleStateAt(sale, deps.now()), locale: customer?.locale ?? null };
}

/**
 * The customer's written acceptance through the signed link: the order is made, once. A second
 * acceptance (a double click, the link replayed) changes nothing and says it was accepted already;
 * a lapsed offer is not accepted. Audited as the customer's act.
 * @throws LINK_INVALID
 */
export async function acceptPhoneSale(deps: Pick<PhoneSaleDeps, 'phoneSales' | 'customers' | 'signer' | 'audit' | 'now'>, token: string): Promise<AcceptanceResult> {
  const { sale, locale } = await saleOfLink(deps, token);
  const at = deps.now();
  const { sale: after, accepted } = await deps.phoneSales.accept(sale.id, at);
  const stored = after ?? sale;
  if (accepted) {
    await deps.audit.record({ at, actor: 'customer', role: 'customer', action: 'phone_sales.accept', customerId: stored.customerId, detail: { sale: stored.id, order: stored.orderId } });
  }
  return { sale: stored, acceptedNow: accepted, stateNow: saleStateAt(stored, at), locale };
}

/**
 * One sale with its evidence: the call and its recordings' metadata, the written offer as sent, the
 * acceptance and the order. Audited as a read of the customer's data.
 * @throws UNKNOWN_PHONE_SALE
 */
export async function phoneSaleEvidence(deps: PhoneSaleDeps, id: number, by: CallActor): Promise<PhoneSaleEvidence> {
  const sale = await deps.phoneSales.get(id);
  if (sale === null) throw new DomainError('UNKNOWN_PHONE_SALE', `no phone sale with id ${id}`, { field: 'id' });
  const customer = await deps.customers.getCustomer(sale.customerId);
  const call = await getCall(deps, sale.callId, by);
  await deps.audit.record({ at: deps.now(), ...by, action: 'phone_sales.read', customerId: sale.customerId, detail: { sale: sale.id, evidence: saleEvidence(sale.id) } });
  return { ...sale, stateNow: saleStateAt(sale, deps.now()), writtenOffer: offerMessage(deps, sale, customer?.locale ?? null), call };
}

/** Most sales one listing returns. */
export const MAX_SALES = 200;

/**
 * Sales newest first (`beforeId` pages on), of one customer or in one state at the time of reading
 * (a pending sale past its time is lapsed), at most MAX_SALES. Each customer listed is audited.
 */
export async function listPhoneSales(
  deps: PhoneSaleDeps,
  query: { customerId?: string; state?: SaleState; beforeId?: number; limit: number },
  by: CallActor,
): Promise<PhoneSaleView[]> {
  const now = deps.now();
  const rows = await deps.phoneSales.list({
    ...(query.customerId === undefined ? {} : { customerId: query.customerId as CustomerId }),
    ...(query.state === undefined ? {} : { state: { state: query.state, at: now } }),
    ...(query.beforeId === undefined ? {} : { beforeId: query.beforeId }),
    limit: Math.min(query.limit, MAX_SALES),
  });
  const views = rows.map((s) => ({ ...s, stateNow: saleStateAt(s, now) }));
  const locales = new Map((await deps.customers.getCustomers([...new Set(views.map((s) => s.customerId))])).map((c) => [c.id as string, c.locale]));
  await Promise.all(views.map((s) => deps.audit.record({ at: now, ...by, action: 'phone_sales.read', customerId: s.customerId, detail: { sale: s.id } })));
  return views.map((s) => ({ ...s, writtenOffer: offerMessage(deps, s, locales.get(s.customerId) ?? null) }));
}

/**
 * Marks every pending sale past its acceptance time lapsed (the reads already show them so); returns
 * how many. A run that lapsed any is audited with the count (never whose).
 */
export async function lapseDueSales(deps: Pick<PhoneSaleDeps, 'phoneSales' | 'audit' | 'now'>, by: CallActor): Promise<number> {
  const now = deps.now();
  const lapsed = await deps.phoneSales.lapseDue(now);
  if (lapsed > 0) await deps.audit.record({ at: now, ...by, action: 'phone_sales.lapse', customerId: null, detail: { lapsed } });
  return lapsed;
}
