/**
 * Ad audiences on SQLite and PostgreSQL through Kysely. What was sent is one row per hashed
 * identifier; a successful sync writes its additions and deletes its removals in one transaction,
 * so a failed sync leaves the state of the last successful one. The hashes go to the database as
 * one array parameter per 50,000 (`json_each` on SQLite, `unnest` on PostgreSQL): a million rows
 * are a few dozen statements, not a million.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import { IDENTIFIER_KINDS, type AdPlatform } from '../../core/ad-audiences/identifiers.ts';
import type {
  AdAudience,
  AdAudienceStore,
  AdAudienceSync,
  CustomerContacts,
  HashedIdentifier,
  NewAdAudience,
  SyncOutcome,
} from '../../core/ad-audiences/ports.ts';
import { DomainError } from '../../core/errors.ts';
import type { AudienceFilter } from '../../core/ports.ts';
import type { CustomerId, Instant } from '../../core/records.ts';
import { jsonArray } from '../row-mappers.ts';
import type { AdAudienceSyncsTable, AdAudiencesTable, Schema } from '../schema.ts';

/** Customers per contacts read. */
const CHUNK = 10_000;
/** Hashes per array parameter when the state is written, and per page when it is read. */
const HASH_CHUNK = 50_000;

type AudienceRow = Omit<AdAudiencesTable, 'id'> & { id: number };
type SyncRow = Omit<AdAudienceSyncsTable, 'id'> & { id: number };

export class SqlAdAudienceStore implements AdAudienceStore {
  constructor(
    private readonly db: Kysely<Schema>,
    private readonly dialect: 'sqlite' | 'postgres',
  ) {}

  async create(a: NewAdAudience): Promise<AdAudience> {
    const taken = await this.db.selectFrom('ad_audiences').select('id').where('name', '=', a.name).executeTakeFirst();
    if (taken !== undefined) throw new DomainError('AD_AUDIENCE_EXISTS', `an ad audience named "${a.name}" exists`, { field: 'name' });
    const row = await this.db
      .insertInto('ad_audiences')
      .values({ name: a.name, platform: a.platform, external_id: a.externalId, filter: JSON.stringify(a.filter), created_at: a.at, created_by: a.createdBy })
      .returning('id')
      .executeTakeFirstOrThrow();
    const created = await this.get(Number(row.id));
    if (created === null) throw new Error('ad audience vanished after insert');
    return created;
  }

  async get(id: number): Promise<AdAudience | null> {
    const row = await this.db.selectFrom('ad_audiences').selectAll().where('id', '=', id).executeTakeFirst();
    return row === undefined ? null : this.withState(row as AudienceRow);
  }

  async list(): Promise<AdAudience[]> {
    const rows = await this.db.selectFrom('ad_audiences').selectAll().orderBy('id').execute();
    return Promise.all(rows.map((r) => this.withState(r as AudienceRow)));
  }

  async refusalCandidates(): Promise<CustomerId[]> {
    // ledger_by_topic: the withdrawals and the objections only, not every record.
    const { rows } = await sql<{ customer_id: string }>`
      SELECT DISTINCT customer_id FROM ledger
      WHERE (kind = 'consent' AND purpose = 'ad_audience' AND value = 'withdrawn') OR (kind = 'objection' AND value = 'objected')
      ORDER BY customer_id`.execute(this.db);
    return rows.map((r) => r.customer_id as CustomerId);
  }

  async *sentIdentifiers(audienceId: number): AsyncIterable<HashedIdentifier> {
    for (const kind of IDENTIFIER_KINDS) {
      let after = '';
      for (;;) {
        const rows = await this.db
          .selectFrom('ad_audience_identifiers')
          .select('hash')
          .where('audience_id', '=', audienceId)
          .where('kind', '=', kind)
          .where('hash', '>', after)
          .orderBy('hash')
          .limit(HASH_CHUNK)
          .execute();
        for (const r of rows) yield { kind, hash: r.hash };
        const last = rows.at(-1);
        if (last === undefined || rows.length < HASH_CHUNK) break;
        after = last.hash;
      }
    }
  }

  async contactsOf(customerIds: readonly CustomerId[]): Promise<CustomerContacts[]> {
    const out: CustomerContacts[] = [];
    for (let i = 0; i < customerIds.length; i += CHUNK) {
      const ids = this.textList(customerIds.slice(i, i + CHUNK));
      const { rows } = await sql<{ id: string; emails: string | string[]; phones: string | string[] }>`
        SELECT id, emails, phones FROM customers WHERE id IN (${ids})`.execute(this.db);
      for (const r of rows) out.push({ customerId: r.id as CustomerId, emails: jsonArray(r.emails), phones: jsonArray(r.phones) });
    }
    return out;
  }

