/**
 * Earlier campaigns that sent the same template or product to people a new campaign selects: one
 * statement over campaigns, their deliveries and the customers the new campaign's filter selects,
 * the same on SQLite and PostgreSQL (the filter's SQL is the audience's own, `filterConditions`).
 */
import type { Kysely } from 'kysely';
import type { Instant } from '../core/records.ts';
import type { RecentCampaignStore, RecentSend, RecentSendQuery } from '../core/recent-campaigns.ts';
import { filterConditions, gotItSql } from './audience-facts.ts';
import type { Schema } from './schema.ts';
import { withParams } from './sql-text.ts';

interface RecentRow {
  id: number | string;
  name: string;
  launched_at: string;
  same: RecentSend['same'];
  overlap: number | string;
}

export class SqlRecentCampaignStore implements RecentCampaignStore {
  constructor(private readonly db: Kysely<Schema>) {}

  async recentSends(q: RecentSendQuery): Promise<RecentSend[]> {
    const values: (string | null)[] = [];
    const param = (value: string | null): string => `\u0000${values.push(value) - 1}\u0000`;
    const template = param(q.templateId);
    const sku = param(q.sku);
    const text = `
      SELECT k.id AS id, k.name AS name, k.launched_at AS launched_at,
        CASE WHEN k.template_id = ${template} AND k.sku = ${sku} THEN 'both' WHEN k.template_id = ${template} THEN 'template' ELSE 'product' END AS same,
        COUNT(*) AS overlap
      FROM campaigns k
      JOIN deliveries d ON d.campaign_id = k.id
      JOIN customers c ON c.id = d.customer_id
      WHERE k.launched_at >= ${param(q.since)} AND k.purpose <> 'service' AND k.id <> ${param(String(q.exceptId ?? 0))}
        AND (k.template_id = ${template} OR k.sku = ${sku})
        AND ${gotItSql('d', 'k')}
        ${filterConditions({ filter: q.filter, at: q.at }, param).map((c) => `AND ${c}`).join(' ')}
      GROUP BY k.id, k.name, k.launched_at, k.template_id, k.sku
      ORDER BY k.launched_at DESC, k.id DESC`;
    const { rows } = await withParams(text, values).execute(this.db);
    return (rows as RecentRow[]).map((r) => ({ campaignId: Number(r.id), name: r.name, launchedAt: r.launched_at as Instant, same: r.same, overlap: Number(r.overlap) }));
  }
}
