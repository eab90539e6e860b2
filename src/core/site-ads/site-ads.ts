/**
 * Own-product ads on the company's sites [S8, S14] (docs/sites-and-ads.md, "Own-product ads on the
 * sites"): a catalogue of ads for the company's own products, the choice of one ad for a slot a
 * page asks to fill, and what is counted of it.
 *
 * The choice is personal (from the customer's orders) only for a visitor who has an id (which
 * lupa.js makes only with `site_ads` consent), signed in, and whose ledger does not refuse
 * (compliance.md §2 rules 7 and 9); for anyone else it is contextual: the placement's default order,
 * the same for everyone. Impressions and clicks without consent are only counted per ad,
 * placement and day. Pure: no I/O.
 */
import { DomainError } from '../errors.ts';
import { parseInstant } from '../time.ts';
import type { Instant } from '../records.ts';

/** A placement's name as the site's pages write it (`front-top`, `article_side`). */
export const PLACEMENT_PATTERN = /^[a-z0-9][a-z0-9_-]{0,39}$/;

/** An own-product ad as stored. */
export interface SiteAd {
  id: number;
  /** The marketer's name for it (never shown to visitors). */
  name: string;
  headline: string;
  text: string;
  /** An https URL or a path on the site (`/img/uv.png`); null: text only. */
  imageUrl: string | null;
  /** Where a click leads: a page of the company's own sites (LUPA_SITE_ORIGINS or this server). */
  targetUrl: string;
  /** The product advertised, or null for a general ad. */
  sku: string | null;
  /** The product's category (from the catalogue), for the personal choice; null without a product. */
  category: string | null;
  /** The placements it may appear in. */
  placements: string[];
  validFrom: Instant | null;
  validUntil: Instant | null;
  active: boolean;
  createdAt: Instant;
  updatedAt: Instant;
}

/** What a marketer writes: an ad without its id, category and times. */
export type SiteAdInput = Omit<SiteAd, 'id' | 'category' | 'createdAt' | 'updatedAt'>;

/**
 * Checks an ad as written and returns it as it is stored: the target in the form a URL parser reads
 * it (what a browser would open), so the click redirect's Location is that form. The target must be
 * http(s) on one of `siteOrigins` (the company's own sites: a click redirect to anywhere else would
 * make Lupa an open redirect for whoever writes ads), with no whitespace or control character (a
 * parser drops a line break silently, a Location header cannot carry one); the image an https URL or
 * a path; the validity window in order; at least one placement.
 * @throws DomainError VALIDATION_FAILED naming the field
 */
export function checkSiteAd(ad: SiteAdInput, siteOrigins: readonly string[]): SiteAdInput {
  const fail = (field: string, message: string): never => {
    throw new DomainError('VALIDATION_FAILED', message, { field });
  };
  if (/[\s\u0000-\u001f\u007f]/.test(ad.targetUrl)) fail('targetUrl', 'the target must not contain spaces, line breaks or other control characters');
  let target: URL | null = null;
  try {
    target = new URL(ad.targetUrl);
  } catch {
    fail('targetUrl', 'the target is not an absolute URL');
  }
  if (target !== null && (!['http:', 'https:'].includes(target.protocol) || !siteOrigins.includes(target.origin))) {
    fail('targetUrl', `the target must be a page of the company's own sites (${siteOrigins.join(', ')})`);
  }
  if (ad.imageUrl !== null && !/^(https:\/\/[^\s]+|\/(?!\/)[^\s]*)$/.test(ad.imageUrl)) fail('imageUrl', 'the image must be an https URL or a path starting with /');
  if (ad.placements.length === 0) fail('placements', 'an ad needs at least one placement');
  for (const p of ad.placements) if (!PLACEMENT_PATTERN.test(p)) fail('placements', `"${p}" is not a placement name (a-z, 0-9, - and _, at most 40)`);
  if (ad.validFrom !== null && ad.validUntil !== null && ad.validFrom >= ad.validUntil) fail('validUntil', 'validUntil must be after validFrom');
  return target === null ? ad : { ...ad, targetUrl: target.href };
}

/** Whether the ad may be shown in `placement` at `at`. */
export function adRuns(ad: SiteAd, placement: string, at: Instant): boolean {
  return ad.active && ad.placements.includes(placement) && (ad.validFrom === null || ad.validFrom <= at) && (ad.validUntil === null || at < ad.validUntil);
}

/** What the personal choice reads of a customer: their orders' products and categories. */
export interface AdPersonalContext {
  /** Products the customer subscribes to now: never advertised to them again. */
  currentSkus: ReadonlySet<string>;
  /** Categories of what they have ordered, now or before, most recent first: preferred. */
  categories: readonly string[];
}

/** The chosen ad and whether the choice was personal. */
export interface AdChoice {
  ad: SiteAd;
  personalised: boolean;
}

/**
 * Chooses the ad for a slot. Contextual (`personal` null): the running ads of the placement in the
 * default order (oldest ad first), the same for every visitor. Personal: leaves out ads for a
 * product the customer has now, and puts first the ads in the categories they ordered from (most
 * recent first); when that leaves nothing, the contextual choice. Null: no ad runs there.
 */
