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

export interface AdServerDeps extends DecideDeps {
  siteEvents: { customerOfVisitor(visitorId: string): Promise<string | null> };
  advertiserSegments: Pick<AdvertiserSegmentStore, 'offeredSegmentsOf'>;
  now: () => Instant;
}

/** What in the customer's ledger says no to ads chosen for them on the sites, whatever the browser says. */
const LEDGER_REFUSALS: readonly BlockingReason[] = ['CONSENT_WITHDRAWN', 'OBJECTED', 'PROFILING_OBJECTED'];

/**
 * The offered segment ids (ascending) the visitor is in; empty for a visitor who never signed in,
 * a customer no longer in the register, or one whose ledger refuses (LEDGER_REFUSALS).
 */
export async function visitorAdSegments(deps: AdServerDeps, visitorId: string): Promise<number[]> {
  const customerId = await deps.siteEvents.customerOfVisitor(visitorId);
  if (customerId === null) return [];
  // A customer erased since the visitor signed in has no decision: nothing to show, not an error.
  const decision = await decideForCustomer(deps, { customerId: customerId as CustomerId, purpose: 'site_ads', channel: 'web', sku: null, at: deps.now() }).catch((err: unknown) => {
    if (isDomainError(err) && err.code === 'UNKNOWN_CUSTOMER') return null;
    throw err;
  });
  if (decision === null || decision.reasons.some((r) => (LEDGER_REFUSALS as readonly string[]).includes(r))) return [];
  return deps.advertiserSegments.offeredSegmentsOf(customerId);
}
