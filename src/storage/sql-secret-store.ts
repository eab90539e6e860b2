/** Secrets Lupa makes for itself, created once and then shared by every process using the store. */
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Instant } from '../core/records.ts';
import type { Schema } from './schema.ts';

export class SqlSecretStore {
  constructor(
    private readonly db: Kysely<Schema>,
    private readonly now: () => Instant,
  ) {}

  /** The named secret; made (32 random bytes) on first use. Two processes racing get the same value. */
  async getOrCreate(name: string): Promise<string> {
    await this.db
      .insertInto('app_secrets')
      .values({ name, value: randomBytes(32).toString('base64url'), created_at: this.now() })
      .onConflict((oc) => oc.column('name').doNothing())
      .execute();
    const row = await this.db.selectFrom('app_secrets').select('value').where('name', '=', name).executeTakeFirstOrThrow();
    return row.value;
  }
}
