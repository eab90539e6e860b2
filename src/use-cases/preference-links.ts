/**
 * Preference links that expire, and the fresh link a person can have sent when theirs has
 * (docs/decisions/0014-link-lifetimes.md). A preference link works for LUPA_PREFERENCE_LINK_DAYS
 * from when it was made; a link made before tokens carried that time counts as made when this
 * version first ran on the store. An expired link still names its customer (its signature holds),
 * so its page can offer to send a fresh one: always to the customer's own address on record, never
 * to one a visitor types, at most once per LUPA_PREFERENCE_LINK_RESEND_MINUTES per customer.
 */
import { randomUUID } from 'node:crypto';
import type { MessageSender } from '../core/email-message.ts';
import { DomainError } from '../core/errors.ts';
import type { CustomerStore } from '../core/ports.ts';
import {
  freshLinkWindowStart,
  preferenceLinkExpired,
  preferenceLinkExpiresAt,
  type PreferenceLinkSettings,
  type PreferenceLinkStore,
} from '../core/preference-links.ts';
import type { Customer, CustomerId, Instant } from '../core/records.ts';
import { toInstant } from '../core/time.ts';
import type { TokenSigner } from '../security/signed-tokens.ts';
import { FRESH_LINK_NOTICE, freshLinkNotice } from '../templates/fresh-link-notice.ts';
import { decideForCustomer, type DecideDeps } from './decide-for-customer.ts';
import { preferencesUrl } from './unsubscribe.ts';

export interface PreferenceLinkDeps {
  signer: TokenSigner;
  customers: CustomerStore;
  preferenceLinks: PreferenceLinkStore;
  linkSettings: PreferenceLinkSettings;
  now: () => Instant;
}

/** A preference link's customer, and whether the link still works. */
export interface PreferenceLink {
  customer: Customer;
  expiresAt: Instant;
  expired: boolean;
}

/**
 * Reads a preference link's token.
 * @throws DomainError NOT_FOUND for a token that is not one of ours (altered, spelt otherwise,
 *   made for another purpose) or names no customer; never a hint why.
 */
export async function readPreferenceLink(deps: PreferenceLinkDeps, token: string): Promise<PreferenceLink> {
  const verified = deps.signer.verifyIssued('preferences', token);
  const id = verified?.fields[0];
  const customer = id === undefined ? null : await deps.customers.getCustomer(id as CustomerId);
  if (verified === null || customer === null) throw new DomainError('NOT_FOUND', 'this link is not valid');
  const expiresAt = preferenceLinkExpiresAt(verified.issuedAt, await deps.preferenceLinks.legacyLinksIssuedAt(), deps.linkSettings);
  return { customer, expiresAt, expired: preferenceLinkExpired(expiresAt, deps.now()) };
}

/**
 * The preference link an unsubscribe page offers (a path, for a link on that page): dated as the
 * unsubscribe link itself (`issuedAt`, seconds; null: made before links carried the time), so that
 * an old message's unsubscribe link, which never expires, does not hand out preference links that
 * work again.
 */
export async function preferencePathBeside(deps: Pick<PreferenceLinkDeps, 'signer' | 'preferenceLinks'>, customerId: string, issuedAt: number | null): Promise<string> {
  const at = issuedAt === null ? await deps.preferenceLinks.legacyLinksIssuedAt() : toInstant(issuedAt * 1000);
  return preferencesUrl(deps.signer, '', customerId, at);
}

export interface FreshLinkDeps extends PreferenceLinkDeps, DecideDeps {
  sender: MessageSender;
  publicUrl: string;
  /** Who the message is from: the default brand's sender (LUPA_SENDER_NAME, LUPA_SENDER_ADDRESS); it is signed with that brand's key. */
  from: { name: string; address: string };
}

export type FreshLinkOutcome =
  | { sent: true; customer: Customer }
  /** A fresh link went out to the customer less than LUPA_PREFERENCE_LINK_RESEND_MINUTES ago. */
  | { sent: false; reason: 'too_soon'; customer: Customer }
  /** No e-mail address on record, or none Lupa may send to (a hard bounce blocks every message). */
  | { sent: false; reason: 'no_address'; customer: Customer };

/**
 * Sends a fresh preference link to the customer a preference link named (`readPreferenceLink`;
 * expired or not), at the customer's first e-mail address on record, as a service message in
 * `locale` (fi/sv/en). The turn is taken before the hand-off; a hand-off that fails gives it back
 * and throws the sender's error.
 */
export async function sendFreshPreferenceLink(deps: FreshLinkDeps, customer: Customer, locale: string): Promise<FreshLinkOutcome> {
  const address = customer.emails[0];
  const at = deps.now();
  if (address === undefined) return { sent: false, reason: 'no_address', customer };
  // A service message too may not go to an address that bounced hard (compliance.md §2).
  const decision = await decideForCustomer(deps, { customerId: customer.id, purpose: 'service', channel: 'email', sku: null, at });
  if (!decision.allowed) return { sent: false, reason: 'no_address', customer };
  if (!(await deps.preferenceLinks.takeFreshLinkTurn(customer.id, at, freshLinkWindowStart(at, deps.linkSettings)))) {
    return { sent: false, reason: 'too_soon', customer };
  }
  try {
    const url = preferencesUrl(deps.signer, deps.publicUrl, customer.id, at);
    const message = await freshLinkNotice({ url, days: deps.linkSettings.linkDays, locale });
    await deps.sender.send({
      deliveryId: 0,
      attempt: 1,
      noticeId: randomUUID(),
      to: address,
      from: deps.from,
      subject: message.subject,
      html: message.html,
      text: message.text,
      unsubscribe: null,
      // Counted apart from every campaign's (campaign 0) in mailbox providers' feedback loops.
      feedback: { campaignId: 0, purpose: 'service', templateId: FRESH_LINK_NOTICE.id },
      locale: message.locale,
    });
  } catch (err) {
    await deps.preferenceLinks.giveBackFreshLinkTurn(customer.id, at);
    throw err;
  }
  return { sent: true, customer };
}
