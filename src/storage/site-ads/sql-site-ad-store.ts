/**
 * Own-product ads and their counts (migration 0045), on both stores. The slot-filling read is one
 * query for the placement's active ads, joined with their products' categories; counting is one
 * upsert that adds to the day's row.
 */
import { sql, type Kysely } from 'kysely';
import { DomainError } from '../../core/errors.ts';
import type { Instant } from '../../core/records.ts';
import type { SiteAd, SiteAdInput, SiteAdReportRow, SiteAdStore } from '../../core/site-ads/site-ads.ts';
import type { Schema } from '../schema.ts';

interface Row {
  id: number;
  name: string;
  headline: string;
  body_text: string;
  image_url: string | null;
  target_url: string;
  sku: string | null;
  category: string | null;
  placements: string;
  valid_from: string | null;
  valid_until: string | null;
  active: number;
  created_at: string;
  updated_at: string;
}

const SELECT = sql`SELECT a.id, a.name, a.headline, a.body_text, a.image_url, a.target_url, a.sku, p.category, a.placements,
  a.valid_from, a.valid_until, a.active, a.created_at, a.updated_at
  FROM site_ads a LEFT JOIN products p ON p.sku = a.sku`;

function toAd(r: Row): SiteAd {
  return {
    id: Number(r.id),
    name: r.name,
    headline: r.headline,
    text: r.body_text,
    imageUrl: r.image_url,
    targetUrl: r.target_url,
    sku: r.sku,
    category: r.category,
    placements: JSON.parse(r.placements) as string[],
    validFrom: r.valid_from as Instant | null,
    validUntil: r.valid_until as Instant | null,
    active: Number(r.active) === 1,
    createdAt: r.created_at as Instant,
    updatedAt: r.updated_at as Instant,
  };
}

export class SqlSiteAdStore implements SiteAdStore {
  constructor(private readonly db: Kysely<Schema>) {}

  async create(ad: SiteAdInput, at: Instant): Promise<SiteAd> {
    await this.requireProduct(ad.sku);
    const { rows } = await sql<{ id: number }>`INSERT INTO site_ads (name, headline, body_text, image_url, target_url, sku, placements, valid_from, valid_until, active, created_at, updated_at)
      VALUES (${ad.name}, ${ad.headline}, ${ad.text}, ${ad.imageUrl}, ${ad.targetUrl}, ${ad.sku}, ${JSON.stringify(ad.placements)}, ${ad.validFrom}, ${ad.validUntil}, ${ad.active ? 1 : 0}, ${at}, ${at})
      RETURNING id`.execute(this.db);
    return this.must(Number(rows[0]?.id));
  }

  async update(id: number, ad: SiteAdInput, at: Instant): Promise<SiteAd> {
    await this.requireProduct(ad.sku);
    const result = await sql`UPDATE site_ads SET name = ${ad.name}, headline = ${ad.headline}, body_text = ${ad.text}, image_url = ${ad.imageUrl}, target_url = ${ad.targetUrl},
      sku = ${ad.sku}, placements = ${JSON.stringify(ad.placements)}, valid_from = ${ad.validFrom}, valid_until = ${ad.validUntil}, active = ${ad.active ? 1 : 0}, updated_at = ${at}
      WHERE id = ${id}`.execute(this.db);
    if (Number(result.numAffectedRows ?? 0) === 0) throw new DomainError('NOT_FOUND', `no site ad ${id}`, { field: 'id' });
    return this.must(id);
  }

  async get(id: number): Promise<SiteAd | null> {
    const { rows } = await sql<Row>`${SELECT} WHERE a.id = ${id}`.execute(this.db);
    return rows[0] === undefined ? null : toAd(rows[0]);
  }

  async list(): Promise<SiteAd[]> {
    const { rows } = await sql<Row>`${SELECT} ORDER BY a.id DESC`.execute(this.db);
    return rows.map(toAd);
  }

  async forPlacement(placement: string): Promise<SiteAd[]> {
    // Few ads run at once: the placement is matched in the JSON text, quoted, then exactly in code.
    const { rows } = await sql<Row>`${SELECT} WHERE a.active = 1 AND a.placements LIKE ${`%${JSON.stringify(placement)}%`} ORDER BY a.id`.execute(this.db);
    return rows.map(toAd).filter((a) => a.placements.includes(placement));
  }

  async count(c: { adId: number; placement: string; day: string; basis: 'people' | 'aggregate'; impressions: number; clicks: number }): Promise<void> {
    await sql`INSERT INTO site_ad_counts (ad_id, placement, day, basis, impressions, clicks)
      VALUES (${c.adId}, ${c.placement}, ${c.day}, ${c.basis}, ${c.impressions}, ${c.clicks})
      ON CONFLICT (ad_id, placement, day, basis) DO UPDATE SET impressions = site_ad_counts.impressions + excluded.impressions, clicks = site_ad_counts.clicks + excluded.clicks`.execute(this.db);
  }

  async report(adId: number, q: { fromDay: string; toDay: string }): Promise<SiteAdReportRow[]> {
    const { rows } = await sql<{ placement: string; day: string; basis: 'people' | 'aggregate'; impressions: number; clicks: number }>`SELECT placement, day, basis, impressions, clicks
      FROM site_ad_counts WHERE ad_id = ${adId} AND day >= ${q.fromDay} AND day <= ${q.toDay}
      ORDER BY day, placement, basis`.execute(this.db);
    return rows.map((r) => ({ placement: r.placement, day: r.day, basis: r.basis, impressions: Number(r.impressions), clicks: Number(r.clicks) }));
  }

  private async requireProduct(sku: string | null): Promise<void> {
    if (sku === null) return;
    const { rows } = await sql`SELECT 1 FROM products WHERE sku = ${sku}`.execute(this.db);
    if (rows.length === 0) throw new DomainError('UNKNOWN_PRODUCT', `no product with sku ${sku}`, { field: 'sku' });
  }

  private async must(id: number): Promise<SiteAd> {
    const ad = await this.get(id);
    if (ad === null) throw new Error('site ad vanished after write');
    return ad;
  }
}
