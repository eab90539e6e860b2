/**
 * Hand-offs per channel and second, shared by every worker on the database. A take is one upsert:
 * the window's row is created or, under its row lock, raised by what is left of the limit; the
 * WHERE leaves a used-up window untouched (no row returned: nothing granted). SQLite runs the
 * statement as one write transaction; PostgreSQL serialises the upserts of one row on its lock.
 */
import { sql, type Kysely } from 'kysely';
import type { ChannelRateStore } from '../core/campaign.ts';
import type { RatedChannel } from '../core/channel-rate.ts';
import type { Instant } from '../core/records.ts';
import type { Dialect } from './database.ts';
import type { Schema } from './schema.ts';

export class SqlChannelRateStore implements ChannelRateStore {
  constructor(
    private readonly db: Kysely<Schema>,
    private readonly dialect: Dialect,
  ) {}

  async take(channel: RatedChannel, window: Instant, wanted: number, limit: number): Promise<number> {
    if (wanted <= 0) return 0;
    const least = this.dialect === 'postgres' ? sql.raw('LEAST') : sql.raw('MIN');
    // Typed, or PostgreSQL would read LEAST of two untyped parameters as text.
    const [want, max] = [sql`CAST(${wanted} AS INTEGER)`, sql`CAST(${limit} AS INTEGER)`];
    // Both SET expressions read the row as it was before this statement (taken < limit, per the WHERE).
    const rows = await sql<{ granted: number }>`
      INSERT INTO channel_rate (channel, second, taken, granted)
      VALUES (${channel}, ${window}, ${least}(${want}, ${max}), ${least}(${want}, ${max}))
      ON CONFLICT (channel, second) DO UPDATE
        SET taken = ${least}(channel_rate.taken + ${want}, ${max}),
            granted = ${least}(${want}, ${max} - channel_rate.taken)
        WHERE channel_rate.taken < ${max}
      RETURNING granted`.execute(this.db);
    return Number(rows.rows[0]?.granted ?? 0);
  }

  async forget(before: Instant): Promise<void> {
    await this.db.deleteFrom('channel_rate').where('second', '<', before).execute();
  }
}
