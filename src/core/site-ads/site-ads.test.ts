/**
 * The choice of an own-product ad and an ad's checks: contextual is the placement's running ads
 * oldest first, the same for everyone; personal leaves out what the customer has now and prefers
 * the categories they ordered from; validity windows and placements are honoured; a target off the
 * company's sites and an image over plain http are refused.
 */
import { describe, expect, it } from 'vitest';
import type { Instant } from '../records.ts';
import { checkSiteAd, chooseSiteAd, reportWindow, summariseSiteAdReport, type SiteAd } from './site-ads.ts';

const AT = '2026-11-20T10:00:00.000Z' as Instant;
const ad = (id: number, sku: string | null, category: string | null, extra: Partial<SiteAd> = {}): SiteAd => ({
  id,
  name: `ad ${id}`,
  headline: 'h',
  text: 't',
  imageUrl: null,
  targetUrl: 'https://uutisvirta.fi/tilaa',
  sku,
  category,
  placements: ['front-top'],
  validFrom: null,
  validUntil: null,
  active: true,
  createdAt: AT,
  updatedAt: AT,
  ...extra,
});

describe('chooseSiteAd', () => {
  const ads = [ad(3, 'KPH-MAG', 'magazine'), ad(1, null, null), ad(2, 'UV-DIGI', 'digital'), ad(4, null, null, { validFrom: '2026-12-01T00:00:00.000Z' as Instant }), ad(5, null, null, { placements: ['side'] })];

  it('is the placement’s oldest running ad without a person', () => {
    expect(chooseSiteAd(ads, 'front-top', AT, null)).toEqual({ ad: ads[1], personalised: false });
    expect(chooseSiteAd(ads, 'side', AT, null)?.ad.id).toBe(5);
    expect(chooseSiteAd(ads, 'nowhere', AT, null)).toBeNull();
    expect(chooseSiteAd([ad(1, null, null, { active: false })], 'front-top', AT, null)).toBeNull();
  });

  it('leaves out a product the customer has now and prefers the categories they ordered from', () => {
    expect(chooseSiteAd(ads, 'front-top', AT, { currentSkus: new Set(['UV-DIGI']), categories: ['digital', 'magazine'] })).toMatchObject({ ad: { id: 3 }, personalised: true });
    expect(chooseSiteAd(ads, 'front-top', AT, { currentSkus: new Set(), categories: ['digital'] })?.ad.id).toBe(2);
    // Nothing in their categories: the first that fits, still chosen for them.
    expect(chooseSiteAd(ads, 'front-top', AT, { currentSkus: new Set(), categories: [] })?.ad.id).toBe(1);
    // Everything is what they have: the contextual ad.
    expect(chooseSiteAd([ad(2, 'UV-DIGI', 'digital')], 'front-top', AT, { currentSkus: new Set(['UV-DIGI']), categories: ['digital'] })).toMatchObject({ ad: { id: 2 }, personalised: false });
  });
});

describe('checkSiteAd', () => {
  const own = ['https://uutisvirta.fi'];
  const input = { name: 'n', headline: 'h', text: 't', imageUrl: '/img/a.png', targetUrl: 'https://uutisvirta.fi/tilaa', sku: null, placements: ['front-top'], validFrom: null, validUntil: null, active: true };
  const field = (patch: object): string | undefined => {
    try {
      checkSiteAd({ ...input, ...patch }, own);
      return undefined;
    } catch (err) {
      return (err as { field?: string }).field;
    }
  };

  it('stores the target as a URL parser reads it', () => {
    expect(checkSiteAd({ ...input, targetUrl: 'https://uutisvirta.fi\\@evil.example/x' }, own).targetUrl).toBe('https://uutisvirta.fi/@evil.example/x');
    expect(checkSiteAd({ ...input, targetUrl: 'HTTPS://Uutisvirta.FI/tilaa' }, own).targetUrl).toBe('https://uutisvirta.fi/tilaa');
  });

  it('takes an ad for the own sites and refuses targets, images, placements and windows that are wrong', () => {
    expect(field({})).toBeUndefined();
    expect(field({ imageUrl: 'https://cdn.example/a.png' })).toBeUndefined();
    expect(field({ targetUrl: 'https://uutisvirta.fi.evil.example/x' })).toBe('targetUrl');
    expect(field({ targetUrl: 'javascript:alert(1)' })).toBe('targetUrl');
    expect(field({ targetUrl: '/tilaa' })).toBe('targetUrl');
    expect(field({ targetUrl: 'https://uutisvirta.fi/x\nLocation: y' })).toBe('targetUrl');
    expect(field({ targetUrl: 'https://uutisvirta.fi/x\ty' })).toBe('targetUrl');
    expect(field({ targetUrl: 'https://uutisvirta.fi/a b' })).toBe('targetUrl');
    expect(field({ imageUrl: 'http://cdn.example/a.png' })).toBe('imageUrl');
    expect(field({ imageUrl: '//cdn.example/a.png' })).toBe('imageUrl');
    expect(field({ placements: [] })).toBe('placements');
    expect(field({ placements: ['Front Top'] })).toBe('placements');
    expect(field({ validFrom: '2026-12-01T00:00:00.000Z', validUntil: '2026-11-01T00:00:00.000Z' })).toBe('validUntil');
  });
});

describe('summariseSiteAdReport', () => {
  it('sums people and aggregate apart, by placement and by day, with the click-through rate', () => {
    const r = summariseSiteAdReport([
      { placement: 'side', day: '2026-11-02', basis: 'aggregate', impressions: 10, clicks: 1 },
      { placement: 'front-top', day: '2026-11-01', basis: 'people', impressions: 4, clicks: 2 },
      { placement: 'front-top', day: '2026-11-02', basis: 'aggregate', impressions: 6, clicks: 0 },
    ]);
    expect(r.total).toEqual({ impressions: 20, clicks: 3, ctr: 0.15 });
    expect(r.people).toEqual({ impressions: 4, clicks: 2, ctr: 0.5 });
    expect(r.byPlacement.map((p) => [p.placement, p.aggregate.impressions, p.people.impressions])).toEqual([['front-top', 6, 4], ['side', 10, 0]]);
    expect(r.byDay.map((d) => [d.day, d.aggregate.ctr, d.people.ctr])).toEqual([['2026-11-01', null, 0.5], ['2026-11-02', 1 / 16, null]]);
  });
});

describe('reportWindow', () => {
  const now = '2026-11-20T10:00:00.000Z' as Instant;
  const code = (q: { from?: string; to?: string }): [string | undefined, string | undefined] => {
    try {
      reportWindow(now, q);
      return [undefined, undefined];
    } catch (err) {
      return [(err as { code?: string }).code, (err as { field?: string }).field];
    }
  };
  it('takes real days, and names a day that is not one before comparing them', () => {
    expect(reportWindow(now, {})).toEqual({ fromDay: '2026-10-22', toDay: '2026-11-20' });
    expect(code({ from: '2026-13-01' })).toEqual(['INVALID_DATE', 'from']);
    expect(code({ to: '2026-02-30' })).toEqual(['INVALID_DATE', 'to']);
    expect(code({ from: 'eilen' })).toEqual(['INVALID_DATE', 'from']);
    expect(code({ from: '2026-11-21' })).toEqual(['VALIDATION_FAILED', 'from']);
  });
});