  async recordSuccess(audienceId: number, added: readonly HashedIdentifier[], removed: readonly HashedIdentifier[], outcome: SyncOutcome): Promise<AdAudienceSync> {
    return this.db.transaction().execute(async (trx) => {
      for (const kind of IDENTIFIER_KINDS) {
        const gone = removed.filter((r) => r.kind === kind).map((r) => r.hash);
        for (let i = 0; i < gone.length; i += HASH_CHUNK) {
          await sql`DELETE FROM ad_audience_identifiers WHERE audience_id = ${audienceId} AND kind = ${kind}
            AND hash IN (${this.textList(gone.slice(i, i + HASH_CHUNK))})`.execute(trx);
        }
        // In key order: the index grows at its end instead of splitting pages all over.
        const sent = added.filter((a) => a.kind === kind).map((a) => a.hash).sort();
        for (let i = 0; i < sent.length; i += HASH_CHUNK) {
          await sql`INSERT INTO ad_audience_identifiers (audience_id, kind, hash, sent_at)
            SELECT ${audienceId}, ${kind}, h, ${outcome.finishedAt} FROM (${this.textList(sent.slice(i, i + HASH_CHUNK))}) AS sent
            WHERE true ON CONFLICT DO NOTHING`.execute(trx);
        }
      }
      return insertSync(trx, audienceId, outcome);
    });
  }

  /**
   * Texts (hashes, customer ids) as one parameter, read as a one-column table of `h`: no statement
   * with thousands of placeholders. (`WHERE true` above: SQLite's parser needs it before ON CONFLICT.)
   */
  private textList(texts: readonly string[]) {
    return this.dialect === 'postgres'
      ? sql`SELECT unnest(${[...texts]}::text[]) AS h`
      : sql`SELECT value AS h FROM json_each(${JSON.stringify(texts)})`;
  }

  async recordFailure(audienceId: number, outcome: SyncOutcome): Promise<AdAudienceSync> {
    return insertSync(this.db, audienceId, outcome);
  }

  async claimSync(audienceId: number, claim: string, at: Instant, staleBefore: Instant): Promise<boolean> {
    const result = await this.db
      .updateTable('ad_audiences')
      .set({ sync_claim: claim, sync_claimed_at: at })
      .where('id', '=', audienceId)
      .where((eb) => eb.or([eb('sync_claim', 'is', null), eb('sync_claimed_at', '<', staleBefore)]))
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async renewSyncClaim(audienceId: number, claim: string, at: Instant): Promise<boolean> {
    const result = await this.db.updateTable('ad_audiences').set({ sync_claimed_at: at }).where('id', '=', audienceId).where('sync_claim', '=', claim).executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async releaseSync(audienceId: number, claim: string): Promise<void> {
    await this.db.updateTable('ad_audiences').set({ sync_claim: null, sync_claimed_at: null }).where('id', '=', audienceId).where('sync_claim', '=', claim).execute();
  }

  async syncs(audienceId: number, limit: number): Promise<AdAudienceSync[]> {
    const rows = await this.db.selectFrom('ad_audience_syncs').selectAll().where('audience_id', '=', audienceId).orderBy('id', 'desc').limit(limit).execute();
    return rows.map((r) => syncFromRow(r as SyncRow));
  }

  private async withState(row: AudienceRow): Promise<AdAudience> {
    const id = Number(row.id);
    const [last, count] = await Promise.all([
      this.db
        .selectFrom('ad_audience_syncs')
        .selectAll()
        .where('audience_id', '=', id)
        .where('status', '=', 'succeeded')
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirst(),
      this.db.selectFrom('ad_audience_identifiers').select((eb) => eb.fn.countAll<number>().as('n')).where('audience_id', '=', id).executeTakeFirstOrThrow(),
    ]);
    return {
      id,
      name: row.name,
      platform: row.platform as AdPlatform,
      externalId: row.external_id,
      filter: JSON.parse(row.filter) as AudienceFilter,
      createdAt: row.created_at as Instant,
      createdBy: row.created_by,
      lastSync: last === undefined ? null : syncFromRow(last as SyncRow),
      identifiers: Number(count.n),
    };
  }
}

async function insertSync(db: Kysely<Schema> | Transaction<Schema>, audienceId: number, o: SyncOutcome): Promise<AdAudienceSync> {
  const row = await db
    .insertInto('ad_audience_syncs')
    .values({
      audience_id: audienceId,
      started_at: o.startedAt,
      finished_at: o.finishedAt,
      status: o.status,
      eligible: o.eligible,
      blocked: JSON.stringify(o.blocked),
      added: o.added,
      removed: o.removed,
      error: o.error,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: Number(row.id), audienceId, ...o };
}

function syncFromRow(r: SyncRow): AdAudienceSync {
  return {
    id: Number(r.id),
    audienceId: Number(r.audience_id),
    startedAt: r.started_at as Instant,
    finishedAt: r.finished_at as Instant,
    status: r.status as AdAudienceSync['status'],
    eligible: Number(r.eligible),
    blocked: JSON.parse(r.blocked) as AdAudienceSync['blocked'],
    added: Number(r.added),
    removed: Number(r.removed),
    error: r.error,
  };
}
