/**
 * Unsubscribe and the preference centre, reached from every message by signed links. Every choice
 * is written to the ledger (with its source and the notice version shown) and takes effect at once:
 * the next decision already sees it. A person's own new consent on a channel supersedes their own
 * earlier unsubscribe there: the unsubscribe suppression of their address is lifted (a lift record
 * beside it, naming the consent record). A hard bounce, complaint or Robinson entry is never lifted.
 * A mail to a message's `List-Unsubscribe` mailto is the same unsubscribe as its link.
 */
import { normaliseEmail } from '../core/addresses.ts';
import type { DeliveryStore } from '../core/campaign.ts';
import { channelAddress, decide, suppressionInForce } from '../core/decide.ts';
import { DomainError } from '../core/errors.ts';
import { parseChannel } from '../core/parse-query.ts';
import type { CustomerStore, LedgerStore, NewLedgerRecord, SuppressionStore } from '../core/ports.ts';
import type { Customer, CustomerId, Instant, LedgerRecord, Product, Suppression } from '../core/records.ts';
import { tokenIssueTime } from '../core/preference-links.ts';
import { toInstant } from '../core/time.ts';
import type { Channel, SuppressionReason } from '../core/vocabulary.ts';
import type { TokenSigner } from '../security/signed-tokens.ts';
import type { DecideDeps } from './decide-for-customer.ts';

/** What the one-click unsubscribe needs. */
export interface UnsubscribeDeps {
  signer: TokenSigner;
  customers: CustomerStore;
  ledger: LedgerStore;
  suppressions: SuppressionStore;
  now: () => Instant;
  noticeVersion: string;
}

/** What an unsubscribe writes with, whichever way it came. */
export type OptOutDeps = Pick<UnsubscribeDeps, 'customers' | 'ledger' | 'suppressions' | 'now'>;

/** What the preference page needs besides: `decide`, to say truthfully what stands on each channel. */
export interface PreferenceDeps extends UnsubscribeDeps, DecideDeps {}

/**
 * The link a message carries for one-click unsubscribe from marketing on its channel, made at
 * `issuedAt` (default: now). It never expires (core/preference-links.ts); the time it carries
 * dates the preference link its page offers, which expires as one in the message itself would.
 */
export function unsubscribeUrl(signer: TokenSigner, publicUrl: string, customerId: string, channel: Channel, campaignId?: number, issuedAt?: Instant): string {
  const fields = campaignId === undefined ? [customerId, channel] : [customerId, channel, campaignId];
  return `${publicUrl}/u/${signer.sign('unsubscribe', fields, tokenIssueTime(issuedAt ?? toInstant(Date.now())))}`;
}

/** The evidence reference of an unsubscribe from a campaign's message: campaign results count them. */
export function campaignEvidence(campaignId: number): string {
  return `campaign:${campaignId}`;
}

/**
 * The link to the customer's preference page, made at `issuedAt` (default: now): it works for
 * LUPA_PREFERENCE_LINK_DAYS from then (src/use-cases/preference-links.ts).
 */
export function preferencesUrl(signer: TokenSigner, publicUrl: string, customerId: string, issuedAt?: Instant): string {
  return `${publicUrl}/p/${signer.sign('preferences', [customerId], tokenIssueTime(issuedAt ?? toInstant(Date.now())))}`;
}

/** Who an unsubscribe link is for, and when it was made (null: before links carried the time); NOT_FOUND for a bad token (never a hint why). */
export async function unsubscribeTarget(
  deps: UnsubscribeDeps,
  token: string,
): Promise<{ customer: Customer; channel: Channel; campaignId: number | null; issuedAt: number | null }> {
  const verified = deps.signer.verifyIssued('unsubscribe', token);
  const fields = verified?.fields ?? null;
  const customer = fields?.[0] === undefined ? null : await deps.customers.getCustomer(fields[0] as CustomerId);
  if (verified === null || fields === null || customer === null) throw new DomainError('NOT_FOUND', 'this link is not valid');
  const campaignId = fields[2] === undefined ? null : Number(fields[2]);
  return { customer, channel: parseChannel(fields[1]), campaignId: Number.isSafeInteger(campaignId) ? campaignId : null, issuedAt: verified.issuedAt };
}

/** One-click unsubscribe (RFC 8058): a marketing opt-out for the channel and an unsubscribe suppression of the address. */
export async function unsubscribe(deps: UnsubscribeDeps, token: string): Promise<{ customer: Customer; channel: Channel; issuedAt: number | null }> {
  const { customer, channel, campaignId, issuedAt } = await unsubscribeTarget(deps, token);
  await recordUnsubscribe(deps, { customer, channel, address: channelAddress(customer, channel), campaignId, source: 'unsubscribe_link' });
  return { customer, channel, issuedAt };
}

/**
 * The unsubscribe of a `List-Unsubscribe` mailto (RFC 2369, RFC 8058 §3.1): the same marketing
 * opt-out by e-mail as the link writes (source `unsubscribe_mail`, the campaign as evidence) and an
 * unsubscribe suppression of the address the delivery went to. The caller has checked the
 * delivery's signed token (unsubscribe-mailbox.ts). Idempotent like the link; false when the
 * delivery or its customer no longer exists, and nothing is written.
 */