export function chooseSiteAd(ads: readonly SiteAd[], placement: string, at: Instant, personal: AdPersonalContext | null): AdChoice | null {
  const running = ads.filter((a) => adRuns(a, placement, at)).sort((a, b) => a.id - b.id);
  if (running.length === 0) return null;
  if (personal !== null) {
    const rank = (a: SiteAd): number => {
      const i = a.category === null ? -1 : personal.categories.indexOf(a.category);
      return i < 0 ? personal.categories.length : i;
    };
    const fitting = running.filter((a) => a.sku === null || !personal.currentSkus.has(a.sku));
    const best = fitting.map((ad, order) => ({ ad, order, rank: rank(ad) })).sort((x, y) => x.rank - y.rank || x.order - y.order)[0];
    if (best !== undefined) return { ad: best.ad, personalised: true };
  }
  return { ad: running[0] as SiteAd, personalised: false };
}

/** The day (UTC, `YYYY-MM-DD`) an impression or click is counted under. */
export function adDay(at: Instant): string {
  return at.slice(0, 10);
}

/** One row of an ad's report: a placement's day, counted in aggregate (no consent) or per visitor. */
export interface SiteAdReportRow {
  placement: string;
  day: string;
  /** `people`: visitors with site_ads consent (also kept per visitor); `aggregate`: only counted. */
  basis: 'people' | 'aggregate';
  impressions: number;
  clicks: number;
}

/** Clicks per impression (0–1), or null without impressions. */
export function clickThroughRate(impressions: number, clicks: number): number | null {
  return impressions === 0 ? null : clicks / impressions;
}

/** The store of ads and their counts. */
export interface SiteAdStore {
  create(ad: SiteAdInput, at: Instant): Promise<SiteAd>;
  /** @throws NOT_FOUND */
  update(id: number, ad: SiteAdInput, at: Instant): Promise<SiteAd>;
  get(id: number): Promise<SiteAd | null>;
  /** Every ad, newest first. */
  list(): Promise<SiteAd[]>;
  /** The ads that may run in `placement` (active; validity is checked by the caller). */
  forPlacement(placement: string): Promise<SiteAd[]>;
  /** Adds to the day's counts of an ad in a placement. */
  count(c: { adId: number; placement: string; day: string; basis: 'people' | 'aggregate'; impressions: number; clicks: number }): Promise<void>;
  /** The ad's counts in [fromDay, toDay], by placement, day and basis. */
  report(adId: number, q: { fromDay: string; toDay: string }): Promise<SiteAdReportRow[]>;
}

/** Impressions, clicks and their click-through rate. */
export interface AdFigures {
  impressions: number;
  clicks: number;
  /** clicks / impressions (0–1); null without impressions. */
  ctr: number | null;
}

/** An ad's report: totals, people and aggregate apart, per placement and per day. */
export interface SiteAdReport {
  total: AdFigures;
  people: AdFigures;
  aggregate: AdFigures;
  byPlacement: { placement: string; people: AdFigures; aggregate: AdFigures }[];
  byDay: { day: string; people: AdFigures; aggregate: AdFigures }[];
}

function figures(rows: readonly SiteAdReportRow[]): AdFigures {
  const impressions = rows.reduce((n, r) => n + r.impressions, 0);
  const clicks = rows.reduce((n, r) => n + r.clicks, 0);
  return { impressions, clicks, ctr: clickThroughRate(impressions, clicks) };
}

/** Sums an ad's count rows into its report (placements and days ascending). */
export function summariseSiteAdReport(rows: readonly SiteAdReportRow[]): SiteAdReport {
  const split = (part: readonly SiteAdReportRow[]) => ({ people: figures(part.filter((r) => r.basis === 'people')), aggregate: figures(part.filter((r) => r.basis === 'aggregate')) });
  const keys = (pick: (r: SiteAdReportRow) => string) => [...new Set(rows.map(pick))].sort();
  return {
    total: figures(rows),
    ...split(rows),
    byPlacement: keys((r) => r.placement).map((placement) => ({ placement, ...split(rows.filter((r) => r.placement === placement)) })),
    byDay: keys((r) => r.day).map((day) => ({ day, ...split(rows.filter((r) => r.day === day)) })),
  };
}

/** How many days a report covers when no start is given (ending with `to`). */
export const REPORT_DEFAULT_DAYS = 30;

/**
 * A report's days, inclusive: `to` defaults to today (UTC, from `now`), `from` to REPORT_DEFAULT_DAYS
 * days ending with `to`. @throws INVALID_DATE (field `from` or `to`) for a day that is not a real
 * `YYYY-MM-DD`; VALIDATION_FAILED (field `from`) when `from` is after `to`
 */
export function reportWindow(now: Instant, q: { from?: string | undefined; to?: string | undefined }): { fromDay: string; toDay: string } {
  for (const field of ['from', 'to'] as const) {
    const day = q[field];
    if (day !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(day)) throw new DomainError('INVALID_DATE', `${field} must be a day, YYYY-MM-DD`, { field });
    if (day !== undefined) parseInstant(day, field);
  }
  const toDay = q.to ?? now.slice(0, 10);
  const fromDay = q.from ?? new Date(Date.parse(`${toDay}T00:00:00Z`) - (REPORT_DEFAULT_DAYS - 1) * 86_400_000).toISOString().slice(0, 10);
  if (fromDay > toDay) throw new DomainError('VALIDATION_FAILED', 'from must not be after to', { field: 'from' });
  return { fromDay, toDay };
}
