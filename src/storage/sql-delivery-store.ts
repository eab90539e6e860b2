/**
 * Deliveries as durable work. Claiming is one statement per batch: on PostgreSQL the candidate rows
 * are locked with `FOR UPDATE SKIP LOCKED`, so workers on several machines never take the same row;
 * SQLite has one writer at a time, which gives the same guarantee. A claim is a lease: rows of a
 * worker that died become claimable again when it runs out. A soft bounce puts its delivery back in
 * the queue with a time before which it is not claimed (back-off).
 */
import { sql, type Kysely } from 'kysely';
import type { CampaignStatus, ClaimedDelivery, DeliveryRecord, DeliveryStore, OutcomeCounts, SoftBounceRecord, TemplateStore } from '../core/campaign.ts';
import type { Instant } from '../core/records.ts';
import type { Dialect } from './database.ts';
import { GroupCommit } from './group-commit.ts';
import type { Schema } from './schema.ts';

/** Deliveries a worker may claim at `now`: queued and due, or claimed by a worker whose lease ran out. */
function claimable(now: Instant) {
  return sql<boolean>`((state = 'queued' AND (not_before IS NULL OR not_before <= ${now})) OR (state = 'claimed' AND lease_until < ${now}))`;
}

interface SentRecord {
  id: number;
  workerId: string;
  at: Instant;
  messageId: string;
  sentTo: string;
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
    // A retry waits in the queue until its not_before; the attempt is counted by the soft bounces
    // before it, so a takeover after a crash sends the same attempt again.
    const rows = await sql<{ id: number; customer_id: string; attempts: number; send_attempt: number }>`
      UPDATE deliveries SET state = 'claimed', claimed_by = ${workerId}, lease_until = ${leaseUntil}, attempts = attempts + 1
      WHERE id IN (
        SELECT id FROM deliveries
        WHERE campaign_id = ${campaignId} AND ${claimable(now)}
        ORDER BY id LIMIT ${limit} ${lock})
      RETURNING id, customer_id, attempts, soft_bounces + 1 AS send_attempt`.execute(this.db);
    return rows.rows
      .map((r) => ({ id: Number(r.id), customerId: r.customer_id, attempts: Number(r.attempts), sendAttempt: Number(r.send_attempt) }))
      .sort((a, b) => a.id - b.id);
  }

  async release(ids: readonly number[], workerId: string): Promise<void> {
    if (ids.length === 0) return;
    // Back in the queue as if never claimed: nothing was handed off.
    await this.db
      .updateTable('deliveries')
      .set({ state: 'queued', claimed_by: null, lease_until: null, attempts: sql<number>`attempts - 1` })
      .where('id', 'in', [...ids])
      .where('claimed_by', '=', workerId)
      .where('state', '=', 'claimed')
      .execute();
  }

  async workable(now: Instant): Promise<number[]> {
    // A running campaign with nothing queued or claimed is only waiting to be marked done, which
    // the worker that looks at it does; one whose open deliveries are all retries not yet due, or
    // live claims of other workers, has nothing for anyone now.
    const rows = await sql<{ id: number }>`
      SELECT c.id FROM campaigns c
      WHERE c.status = 'running'
        AND (EXISTS (SELECT 1 FROM deliveries WHERE campaign_id = c.id AND ${claimable(now)})
          OR NOT EXISTS (SELECT 1 FROM deliveries WHERE campaign_id = c.id AND state IN ('queued', 'claimed')))
      ORDER BY c.id`.execute(this.db);
    return rows.rows.map((r) => Number(r.id));
  }

  markSent(id: number, workerId: string, at: Instant, messageId: string, sentTo: string): Promise<void> {
    return this.sent.add({ id, workerId, at, messageId, sentTo });
  }

  private async writeSent(batch: SentRecord[]): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      for (const p of batch) {
        await trx
          .updateTable('deliveries')
          // A retry that went out replaces the soft bounce of the attempt before: it is answered anew.
          .set({ state: 'sent', sent_at: p.at, message_id: p.messageId, sent_to: p.sentTo, lease_until: null, bounce: sql<string | null>`CASE WHEN bounce = 'soft' THEN NULL ELSE bounce END` })
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

  async find(id: number): Promise<DeliveryRecord | null> {
    const row = await this.db.selectFrom('deliveries').select(['id', 'campaign_id', 'customer_id', 'sent_at', 'message_id', 'sent_to', 'bounce']).where('id', '=', id).executeTakeFirst();
    if (row === undefined) return null;
    const bounce = row.bounce === 'soft' || row.bounce === 'hard' || row.bounce === 'complaint' ? row.bounce : null;
    return { id: Number(row.id), campaignId: Number(row.campaign_id), customerId: row.customer_id, sentAt: row.sent_at as Instant | null, messageId: row.message_id, sentTo: row.sent_to, bounce };
  }

  async recordBounce(id: number, kind: 'hard' | 'complaint'): Promise<void> {
    // A complaint or a hard bounce is final: the first one stays, and a delivery waiting for a
    // retry ends (as sent: its earlier hand-off is what was answered).
    await this.db
      .updateTable('deliveries')
      .set((eb) => ({
        bounce: eb.case().when('bounce', 'in', ['hard', 'complaint']).then(eb.ref('bounce')).else(sql.lit(kind)).end(),
        state: eb.case().when(eb.and([eb('state', '=', 'queued'), eb('bounce', '=', 'soft')])).then(sql.lit('sent')).else(eb.ref('state')).end(),
      }))
      .where('id', '=', id)
      .execute();
  }

  async recordSoftBounce(id: number, retryAt: (softBounces: number) => Instant | null): Promise<SoftBounceRecord | null> {
    return this.db.transaction().execute(async (trx) => {
      // The campaign row is locked too, so a worker finishing the campaign and this retry are
      // ordered (see completeIfDrained): a campaign is never left done with a retry in its queue.
      const lock = this.dialect === 'postgres' ? sql`FOR UPDATE` : sql``;
      const found = await sql<{ state: string; bounce: string | null; soft_bounces: number; campaign_id: number; status: string }>`
        SELECT d.state, d.bounce, d.soft_bounces, d.campaign_id, c.status
        FROM deliveries d JOIN campaigns c ON c.id = d.campaign_id
        WHERE d.id = ${id} ${lock}`.execute(trx);
      const row = found.rows[0];
      // Only the answer to a hand-off that has none yet counts: a report repeated, or one that
      // arrives while the retry waits, is the same failure again.
      if (row === undefined || row.state !== 'sent' || row.bounce !== null) return null;
      const softBounces = Number(row.soft_bounces) + 1;
      const at = row.status === 'cancelled' ? null : retryAt(softBounces);
      const requeue = at === null ? {} : { state: 'queued', not_before: at, claimed_by: null, lease_until: null };
      await trx.updateTable('deliveries').set({ bounce: 'soft', soft_bounces: softBounces, ...requeue }).where('id', '=', id).execute();
      if (at !== null && row.status === 'done') await trx.updateTable('campaigns').set({ status: 'running' }).where('id', '=', Number(row.campaign_id)).execute();
      return { softBounces, retryAt: at };
    });
  }

  async completeIfDrained(campaignId: number): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const lock = this.dialect === 'postgres' ? sql`FOR UPDATE` : sql``;
      const campaign = await sql<{ status: string }>`SELECT status FROM campaigns WHERE id = ${campaignId} ${lock}`.execute(trx);
      if (campaign.rows[0]?.status !== 'running') return false;
      // Read after the lock: a retry queued by a soft bounce that held it is seen here.
      const open = await trx
        .selectFrom('deliveries')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('campaign_id', '=', campaignId)
        .where('state', 'in', ['queued', 'claimed'])
        .executeTakeFirst();
      if (Number(open?.n ?? 0) > 0) return false;
      await trx.updateTable('campaigns').set({ status: 'done' }).where('id', '=', campaignId).execute();
      return true;
    });
  }

  async nextRetryAt(campaignId: number): Promise<Instant | null> {
    const row = await this.db
      .selectFrom('deliveries')
      .select((eb) => eb.fn.min<string | null>('not_before').as('next'))
      .where('campaign_id', '=', campaignId)
      .where('state', '=', 'queued')
      .executeTakeFirst();
    return (row?.next ?? null) as Instant | null;
  }

  async unsubscribes(campaignId: number): Promise<number> {
    const row = await this.db
      .selectFrom('ledger')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('source', 'in', ['unsubscribe_link', 'unsubscribe_mail'])
      .where('evidence_ref', '=', `campaign:${campaignId}`)
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  async outcomeCounts(campaignId: number): Promise<OutcomeCounts> {
    const row = await this.db
      .selectFrom('deliveries')
      .select((eb) => [
        // Handed off at least once: a delivery waiting for its retry was sent all the same.
        eb.fn.sum<number>(eb.case().when('sent_at', 'is not', null).then(1).else(0).end()).as('sent'),
        eb.fn.sum<number>(eb.case().when('bounce', '=', 'hard').then(1).else(0).end()).as('hard'),
        eb.fn.sum<number>(eb.case().when('bounce', '=', 'soft').then(1).else(0).end()).as('soft'),
        eb.fn.sum<number>(eb.case().when('bounce', '=', 'complaint').then(1).else(0).end()).as('complaints'),
        eb.fn.sum<number>(eb.case().when(eb.and([eb('bounce', '=', 'soft'), eb('state', 'in', ['queued', 'claimed'])])).then(1).else(0).end()).as('retrying'),
      ])
      .where('campaign_id', '=', campaignId)
      .executeTakeFirst();
    return {
      sent: Number(row?.sent ?? 0),
      hard: Number(row?.hard ?? 0),
      soft: Number(row?.soft ?? 0),
      complaints: Number(row?.complaints ?? 0),
      retrying: Number(row?.retrying ?? 0),
    };
  }

  async setStatus(campaignId: number, status: CampaignStatus): Promise<void> {
    await this.db.updateTable('campaigns').set({ status, status_reason: null }).where('id', '=', campaignId).execute();
  }

  async pauseRunning(campaignId: number, reason: string): Promise<boolean> {
    const result = await this.db.updateTable('campaigns').set({ status: 'paused', status_reason: reason }).where('id', '=', campaignId).where('status', '=', 'running').executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
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
