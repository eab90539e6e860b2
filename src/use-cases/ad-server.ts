/**
 * The ad server's question [S28] (docs/sites-and-ads.md, "Audiences for advertisers"): which of the
 * segments offered to advertisers is this visitor of the sites in? Asked for every ad shown, so it
 * is three indexed reads and nothing else: the visitor's customer, the customer's ledger for
 * `site_ads`, the customer's offered segments.
 *
 * The visitor has an id only because they granted `site_ads` in the browser (lupa.js keeps no id
 * otherwise: rule 9). The ledger can still say no: a withdrawal of `site_ads` or an objection
 * recorded for the customer gives an empty list. Membership is profiling (rule 7): an objector is
 * in no segment to begin with.
 */
import type { AdvertiserSegmentStore } from '../core/advertiser-segments.ts';
import { isDomainError } from '../core/errors.ts';
import type { CustomerId, Instant } from '../core/records.ts';
import type { BlockingReason } from '../core/vocabulary.ts';
import { decideForCustomer, type DecideDeps } from './decide-for-customer.ts';

/** What the ledger check of a visitor reads: who the visitor signed in as, and that customer's ledger. */
export interface VisitorLedgerDeps extends DecideDeps {
  siteEvents: { customerOfVisitor(visitorId: string): Promise<string | null> };
  now: () => Instant;
}

export interface AdServerDeps extends VisitorLedgerDeps {
  advertiserSegments: Pick<AdvertiserSegmentStore, 'offeredSegmentsOf'>;
}

/** What in the customer's ledger says no to ads chosen for them on the sites, whatever the browser says. */
export const LEDGER_REFUSALS: readonly BlockingReason[] = ['CONSENT_WITHDRAWN', 'OBJECTED', 'PROFILING_OBJECTED'];

/**
 * Who the visitor signed in as (null: never signed in), and whether that customer's ledger refuses
 * ads chosen for them on the sites now (LEDGER_REFUSALS: a `site_ads` withdrawal, an objection), or
 * the customer is no longer in the register (erased: refused too, nothing to show).
 * Used by the ad server's question and by remarketing lists (use-cases/remarketing.ts).
 */
export async function visitorLedger(deps: VisitorLedgerDeps, visitorId: string): Promise<{ customerId: string | null; refused: boolean }> {
  const customerId = await deps.siteEvents.customerOfVisitor(visitorId);
  if (customerId === null) return { customerId: null, refused: false };
  // A customer erased since the visitor signed in has no decision: nothing to show, not an error.
  const decision = await decideForCustomer(deps, { customerId: customerId as CustomerId, purpose: 'site_ads', channel: 'web', sku: null, at: deps.now() }).catch((err: unknown) => {
    if (isDomainError(err) && err.code === 'UNKNOWN_CUSTOMER') return null;
    throw err;
  });
  return { customerId, refused: decision === null || decision.reasons.some((r) => (LEDGER_REFUSALS as readonly string[]).includes(r)) };
}

/**
 * The offered segment ids (ascending) the visitor is in; empty for a visitor who never signed in,
 * a customer no longer in the register, or one whose ledger refuses (LEDGER_REFUSALS).
 */
export async function visitorAdSegments(deps: AdServerDeps, visitorId: string): Promise<number[]> {
  const { customerId, refused } = await visitorLedger(deps, visitorId);
  if (customerId === null || refused) return [];
  return deps.advertiserSegments.offeredSegmentsOf(customerId);
}