export async function unsubscribeDelivery(deps: OptOutDeps & { deliveries: Pick<DeliveryStore, 'find'> }, deliveryId: number): Promise<boolean> {
  const delivery = await deps.deliveries.find(deliveryId);
  const customer = delivery === null ? null : await deps.customers.getCustomer(delivery.customerId as CustomerId);
  if (delivery === null || customer === null) return false;
  const address = normaliseEmail(delivery.sentTo ?? '') ?? channelAddress(customer, 'email');
  await recordUnsubscribe(deps, { customer, channel: 'email', address, campaignId: delivery.campaignId, source: 'unsubscribe_mail' });
  return true;
}

interface UnsubscribeRequest {
  customer: Customer;
  channel: Channel;
  /** The address to suppress (canonical), or null when the customer has none on the channel. */
  address: string | null;
  campaignId: number | null;
  source: 'unsubscribe_link' | 'unsubscribe_mail';
}

async function recordUnsubscribe(deps: OptOutDeps, { customer, channel, address, campaignId, source }: UnsubscribeRequest): Promise<void> {
  const at = deps.now();
  // Idempotent: a replayed link (a mail client's prefetch, a second click) or a second mail while
  // the opt-out and the suppression still stand writes nothing. After the person said yes again,
  // an unsubscribe is a new choice.
  if (await alreadyUnsubscribed(deps, customer.id, channel, address, at)) return;
  await deps.ledger.append([
    { kind: 'consent', customerId: customer.id, purpose: 'marketing', channel, value: 'withdrawn', at, source, noticeVersion: null, noticeLocale: null, evidenceRef: campaignId === null ? `unsubscribe:${channel}` : campaignEvidence(campaignId) },
  ]);
  if (address !== null) await deps.suppressions.add({ channel, address, reason: 'unsubscribe', at, validUntil: null, source });
}

/** The latest marketing choice for the channel is a withdrawal, and the address (if any) has an unsubscribe in force. */
async function alreadyUnsubscribed(deps: OptOutDeps, customerId: CustomerId, channel: Channel, address: string | null, at: Instant): Promise<boolean> {
  const latest = (await deps.ledger.historyOf(customerId))
    .filter((r) => r.kind === 'consent' && r.purpose === 'marketing' && (r.channel === channel || r.channel === null) && r.at <= at)
    .reduce<LedgerRecord | null>((last, r) => (last === null || r.at > last.at || (r.at === last.at && r.seq > last.seq) ? r : last), null);
  if (latest?.value !== 'withdrawn') return false;
  if (address === null) return true;
  return (await deps.suppressions.forAddress(channel, address)).some((s) => s.reason === 'unsubscribe' && suppressionInForce(s, at));
}

export const PREFERENCE_CHANNELS = ['email', 'sms', 'phone', 'post'] as const satisfies readonly Channel[];
export type PreferenceChannel = (typeof PREFERENCE_CHANNELS)[number];

/** What the page shows: the latest choice per item, or null where none was ever made. */
export interface Preferences {
  marketing: Record<PreferenceChannel, 'granted' | 'withdrawn' | null>;
  partnerEmail: 'granted' | 'withdrawn' | null;
  objectsToDirectMarketing: boolean;
  objectsToProfiling: boolean;
  /**
   * Per channel, the reasons of the suppressions of the customer's address that stand now, each
   * once, as `decide` sees them (a Robinson entry only while valid): an unsubscribe is lifted by a
   * new "yes"; the others no choice on the page changes.
   */
  standing: Record<PreferenceChannel, SuppressionReason[]>;
  /**
   * Per channel, whether marketing there rests now on soft opt-in (compliance rule 3: e-mail and SMS
   * to an existing customer who was offered the chance to refuse) for a product of a category the
   * customer ordered: allowed without a choice, and theirs to refuse.
   */
  softOptIn: Record<PreferenceChannel, boolean>;
  /**
   * Per channel, whether marketing there is allowed now without any choice, on legitimate interest:
   * phone and post (compliance rule 5), and e-mail and SMS to a business customer (rule 4). The
   * person may refuse; until then we may contact them, and the page says so.
   */
  optOut: Record<PreferenceChannel, boolean>;
}

export async function currentPreferences(deps: PreferenceDeps, customer: Customer): Promise<Preferences> {
  const history = await deps.ledger.historyOf(customer.id);
  const latestConsent = (purpose: string, channel: Channel): 'granted' | 'withdrawn' | null =>
    lastOf(history.filter((r) => r.kind === 'consent' && r.purpose === purpose && (r.channel === channel || r.channel === null)))?.value as
      | 'granted'
      | 'withdrawn'
      | undefined ?? null;
  const objected = (scope: string): boolean => lastOf(history.filter((r) => r.kind === 'objection' && r.scope === scope))?.value === 'objected';
  return {
    marketing: { email: latestConsent('marketing', 'email'), sms: latestConsent('marketing', 'sms'), phone: latestConsent('marketing', 'phone'), post: latestConsent('marketing', 'post') },
    partnerEmail: latestConsent('partner_marketing', 'email'),
    objectsToDirectMarketing: objected('direct_marketing'),
    objectsToProfiling: objected('profiling'),
    ...(await whatStands(deps, customer)),
  };
}

