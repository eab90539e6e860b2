/**
 * Deliveries as durable work. Claiming is one statement per batch: on PostgreSQL the candidate rows
 * are locked with `FOR UPDATE SKIP LOCKED`, so workers on several machines never take the same row;
 * SQLite has one writer at a time, which gives the same guarantee. A claim is a lease: rows of a
 * worker that died become claimable again when it runs out.
 */
import { sql, type Kysely } from 'kysely';
import type { CampaignStatus, ClaimedDelivery, DeliveryStore, TemplateStore } from '../core/campaign.ts';
import type { Instant } from '../core/records.ts';
import type { Dialect } from './database.ts';
import { GroupCommit } from './group-commit.ts';
import type { Schema } from './schema.ts';

interface SentRecord {
  id: number;
  workerId: string;
  at: Instant;
  messageId: string;
}

export class SqlDeliveryStore implements DeliveryStore {
  /** Hand-offs that finished together are recorded in one transaction (each caller waits for its commit). */
  private readonly sent: GroupCommit<SentRecord>;

  constructor(
    private readonly db: Kysely<Schema>,
    private readonly dialect: Dialect,
  ) {
    this.sent = new GroupCommit((batch) => this.writeSent(batch));
  }

  async claim(campaignId: number, workerId: string, limit: number, now: Instant, leaseUntil: Instant): Promise<ClaimedDelivery[]> {
    const lock = this.dialect === 'postgres' ? sql`FOR UPDATE SKIP LOCKED` : sql``;
    const rows = await sql<{ id: number; customer_id: string; attempts: number }>`
      UPDATE deliveries SET state = 'claimed', claimed_by = ${workerId}, lease_until = ${leaseUntil}, attempts = attempts + 1
      WHERE id IN (
        SELECT id FROM deliveries
        WHERE campaign_id = ${campaignId} AND (state = 'queued' OR (state = 'claimed' AND lease_until < ${now}))
        ORDER BY id LIMIT ${limit} ${lock})
      RETURNING id, customer_id, attempts`.execute(this.db);
    return rows.rows.map((r) => ({ id: Number(r.id), customerId: r.customer_id, attempts: Number(r.attempts) })).sort((a, b) => a.id - b.id);
  }

  markSent(id: number, workerId: string, at: Instant, messageId: string): Promise<void> {
    return this.sent.add({ id, workerId, at, messageId });
  }

  private async writeSent(batch: SentRecord[]): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      for (const p of batch) {
        await trx
          .updateTable('deliveries')
          .set({ state: 'sent', sent_at: p.at, message_id: p.messageId, lease_until: null })
          .where('id', '=', p.id)
          .where('claimed_by', '=', p.workerId)
          .where('state', '=', 'claimed')
          .execute();
      }
    });
  }

  async markSkipped(id: number, workerId: string, reasons: readonly string[]): Promise<void> {
    await this.finish(id, workerId, { state: 'skipped', reasons: reasons.join(','), basis: null });
  }

  async markFailed(id: number, workerId: string, error: string): Promise<void> {
    await this.finish(id, workerId, { state: 'failed', last_error: error.slice(0, 500) });
  }

  async find(id: number): Promise<{ id: number; campaignId: number; customerId: string } | null> {
    const row = await this.db.selectFrom('deliveries').select(['id', 'campaign_id', 'customer_id']).where('id', '=', id).executeTakeFirst();
    return row === undefined ? null : { id: Number(row.id), campaignId: Number(row.campaign_id), customerId: row.customer_id };
  }

  async recordBounce(id: number, kind: 'hard' | 'soft' | 'complaint'): Promise<number> {
    // A complaint or a hard bounce is final; soft bounces count up until one of those arrives.
    await this.db
      .updateTable('deliveries')
      .set((eb) => ({
        bounce: eb.fn.coalesce(eb.case().when('bounce', 'in', ['hard', 'complaint']).then(eb.ref('bounce')).else(sql.lit(kind)).end(), sql.lit(kind)),
        soft_bounces: kind === 'soft' ? eb('soft_bounces', '+', 1) : eb.ref('soft_bounces'),
      }))
      .where('id', '=', id)
      .execute();
    const row = await this.db.selectFrom('deliveries').select('soft_bounces').where('id', '=', id).executeTakeFirst();
    return Number(row?.soft_bounces ?? 0);
  }

  async unsubscribes(campaignId: number): Promise<number> {
    const row = await this.db
      .selectFrom('ledger')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('source', '=', 'unsubscribe_link')
      .where('evidence_ref', '=', `campaign:${campaignId}`)
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  async outcomeCounts(campaignId: number): Promise<{ sent: number; hard: number; soft: number; complaints: number }> {
    const row = await this.db
      .selectFrom('deliveries')
      .select((eb) => [
        eb.fn.sum<number>(eb.case().when('state', '=', 'sent').then(1).else(0).end()).as('sent'),
        eb.fn.sum<number>(eb.case().when('bounce', '=', 'hard').then(1).else(0).end()).as('hard'),
        eb.fn.sum<number>(eb.case().when('bounce', '=', 'soft').then(1).else(0).end()).as('soft'),
        eb.fn.sum<number>(eb.case().when('bounce', '=', 'complaint').then(1).else(0).end()).as('complaints'),
      ])
      .where('campaign_id', '=', campaignId)
      .executeTakeFirst();
    return { sent: Number(row?.sent ?? 0), hard: Number(row?.hard ?? 0), soft: Number(row?.soft ?? 0), complaints: Number(row?.complaints ?? 0) };
  }

  async setStatus(campaignId: number, status: CampaignStatus): Promise<void> {
    await this.db.updateTable('campaigns').set({ status }).where('id', '=', campaignId).execute();
  }

  private async finish(id: number, workerId: string, changes: Record<string, string | null>): Promise<void> {
    // Only the holder of the claim may finish it: a worker whose lease ran out and was taken over
    // must not overwrite the new holder's outcome.
    await this.db
      .updateTable('deliveries')
      .set({ ...changes, lease_until: null })
      .where('id', '=', id)
      .where('claimed_by', '=', workerId)
      .where('state', '=', 'claimed')
      .execute();
  }
}

/** Message templates, stored as their definition (compiled when a campaign is sent). */
export class SqlTemplateStore implements TemplateStore {
  constructor(private readonly db: Kysely<Schema>) {}

  async save(id: string, definition: unknown, at: Instant): Promise<void> {
    const json = JSON.stringify(definition);
    await this.db
      .insertInto('templates')
      .values({ id, definition: json, created_at: at })
      .onConflict((oc) => oc.column('id').doUpdateSet({ definition: json }))
      .execute();
  }

  async get(id: string): Promise<unknown> {
    const row = await this.db.selectFrom('templates').select('definition').where('id', '=', id).executeTakeFirst();
    if (row === undefined) return null;
    return typeof row.definition === 'string' ? JSON.parse(row.definition) : row.definition;
  }
}
