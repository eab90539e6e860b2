/**
 * Suppressions per channel address. Appended like the ledger; a repeated entry is stored once.
 * A lift (the person's own later consent ending an unsubscribe) is appended beside it, never an edit.
 */
import { sql, type Kysely } from 'kysely';
import { DomainError } from '../core/errors.ts';
import type { NewSuppression, SuppressionStore } from '../core/ports.ts';
import type { Instant, Suppression, SuppressionLift } from '../core/records.ts';
import type { Channel } from '../core/vocabulary.ts';
import { suppressionFingerprint } from './fingerprint.ts';
import { suppressionFromRow } from './row-mappers.ts';
import type { Schema } from './schema.ts';

export class SqlSuppressionStore implements SuppressionStore {
  constructor(
    private readonly db: Kysely<Schema>,
    private readonly now: () => Instant,
  ) {}

  async add(s: NewSuppression): Promise<Suppression> {
    const fingerprint = suppressionFingerprint(s);
    await this.db
      .insertInto('suppressions')
      .values({
        channel: s.channel,
        address: s.address,
        reason: s.reason,
        at: s.at,
        valid_until: s.validUntil,
        recorded_at: this.now(),
        source: s.source,
        fingerprint,
      })
      .onConflict((oc) => oc.column('fingerprint').doNothing())
      .execute();
    const row = await this.withLiftTime().where('s.fingerprint', '=', fingerprint).executeTakeFirstOrThrow();
    return suppressionFromRow(row);
  }

  async forAddress(channel: Channel, address: string): Promise<Suppression[]> {
    const rows = await this.withLiftTime().where('s.channel', '=', channel).where('s.address', '=', address).orderBy('s.at').orderBy('s.id').execute();
    return rows.map(suppressionFromRow);
  }

  async lift(lift: SuppressionLift): Promise<void> {
    const target = await this.db.selectFrom('suppressions').select('reason').where('id', '=', lift.suppressionId).executeTakeFirst();
    // The database refuses it too (a trigger); this names the reason before trying.
    if (target?.reason !== 'unsubscribe') throw new DomainError('SUPPRESSION_NOT_LIFTABLE', 'only an unsubscribe suppression can be lifted');
    await this.db
      .insertInto('suppression_lifts')
      .values({ suppression_id: lift.suppressionId, at: lift.at, recorded_at: this.now(), source: lift.source, evidence_ref: lift.evidenceRef })
      .execute();
  }

  /** Suppression rows with the time of their earliest lift (null: never lifted). */
  private withLiftTime() {
    return this.db
      .selectFrom('suppressions as s')
      .selectAll('s')
      .select(sql<string | null>`(SELECT MIN(l.at) FROM suppression_lifts l WHERE l.suppression_id = s.id)`.as('lifted_at'));
  }
}
