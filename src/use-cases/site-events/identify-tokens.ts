/**
 * Sign-in tokens for the browser SDK's `lupa.identify(token)` (docs/sites-and-ads.md): the site's
 * back end, which knows who signed in, asks Lupa for a token naming that customer
 * (`POST /v1/sites/identify-tokens`) and hands it to the page. The token is HMAC-signed for the
 * purpose `identify` (security/signed-tokens.ts: LUPA_SECRET, or the key made at the first start)
 * and works for LUPA_IDENTIFY_TOKEN_SECONDS, so a visitor can neither name another customer nor
 * keep a token found later.
 */
import { DomainError } from '../../core/errors.ts';
import type { CustomerStore } from '../../core/ports.ts';
import type { CustomerId, Instant } from '../../core/records.ts';
import type { TokenSigner } from '../../security/signed-tokens.ts';

export interface IdentifyTokenDeps {
  signer: TokenSigner;
  customers: CustomerStore;
  now: () => Instant;
  /** How long a token works, in seconds. */
  ttlSeconds: number;
}

/** Slack for a token made by another process whose clock runs a little ahead. */
const CLOCK_SKEW_SECONDS = 60;

/** A token for `customerId`, and when it stops working. UNKNOWN_CUSTOMER (field `customerId`) when there is none. */
export async function issueIdentifyToken(deps: IdentifyTokenDeps, customerId: string): Promise<{ token: string; expiresAt: Instant }> {
  if ((await deps.customers.getCustomer(customerId as CustomerId)) === null) {
    throw new DomainError('UNKNOWN_CUSTOMER', `no customer with id ${customerId}`, { field: 'customerId' });
  }
  const nowMs = Date.parse(deps.now());
  const issuedAt = Math.floor(nowMs / 1000);
  const token = deps.signer.sign('identify', [customerId], issuedAt);
  return { token, expiresAt: new Date((issuedAt + deps.ttlSeconds) * 1000).toISOString() as Instant };
}

/** Why a token was refused, for the per-event error. */
export type IdentifyRefusal = 'invalid' | 'expired' | 'other_customer';

/**
 * The customer a token names, or why it is refused: not made by Lupa for `identify` (or altered),
 * past its lifetime, or naming another customer than the page claims (`claimed`).
 */
export function verifyIdentifyToken(deps: Pick<IdentifyTokenDeps, 'signer' | 'now' | 'ttlSeconds'>, token: string, claimed: string | null): { ok: true; customerId: string } | { ok: false; refusal: IdentifyRefusal } {
  const verified = deps.signer.verifyIssued('identify', token);
  const customerId = verified?.fields[0];
  if (verified === null || verified.fields.length !== 1 || customerId === undefined || verified.issuedAt === null) return { ok: false, refusal: 'invalid' };
  const nowSeconds = Date.parse(deps.now()) / 1000;
  if (nowSeconds > verified.issuedAt + deps.ttlSeconds || verified.issuedAt > nowSeconds + CLOCK_SKEW_SECONDS) return { ok: false, refusal: 'expired' };
  if (claimed !== null && claimed !== customerId) return { ok: false, refusal: 'other_customer' };
  return { ok: true, customerId };
}

export const IDENTIFY_REFUSALS: Record<IdentifyRefusal, string> = {
  invalid: 'the identify token is not valid (not made by Lupa for this purpose, or altered)',
  expired: 'the identify token has expired: ask the site back end for a new one',
  other_customer: 'the identify token was made for another customer',
};
