/**
 * Own-product ads on the sites [S8, S14] (docs/sites-and-ads.md, "Own-product ads on the sites"):
 * writing ads, filling a slot a page asks for, and counting what visitors saw and clicked.
 *
 * A slot is filled personally only when `siteAdsCustomer` names the customer: the visitor has an id
 * (lupa.js makes one only with `site_ads` consent), signed in, and their ledger does not refuse
 * (compliance.md §2 rules 7 and 9). Otherwise the choice is contextual. Impressions and clicks are
 * kept per visitor (as site events, with their retention and erasure) only under the same consent;
 * otherwise they are only counted per ad, placement and day.
 */
import { siteOrigins, type Config } from '../config.ts';
import { DomainError } from '../core/errors.ts';
import type { Instant, OrderWithCategory } from '../core/records.ts';
import type { SiteEventStore } from '../core/site-events/site-events.ts';
import { adDay, checkSiteAd, chooseSiteAd, type AdPersonalContext, type SiteAd, type SiteAdInput, type SiteAdStore } from '../core/site-ads/site-ads.ts';
import type { TokenSigner } from '../security/signed-tokens.ts';
import { siteAdsCustomer } from './ad-server.ts';
import type { DecideDeps } from './decide-for-customer.ts';

/** How long a page may take to report an impression of the ad it was given (seconds). */
export const IMPRESSION_TOKEN_SECONDS = 3600;

/**
 * How long a click link counts its click for the visitor it was filled for (seconds). The link
 * keeps working after that, counted in aggregate: a link copied or shared, which carries the
 * visitor's id (sealed: nobody holding it can read it, security/signed-tokens.ts), must not go on
 * adding someone else's clicks to that visitor.
 */
export const CLICK_ATTRIBUTION_SECONDS = 24 * 3600;

export interface SiteAdDeps extends DecideDeps {
  siteAds: SiteAdStore;
  siteEvents: SiteEventStore;
  signer: TokenSigner;
  now: () => Instant;
  /** Origins a target may be on: the company's own sites and this server. */
  targetOrigins: readonly string[];
  /** This server's public URL, for the click links. */
  publicUrl: string;
}

/** The origins an ad's target may be on: LUPA_SITE_ORIGINS and this server's own. */
export function adTargetOrigins(config: Pick<Config, 'LUPA_SITE_ORIGINS'>, publicUrl: string): string[] {
  return [...(siteOrigins(config.LUPA_SITE_ORIGINS) ?? []), new URL(publicUrl).origin];
}

/** Writes a new ad. @throws VALIDATION_FAILED (see checkSiteAd), UNKNOWN_PRODUCT */
export async function createSiteAd(deps: Pick<SiteAdDeps, 'siteAds' | 'now' | 'targetOrigins'>, ad: SiteAdInput): Promise<SiteAd> {
  return deps.siteAds.create(checkSiteAd(ad, deps.targetOrigins), deps.now());
}

/** Changes the given fields of an ad. @throws NOT_FOUND, VALIDATION_FAILED, UNKNOWN_PRODUCT */
export async function updateSiteAd(deps: Pick<SiteAdDeps, 'siteAds' | 'now' | 'targetOrigins'>, id: number, patch: Partial<SiteAdInput>): Promise<SiteAd> {
  const current = await deps.siteAds.get(id);
  if (current === null) throw new DomainError('NOT_FOUND', `no site ad ${id}`, { field: 'id' });
  const { id: _id, category: _c, createdAt: _a, updatedAt: _u, ...input } = current;
  const next: SiteAdInput = { ...input, ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) };
  return deps.siteAds.update(id, checkSiteAd(next, deps.targetOrigins), deps.now());
}

/** What a page gets to show in a slot. */
export interface FilledSlot {
  ad: { id: number; headline: string; text: string; imageUrl: string | null };
  /** The signed redirect to the ad's stored target. */
  clickUrl: string;
  /** Sent back (POST /v1/site-ads/impressions) once the ad has been half visible for a second. */
  impressionToken: string;
  /** Whether the choice was made from the customer's orders. */
  personalised: boolean;
}

/** The customer's orders as the personal choice reads them: what they have now, and the categories they ordered from. */
function personalContext(orders: readonly OrderWithCategory[], at: Instant): AdPersonalContext {
  const newestFirst = [...orders].sort((a, b) => (a.startedAt < b.startedAt ? 1 : -1));
  return {
    currentSkus: new Set(newestFirst.filter((o) => o.endedAt === null || o.endedAt > at).map((o) => o.sku)),
    categories: [...new Set(newestFirst.map((o) => o.category))],
  };
}