/**
 * What stands on each channel now, read through `decide` itself from the customer's records read
 * once: the reasons of the suppressions there, and whether marketing rests on soft opt-in for one
 * of the categories the customer ordered (soft opt-in is per category: one product of each is asked).
 */
async function whatStands(deps: PreferenceDeps, customer: Customer): Promise<Pick<Preferences, 'standing' | 'softOptIn' | 'optOut'>> {
  const at = deps.now();
  const records = await deps.decisionRecords.recordsFor(customer.id, 'every');
  const none = { email: [], sms: [], phone: [], post: [] };
  const no = { email: false, sms: false, phone: false, post: false };
  if (records === null) return { standing: none, softOptIn: no, optOut: no };
  const marketing = (channel: PreferenceChannel, product: Product | null) => decide({ ...records, product, purpose: 'marketing', channel, at, settings: deps.settings });
  const ordered = [...new Map(records.orders.map((o) => [o.category, { sku: o.sku, name: o.sku, brand: null, category: o.category }])).values()];
  const standing = (channel: PreferenceChannel): SuppressionReason[] => [...new Set(marketing(channel, null).evidence.suppressions.map((s) => s.reason as SuppressionReason))];
  const softOptIn = (channel: PreferenceChannel): boolean => ordered.some((product) => marketing(channel, product).basis === 'soft_opt_in');
  const optOut = (channel: PreferenceChannel): boolean => {
    const decision = marketing(channel, null);
    return decision.allowed && decision.basis === 'legitimate_interest';
  };
  return {
    standing: { email: standing('email'), sms: standing('sms'), phone: standing('phone'), post: standing('post') },
    softOptIn: { email: softOptIn('email'), sms: softOptIn('sms'), phone: softOptIn('phone'), post: softOptIn('post') },
    optOut: { email: optOut('email'), sms: optOut('sms'), phone: optOut('phone'), post: optOut('post') },
  };
}

/** The unsubscribe suppressions of the customer's address on the channel that stand at `at`: what their own new consent lifts. */
async function liftableUnsubscribes(deps: PreferenceDeps, customer: Customer, channel: Channel, at: Instant): Promise<Suppression[]> {
  const address = channelAddress(customer, channel);
  if (address === null) return [];
  return (await deps.suppressions.forAddress(channel, address)).filter((s) => s.reason === 'unsubscribe' && suppressionInForce(s, at));
}

/** Writes one ledger record for every item the person changed; unchanged items write nothing. */
export async function savePreferences(deps: PreferenceDeps, customer: Customer, wanted: Partial<Preferences>, locale: string): Promise<number> {
  const now = deps.now();
  const current = await currentPreferences(deps, customer);
  const base = { customerId: customer.id, at: now, source: 'preference_centre', noticeVersion: deps.noticeVersion, noticeLocale: locale, evidenceRef: null };
  const records: NewLedgerRecord[] = [];
  const toLift: Suppression[] = [];
  for (const channel of PREFERENCE_CHANNELS) {
    const value = wanted.marketing?.[channel];
    if (value == null) continue;
    // A "yes" over a standing unsubscribe is a change even when the ledger already says granted.
    const lifts = value === 'granted' ? await liftableUnsubscribes(deps, customer, channel, now) : [];
    if (value !== current.marketing[channel] || lifts.length > 0) {
      records.push({ ...base, kind: 'consent', purpose: 'marketing', channel, value });
      toLift.push(...lifts);
    }
  }
  if (wanted.partnerEmail != null && wanted.partnerEmail !== current.partnerEmail) {
    records.push({ ...base, kind: 'consent', purpose: 'partner_marketing', channel: 'email', value: wanted.partnerEmail });
  }
  const objections = [
    ['direct_marketing', wanted.objectsToDirectMarketing, current.objectsToDirectMarketing],
    ['profiling', wanted.objectsToProfiling, current.objectsToProfiling],
  ] as const;
  for (const [scope, want, has] of objections) {
    if (want !== undefined && want !== has) records.push({ ...base, kind: 'objection', scope, value: want ? 'objected' : 'withdrawn' });
  }
  const appended = await deps.ledger.append(records);
  // After the consent is in the ledger, so that a lift never stands without the consent it rests on.
  for (const suppression of toLift) {
    const consent = appended.find((r) => r.kind === 'consent' && r.purpose === 'marketing' && r.channel === suppression.channel);
    await deps.suppressions.lift({ suppressionId: suppression.id, at: now, source: 'preference_centre', evidenceRef: consent === undefined ? null : `ledger:${consent.seq}` });
  }
  return records.length;
}

function lastOf(records: LedgerRecord[]): LedgerRecord | undefined {
  // History comes in (at, seq) order: the last is the latest.
  return records.at(-1);
}
