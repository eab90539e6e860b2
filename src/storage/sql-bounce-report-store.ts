/** Held reports and sender-side refusals (migration 0011), on both dialects. */
import type { Kysely } from 'kysely';
import type { BounceReportStore, HeldReport } from '../core/bounce-reports.ts';
import type { Instant } from '../core/records.ts';
import type { Dialect } from './database.ts';
import type { Schema } from './schema.ts';

export class SqlBounceReportStore implements BounceReportStore {
  constructor(
    private readonly db: Kysely<Schema>,
    private readonly dialect: Dialect,
  ) {}

  async hold(report: HeldReport): Promise<number> {
    const row = await this.db
      .insertInto('held_reports')
      .values({
        received_at: report.receivedAt,
        size_bytes: report.sizeBytes,
        reason: report.reason,
        message: Buffer.from(report.message),
        truncated: this.dialect === 'postgres' ? report.truncated : Number(report.truncated),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return Number(row.id);
  }

  async recordRefusal(deliveryId: number, campaignId: number, reason: string, at: Instant): Promise<boolean> {
    const result = await this.db
      .insertInto('delivery_refusals')
      .values({ delivery_id: deliveryId, campaign_id: campaignId, reason, at })
      .onConflict((oc) => oc.column('delivery_id').doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async refusals(campaignId: number): Promise<Record<string, number>> {
    const rows = await this.db
      .selectFrom('delivery_refusals')
      .select((eb) => ['reason', eb.fn.countAll<number>().as('n')])
      .where('campaign_id', '=', campaignId)
      .groupBy('reason')
      .orderBy('reason')
      .execute();
    return Object.fromEntries(rows.map((r) => [r.reason, Number(r.n)]));
  }
}
