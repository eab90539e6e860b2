/**
 * The `mailto:` target of `List-Unsubscribe` (RFC 2369 §3.2, RFC 8058 §3.1): an address at the
 * bounce domain, so that Lupa's own inbound SMTP receives it, whose local part carries a signed
 * token for one delivery: `<mailbox>+<id>-<tag>@<bounce domain>`. A mail to it unsubscribes that
 * delivery's recipient; an address whose token is missing or altered names nobody. Like the return
 * path (verp.ts) the token is case-insensitive and short, and holds no address in clear.
 */
import type { TokenSigner } from '../../security/signed-tokens.ts';

export interface UnsubscribeMailbox {
  /** The mailbox's local part, lower case (`unsubscribe`). */
  localPart: string;
  /** The bounce domain, lower case. */
  domain: string;
}

/**
 * The mailbox a `LUPA_UNSUBSCRIBE_MAILBOX` value names: a local part (`unsubscribe`) or a whole
 * address at the bounce domain. Throws an Error naming the problem (the caller adds the field) for
 * an address at another domain, which the receiver would never accept, or a local part that could
 * not carry the token (`+`, or longer than 30 characters: with the token it must fit RFC 5321's 64).
 */
export function parseUnsubscribeMailbox(value: string, bounceDomain: string): UnsubscribeMailbox {
  const text = value.trim().toLowerCase();
  const at = text.lastIndexOf('@');
  const localPart = at === -1 ? text : text.slice(0, at);
  const domain = bounceDomain.toLowerCase();
  if (at !== -1 && text.slice(at + 1) !== domain) throw new Error(`must be a local part or an address at the bounce domain (${domain})`);
  if (!/^[a-z0-9][a-z0-9._-]{0,29}$/.test(localPart)) throw new Error('the local part may have only letters, digits, dot, hyphen and underscore, at most 30');
  return { localPart, domain };
}

/** The address a delivery's `List-Unsubscribe` mailto goes to. */
export function unsubscribeMailAddress(signer: TokenSigner, mailbox: UnsubscribeMailbox, deliveryId: number): string {
  return `${mailbox.localPart}+${signer.signId('unsubscribe_mail', deliveryId)}@${mailbox.domain}`;
}

/** Whether an envelope recipient is the unsubscribe mailbox (with any token, or none). */
export function isUnsubscribeMailbox(mailbox: UnsubscribeMailbox, address: string): boolean {
  const text = address.trim().toLowerCase();
  return text === `${mailbox.localPart}@${mailbox.domain}` || (text.startsWith(`${mailbox.localPart}+`) && text.endsWith(`@${mailbox.domain}`));
}

/** The delivery an unsubscribe address names, or null when it carries no token or one that was not made here. */
export function deliveryFromUnsubscribeAddress(signer: TokenSigner, mailbox: UnsubscribeMailbox, address: string): number | null {
  if (!isUnsubscribeMailbox(mailbox, address)) return null;
  const text = address.trim().toLowerCase();
  const token = text.slice(mailbox.localPart.length + 1, text.length - mailbox.domain.length - 1);
  return token === '' ? null : signer.verifyId('unsubscribe_mail', token);
}
