/** Suppressions per channel address. Appended like the ledger; a repeated entry is stored once. */
import type { Kysely } from 'kysely';
import type { NewSuppression, SuppressionStore } from '../core/ports.ts';
import type { Instant, Suppression } from '../core/records.ts';
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
    const row = await this.db.selectFrom('suppressions').selectAll().where('fingerprint', '=', fingerprint).executeTakeFirstOrThrow();
    return suppressionFromRow(row);
  }

  async forAddress(channel: Channel, address: string): Promise<Suppression[]> {
    const rows = await this.db
      .selectFrom('suppressions')
      .selectAll()
      .where('channel', '=', channel)
      .where('address', '=', address)
      .orderBy('at')
      .execute();
    return rows.map(suppressionFromRow);
  }
}
