/**
 * The ad server's question [S28] (docs/sites-and-ads.md, "Audiences for advertisers"): which of the
 * segments offered to advertisers is this visitor of the sites in? Asked for every ad shown, so it
 * is one indexed read (the visitor's customer with that customer's offered segments) and the
 * customer's decision records (kept in memory by the decision records cache) for the ledger check.
 *
 * The visitor has an id only because they granted `site_ads` in the browser (lupa.js keeps no id
 * otherwise: rule 9). The ledger can still say no: a withdrawal of `site_ads`, an objection or an
 * objection to profiling recorded for the customer gives an empty list. Membership is profiling (rule 7): an objector is
 * in no segment to begin with.
 */
import type { AdvertiserSegmentStore } from '../core/advertiser-segments.ts';
import { decide } from '../core/decide.ts';
import type { CustomerId, Instant, OrderWithCategory } from '../core/records.ts';
import type { BlockingReason } from '../core/vocabulary.ts';
import type { DecideDeps } from './decide-for-customer.ts';

/** What the ledger check of a visitor reads: who the visitor signed in as, and that customer's ledger. */
export interface VisitorLedgerDeps extends DecideDeps {
  siteEvents: { customerOfVisitor(visitorId: string): Promise<string | null> };
  now: () => Instant;
}

export interface AdServerDeps extends VisitorLedgerDeps {
  advertiserSegments: Pick<AdvertiserSegmentStore, 'visitorSegments'>;
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
  return { customerId, refused: (await customerAllowingSiteAds(deps, customerId)) === null };
}

/**
 * Whether the customer's ledger refuses ads chosen for them on the sites now (or the customer was
 * erased): what keeps a signed-in visitor's events from being stored per visitor (use-cases/site-events).
 */
export async function customerRefusesSiteAds(deps: DecideDeps & Pick<AdServerDeps, 'now'>, customerId: string): Promise<boolean> {
  return (await customerAllowingSiteAds(deps, customerId)) === null;
}

/** The customer behind a visitor, with their orders, when ads may be chosen for them. */
export interface SiteAdsCustomer {
  customerId: CustomerId;
  orders: OrderWithCategory[];
}

/**
 * The customer a visitor of the sites signed in as, when ads may be chosen for them: null for a
 * visitor who never signed in, a customer no longer in the register, or one whose ledger refuses
 * (LEDGER_REFUSALS in the `site_ads` decision on `web`: a withdrawal, an objection; or in the
 * `profiling` decision: choosing for a person from their data is profiling, rule 7). One read of
 * the customer's records, which also gives their orders. The one check behind every personal
 * answer on the sites (the ad server's segments, own-product ads).
 */
export async function siteAdsCustomer(deps: DecideDeps & Pick<AdServerDeps, 'siteEvents' | 'now'>, visitorId: string): Promise<SiteAdsCustomer | null> {
  const customerId = await deps.siteEvents.customerOfVisitor(visitorId);
  return customerId === null ? null : customerAllowingSiteAds(deps, customerId);
}

/** The customer, with their orders, when their ledger lets ads be chosen for them on the sites (see siteAdsCustomer); else null. */
async function customerAllowingSiteAds(deps: DecideDeps & Pick<AdServerDeps, 'now'>, customerId: string): Promise<SiteAdsCustomer | null> {
  const { records } = await deps.decisionRecords.recordsAndProduct(customerId as CustomerId, 'web', null);
  // A customer erased since the visitor signed in has no records: nothing to show, not an error.
  if (records === null) return null;
  const at = deps.now();
  for (const purpose of ['site_ads', 'profiling'] as const) {
    const decision = decide({ ...records, product: null, purpose, channel: 'web', at, settings: deps.settings });
    if (decision.reasons.some((r) => (LEDGER_REFUSALS as readonly string[]).includes(r))) return null;
  }
  return { customerId: customerId as CustomerId, orders: records.orders };
}

/**
 * The offered segment ids (ascending) the visitor is in; empty unless `siteAdsCustomer` names the
 * customer.
 */
export async function visitorAdSegments(deps: AdServerDeps, visitorId: string): Promise<number[]> {
  // The visitor's customer and segments in one read; the segments are answered only if the ledger allows.
  const { customerId, segments } = await deps.advertiserSegments.visitorSegments(visitorId);
  if (customerId === null) return [];
  return (await customerAllowingSiteAds(deps, customerId)) === null ? [] : segments;
}
