/**
 * Unsubscribe and the preference centre, reached from every message by signed links. Every choice
 * is written to the ledger (with its source and the notice version shown) and takes effect at once:
 * the next decision already sees it.
 */
import { channelAddress } from '../core/decide.ts';
import { DomainError } from '../core/errors.ts';
import { parseChannel } from '../core/parse-query.ts';
import type { CustomerStore, LedgerStore, NewLedgerRecord, SuppressionStore } from '../core/ports.ts';
import type { Customer, CustomerId, Instant, LedgerRecord } from '../core/records.ts';
import type { Channel } from '../core/vocabulary.ts';
import type { TokenSigner } from '../security/signed-tokens.ts';

export interface PreferenceDeps {
  signer: TokenSigner;
  customers: CustomerStore;
  ledger: LedgerStore;
  suppressions: SuppressionStore;
  now: () => Instant;
  noticeVersion: string;
}

/** The link a message carries for one-click unsubscribe from marketing on its channel. */
export function unsubscribeUrl(signer: TokenSigner, publicUrl: string, customerId: string, channel: Channel, campaignId?: number): string {
  const fields = campaignId === undefined ? [customerId, channel] : [customerId, channel, campaignId];
  return `${publicUrl}/u/${signer.sign('unsubscribe', fields)}`;
}

/** The evidence reference of an unsubscribe from a campaign's message: campaign results count them. */
export function campaignEvidence(campaignId: number): string {
  return `campaign:${campaignId}`;
}

/** The link to the customer's preference page. */
export function preferencesUrl(signer: TokenSigner, publicUrl: string, customerId: string): string {
  return `${publicUrl}/p/${signer.sign('preferences', [customerId])}`;
}

/** Who an unsubscribe link is for; NOT_FOUND for a bad token (never a hint why). */
export async function unsubscribeTarget(deps: PreferenceDeps, token: string): Promise<{ customer: Customer; channel: Channel; campaignId: number | null }> {
  const fields = deps.signer.verify('unsubscribe', token);
  const customer = fields?.[0] === undefined ? null : await deps.customers.getCustomer(fields[0] as CustomerId);
  if (fields === null || customer === null) throw new DomainError('NOT_FOUND', 'this link is not valid');
  const campaignId = fields[2] === undefined ? null : Number(fields[2]);
  return { customer, channel: parseChannel(fields[1]), campaignId: Number.isSafeInteger(campaignId) ? campaignId : null };
}

/** One-click unsubscribe (RFC 8058): a marketing opt-out for the channel and an unsubscribe suppression of the address. */
export async function unsubscribe(deps: PreferenceDeps, token: string): Promise<{ customer: Customer; channel: Channel }> {
  const { customer, channel, campaignId } = await unsubscribeTarget(deps, token);
  const at = deps.now();
  await deps.ledger.append([
    { kind: 'consent', customerId: customer.id, purpose: 'marketing', channel, value: 'withdrawn', at, source: 'unsubscribe_link', noticeVersion: null, noticeLocale: null, evidenceRef: campaignId === null ? `unsubscribe:${channel}` : campaignEvidence(campaignId) },
  ]);
  const address = channelAddress(customer, channel);
  if (address !== null) await deps.suppressions.add({ channel, address, reason: 'unsubscribe', at, validUntil: null, source: 'unsubscribe_link' });
  return { customer, channel };
}

export const PREFERENCE_CHANNELS = ['email', 'sms', 'phone', 'post'] as const satisfies readonly Channel[];

/** What the page shows: the latest choice per item, or null where none was ever made. */
export interface Preferences {
  marketing: Record<(typeof PREFERENCE_CHANNELS)[number], 'granted' | 'withdrawn' | null>;
  partnerEmail: 'granted' | 'withdrawn' | null;
  objectsToDirectMarketing: boolean;
  objectsToProfiling: boolean;
}

export async function preferenceTarget(deps: PreferenceDeps, token: string): Promise<Customer> {
  const fields = deps.signer.verify('preferences', token);
  const customer = fields?.[0] === undefined ? null : await deps.customers.getCustomer(fields[0] as CustomerId);
  if (customer === null) throw new DomainError('NOT_FOUND', 'this link is not valid');
  return customer;
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
  };
}

/** Writes one ledger record for every item the person changed; unchanged items write nothing. */
export async function savePreferences(deps: PreferenceDeps, customer: Customer, wanted: Partial<Preferences>, locale: string): Promise<number> {
  const now = deps.now();
  const current = await currentPreferences(deps, customer);
  const base = { customerId: customer.id, at: now, source: 'preference_centre', noticeVersion: deps.noticeVersion, noticeLocale: locale, evidenceRef: null };
  const records: NewLedgerRecord[] = [];
  for (const channel of PREFERENCE_CHANNELS) {
    const value = wanted.marketing?.[channel];
    if (value != null && value !== current.marketing[channel]) records.push({ ...base, kind: 'consent', purpose: 'marketing', channel, value });
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
  await deps.ledger.append(records);
  return records.length;
}

function lastOf(records: LedgerRecord[]): LedgerRecord | undefined {
  // History comes in (at, seq) order: the last is the latest.
  return records.at(-1);
}
