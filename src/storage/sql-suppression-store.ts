/**
 * Suppressions per channel address. Appended like the ledger; a repeated entry is stored once.
 * A lift (the person's own later consent ending an unsubscribe, or a person lifting a manual entry,
 * hard bounce or complaint with a note) is appended beside it, never an edit. The list is searched
 * newest first by id, by address (exact, or a prefix as a code-point range), channel, reason and state.
 */
import { sql, type Kysely } from 'kysely';
import { DomainError } from '../core/errors.ts';
import type { PageRequest } from '../core/listings.ts';
import type { NewSuppression, SuppressionStore } from '../core/ports.ts';
import type { Instant, Suppression, SuppressionLift } from '../core/records.ts';
import { liftStorable, noteText, type SuppressionEntry, type SuppressionFilter, type SuppressionListStore } from '../core/suppression-list.ts';
import { prefixEnd } from '../core/name-words.ts';
import type { Channel, SuppressionReason } from '../core/vocabulary.ts';
import type { Dialect } from './database.ts';
import { suppressionFingerprint } from './fingerprint.ts';
import { suppressionFromRow } from './row-mappers.ts';
import type { Schema } from './schema.ts';

export class SqlSuppressionStore implements SuppressionStore, SuppressionListStore {
  constructor(
    private readonly db: Kysely<Schema>,
    private readonly now: () => Instant,
    private readonly dialect: Dialect = 'sqlite',
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
        note: noteText(s.note),
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
    if (target === undefined) throw new DomainError('NOT_FOUND', `no suppression ${lift.suppressionId}`);
    const note = noteText(lift.note);
    // The database refuses it too (a trigger); this names the reason before trying.
    const refusal = liftStorable(target.reason as SuppressionReason, note);
    if (refusal !== null) throw refusal;
    await this.db
      .insertInto('suppression_lifts')
      .values({ suppression_id: lift.suppressionId, at: lift.at, recorded_at: this.now(), source: lift.source, evidence_ref: lift.evidenceRef, note })
      .execute();
  }

  async search(filter: SuppressionFilter, page: PageRequest<number>): Promise<SuppressionEntry[]> {
    let query = this.entries().orderBy('s.id', 'desc').limit(page.limit);
    if (page.after !== null) query = query.where('s.id', '<', page.after);
    if (filter.channel !== undefined) query = query.where('s.channel', '=', filter.channel);
    if (filter.reason !== undefined) query = query.where('s.reason', '=', filter.reason);
    if (filter.state !== undefined) {
      const lifted = sql<boolean>`EXISTS (SELECT 1 FROM suppression_lifts l WHERE l.suppression_id = s.id)`;
      query = query.where(filter.state === 'lifted' ? lifted : sql<boolean>`NOT ${lifted}`);
    }
    if (filter.address !== undefined) {
      const { value, match } = filter.address;
      if (match === 'exact') query = query.where('s.address', '=', value);
      else {
        // Code-point order on both dialects (PostgreSQL's collation might not be), so the range is a prefix.
        const address = this.dialect === 'postgres' ? sql<string>`(s.address COLLATE "C")` : sql<string>`s.address`;
        query = query.where(address, '>=', value).where(address, '<', prefixEnd(value));
      }
    }
    return (await query.execute()).map(entryFromRow);
  }

  async entry(id: number): Promise<SuppressionEntry | null> {
    const row = await this.entries().where('s.id', '=', id).executeTakeFirst();
    return row === undefined ? null : entryFromRow(row);
  }

  /** Suppression rows with the time of their earliest lift (null: never lifted). */
  private withLiftTime() {
    return this.db
      .selectFrom('suppressions as s')
      .select(['s.id', 's.channel', 's.address', 's.reason', 's.at', 's.valid_until', 's.recorded_at', 's.source', 's.fingerprint'])
      .select(sql<string | null>`(SELECT MIN(l.at) FROM suppression_lifts l WHERE l.suppression_id = s.id)`.as('lifted_at'));
  }

  /** Rows as listed: with the note, and the earliest lift's row (a suppression is lifted once by hand; the first lift is the one that counts). */
  private entries() {
    return this.withLiftTime()
      .select('s.note')
      .leftJoin('suppression_lifts as l', (join) =>
        join.onRef('l.suppression_id', '=', 's.id').on('l.id', '=', (eb) => eb.selectFrom('suppression_lifts as f').select((f) => f.fn.min('f.id').as('first')).whereRef('f.suppression_id', '=', 's.id')),
      )
      .select(['l.at as lift_at', 'l.recorded_at as lift_recorded_at', 'l.source as lift_source', 'l.note as lift_note']);
  }
}

type EntryRow = Parameters<typeof suppressionFromRow>[0] & {
  note: string | null;
  lift_at: string | null;
  lift_recorded_at: string | null;
  lift_source: string | null;
  lift_note: string | null;
};

function entryFromRow(row: EntryRow): SuppressionEntry {
  return {
    ...suppressionFromRow(row),
    recordedAt: row.recorded_at as Instant,
    note: row.note,
    lift:
      row.lift_at === null
        ? null
        : { at: row.lift_at as Instant, recordedAt: row.lift_recorded_at as Instant, source: row.lift_source ?? '', note: row.lift_note },
  };
}