/**
 * Fills a slot: the ad for `placement` on `site` for this visitor (`visitor`: the lupa.js id, given
 * only with site_ads consent), or null when no ad runs there.
 */
export async function fillSlot(deps: SiteAdDeps, q: { site: string; placement: string; visitor: string | null }): Promise<FilledSlot | null> {
  const at = deps.now();
  const customer = q.visitor === null ? null : await siteAdsCustomer(deps, q.visitor);
  const personal = customer === null ? null : personalContext(customer.orders, at);
  const choice = chooseSiteAd(await deps.siteAds.forPlacement(q.placement), q.placement, at, personal);
  if (choice === null) return null;
  const { ad } = choice;
  const visitor = q.visitor ?? '';
  const click = deps.signer.sign('site_ad_click', [ad.id, q.placement, q.site, visitor], Date.parse(at) / 1000);
  return {
    ad: { id: ad.id, headline: ad.headline, text: ad.text, imageUrl: ad.imageUrl },
    clickUrl: `${deps.publicUrl.replace(/\/$/, '')}/a/click/${click}`,
    impressionToken: deps.signer.sign('site_ad_impression', [ad.id, q.placement, q.site, visitor], Date.parse(at) / 1000),
    personalised: choice.personalised,
  };
}

/** Keeps one ad event of a consented visitor as a site event (retention, erasure and the timeline follow). */
async function keepPerVisitor(deps: SiteAdDeps, e: { site: string; visitorId: string; name: 'ad_impression' | 'ad_click'; page: string; placement: string; adId: number; at: Instant }): Promise<void> {
  await deps.siteEvents.append({
    events: [{ site: e.site, visitorId: e.visitorId, type: 'track', name: e.name, page: e.page, slot: e.placement, props: JSON.stringify({ ad: e.adId }), clientAt: null, at: e.at }],
    counts: [],
    identifications: [],
  });
}

/**
 * Counts an impression the page reports with the token it was given. Per visitor (`people`) only
 * when the ad was filled for a visitor id and the same id reports it (consent still given);
 * otherwise in aggregate. False: a bad or expired token (nothing counted).
 */
export async function recordImpression(deps: SiteAdDeps, r: { token: string; visitorId: string | null; page: string }): Promise<boolean> {
  const verified = deps.signer.verifyIssued('site_ad_impression', r.token);
  const at = deps.now();
  if (verified === null || verified.issuedAt === null || Date.parse(at) / 1000 - verified.issuedAt > IMPRESSION_TOKEN_SECONDS) return false;
  const [adId, placement, site, visitor] = verified.fields as [string, string, string, string];
  const perVisitor = visitor !== '' && visitor === r.visitorId;
  if (perVisitor) await keepPerVisitor(deps, { site, visitorId: visitor, name: 'ad_impression', page: r.page, placement, adId: Number(adId), at });
  await deps.siteAds.count({ adId: Number(adId), placement, day: adDay(at), basis: perVisitor ? 'people' : 'aggregate', impressions: 1, clicks: 0 });
  return true;
}

/**
 * A click through the signed redirect: counts it and answers the ad's stored target, or null for a
 * bad token or an ad no longer there (the route answers 404, never a redirect). Counted for the
 * visitor the ad was filled for only within CLICK_ATTRIBUTION_SECONDS of the fill, else in aggregate.
 */
export async function recordSiteAdClick(deps: SiteAdDeps, token: string): Promise<string | null> {
  const verified = deps.signer.verifyIssued('site_ad_click', token);
  if (verified === null) return null;
  const [adId, placement, site, filledFor] = verified.fields as [string, string, string, string];
  const ad = await deps.siteAds.get(Number(adId));
  if (ad === null) return null;
  const at = deps.now();
  // Per visitor only while the link is fresh (CLICK_ATTRIBUTION_SECONDS; links made before they carried their time: never).
  const fresh = verified.issuedAt !== null && Date.parse(at) / 1000 - verified.issuedAt <= CLICK_ATTRIBUTION_SECONDS;
  const visitor = fresh ? filledFor : '';
  // The page the click leads to: the click itself happens on a page Lupa is not told.
  if (visitor !== '') await keepPerVisitor(deps, { site, visitorId: visitor, name: 'ad_click', page: new URL(ad.targetUrl).pathname, placement, adId: ad.id, at });
  await deps.siteAds.count({ adId: ad.id, placement, day: adDay(at), basis: visitor === '' ? 'aggregate' : 'people', impressions: 0, clicks: 1 });
  // As a parser reads it: an ad stored before targets were normalised cannot break the header.
  return new URL(ad.targetUrl).href;
}
