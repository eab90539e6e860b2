/** API keys over Kysely, for both dialects. Holds only key hashes; revocation keeps the row for the audit trail. */
import type { Kysely } from 'kysely';
import { isRole, type ApiKeyRecord, type ApiKeyStore } from '../core/access.ts';
import type { Instant } from '../core/records.ts';
import type { ApiKeysTable, Schema } from './schema.ts';

function keyFromRow(row: ApiKeysTable): ApiKeyRecord | null {
  // The table's CHECK allows only known roles; a row that still has another one grants nothing.
  if (!isRole(row.role)) return null;
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    keyHash: row.key_hash,
    createdAt: row.created_at as Instant,
    revokedAt: row.revoked_at as Instant | null,
  };
}

export class SqlApiKeyStore implements ApiKeyStore {
  constructor(private readonly db: Kysely<Schema>) {}

  async insert(key: ApiKeyRecord): Promise<void> {
    await this.db
      .insertInto('api_keys')
      .values({ id: key.id, name: key.name, role: key.role, key_hash: key.keyHash, created_at: key.createdAt, revoked_at: key.revokedAt })
      .execute();
  }

  async findByHash(keyHash: string): Promise<ApiKeyRecord | null> {
    const row = await this.db.selectFrom('api_keys').selectAll().where('key_hash', '=', keyHash).executeTakeFirst();
    return row === undefined ? null : keyFromRow(row);
  }

  async revoke(id: string, at: Instant): Promise<boolean> {
    const result = await this.db
      .updateTable('api_keys')
      .set({ revoked_at: at })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) > 0) return true;
    const existing = await this.db.selectFrom('api_keys').select('id').where('id', '=', id).executeTakeFirst();
    return existing !== undefined;
  }

  async list(): Promise<ApiKeyRecord[]> {
    const rows = await this.db.selectFrom('api_keys').selectAll().orderBy('created_at').orderBy('id').execute();
    return rows.map(keyFromRow).filter((k): k is ApiKeyRecord => k !== null);
  }
}
