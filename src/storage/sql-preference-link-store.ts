/**
 * The fresh preference links sent on request, counted per customer for every process on the
 * store (core/preference-links.ts). A turn is one upsert: the customer's row is created or, when
 * its last turn is older than the window, moved to now; a newer turn leaves it untouched (no row
 * returned: no turn). SQLite runs the statement as one write transaction; PostgreSQL serialises
 * the upserts of one row on its lock.
 */
import { sql, type Kysely } from 'kysely';
import type { PreferenceLinkStore } from '../core/preference-links.ts';
import type { CustomerId, Instant } from '../core/records.ts';
import type { Schema } from './schema.ts';

/** The migration whose time of application is when links without an issue time count as made. */
export const LINK_ISSUE_TIME_MIGRATION = '0020_preference_link_requests.sql';

export class SqlPreferenceLinkStore implements PreferenceLinkStore {
  private legacy: Promise<Instant> | null = null;

  constructor(private readonly db: Kysely<Schema>) {}

  legacyLinksIssuedAt(): Promise<Instant> {
    // Written once by the migration and never changed: read once per process.
    this.legacy ??= this.db
      .selectFrom('schema_migrations')
      .select('applied_at')
      .where('version', '=', LINK_ISSUE_TIME_MIGRATION)
      .executeTakeFirstOrThrow()
      .then((row) => new Date(row.applied_at).toISOString() as Instant);
    return this.legacy;
  }

  async takeFreshLinkTurn(customerId: CustomerId, at: Instant, windowStart: Instant): Promise<boolean> {
    const rows = await sql<{ customer_id: string }>`
      INSERT INTO preference_link_requests (customer_id, requested_at) VALUES (${customerId}, ${at})
      ON CONFLICT (customer_id) DO UPDATE SET requested_at = excluded.requested_at
        WHERE preference_link_requests.requested_at <= ${windowStart}
      RETURNING customer_id`.execute(this.db);
    return rows.rows.length > 0;
  }

  async giveBackFreshLinkTurn(customerId: CustomerId, at: Instant): Promise<void> {
    await this.db.deleteFrom('preference_link_requests').where('customer_id', '=', customerId).where('requested_at', '=', at).execute();
  }
}
