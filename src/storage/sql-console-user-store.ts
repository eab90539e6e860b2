/** Console users, their sessions, set-password links and failed sign-ins over Kysely, for both dialects. */
import type { Kysely } from 'kysely';
import { isRole } from '../core/access.ts';
import type { ConsoleSession, ConsoleUser, ConsoleUserStore, PasswordSetToken, SignInFailures } from '../core/console-users.ts';
import type { Instant } from '../core/records.ts';
import type { ConsoleSessionsTable, ConsoleUsersTable, Schema } from './schema.ts';

function userFromRow(row: ConsoleUsersTable): ConsoleUser | null {
  // The table's CHECK allows only known roles; a row that still has another one grants nothing.
  if (!isRole(row.role)) return null;
  return {
    id: row.id,
    email: row.email,
    role: row.role,
    passwordHash: row.password_hash,
    createdAt: row.created_at as Instant,
    disabledAt: row.disabled_at as Instant | null,
  };
}

function sessionFromRow(row: ConsoleSessionsTable): ConsoleSession {
  return {
    tokenHash: row.token_hash,
    userId: row.user_id,
    csrfToken: row.csrf_token,
    createdAt: row.created_at as Instant,
    expiresAt: row.expires_at as Instant,
    endedAt: row.ended_at as Instant | null,
  };
}

export class SqlConsoleUserStore implements ConsoleUserStore {
  constructor(private readonly db: Kysely<Schema>) {}

  async insertUser(user: ConsoleUser): Promise<void> {
    await this.db
      .insertInto('console_users')
      .values({ id: user.id, email: user.email, role: user.role, password_hash: user.passwordHash, created_at: user.createdAt, disabled_at: user.disabledAt })
      .execute();
  }

  async userByEmail(email: string): Promise<ConsoleUser | null> {
    const row = await this.db.selectFrom('console_users').selectAll().where('email', '=', email).executeTakeFirst();
    return row === undefined ? null : userFromRow(row);
  }

  async userById(id: string): Promise<ConsoleUser | null> {
    const row = await this.db.selectFrom('console_users').selectAll().where('id', '=', id).executeTakeFirst();
    return row === undefined ? null : userFromRow(row);
  }

  async listUsers(): Promise<ConsoleUser[]> {
    const rows = await this.db.selectFrom('console_users').selectAll().orderBy('created_at').orderBy('id').execute();
    return rows.map(userFromRow).filter((u): u is ConsoleUser => u !== null);
  }

  async setPasswordHash(userId: string, passwordHash: string): Promise<void> {
    await this.db.updateTable('console_users').set({ password_hash: passwordHash }).where('id', '=', userId).execute();
  }

  async disableUser(userId: string, at: Instant): Promise<boolean> {
    const result = await this.db.updateTable('console_users').set({ disabled_at: at }).where('id', '=', userId).where('disabled_at', 'is', null).executeTakeFirst();
    if (Number(result.numUpdatedRows) > 0) return true;
    return (await this.userById(userId)) !== null;
  }

  async insertSession(session: ConsoleSession): Promise<void> {
    await this.db
      .insertInto('console_sessions')
      .values({
        token_hash: session.tokenHash,
        user_id: session.userId,
        csrf_token: session.csrfToken,
        created_at: session.createdAt,
        expires_at: session.expiresAt,
        ended_at: session.endedAt,
      })
      .execute();
  }

  async sessionWithUser(tokenHash: string): Promise<{ session: ConsoleSession; user: ConsoleUser | null } | null> {
    // One statement on every request made with the cookie: the session and its user, joined.
    const row = await this.db
      .selectFrom('console_sessions as s')
      .innerJoin('console_users as u', 'u.id', 's.user_id')
      .select([
        's.token_hash',
        's.user_id',
        's.csrf_token',
        's.created_at as session_created_at',
        's.expires_at',
        's.ended_at',
        'u.id',
        'u.email',
        'u.role',
        'u.password_hash',
        'u.created_at',
        'u.disabled_at',
      ])
      .where('s.token_hash', '=', tokenHash)
      .executeTakeFirst();
    if (row === undefined) return null;
    return {
      session: sessionFromRow({ ...row, created_at: row.session_created_at }),
      user: userFromRow(row),
    };
  }

  async endSession(tokenHash: string, at: Instant): Promise<void> {
    await this.db.updateTable('console_sessions').set({ ended_at: at }).where('token_hash', '=', tokenHash).where('ended_at', 'is', null).execute();
  }

  async endSessionsOf(userId: string, at: Instant): Promise<void> {
    await this.db.updateTable('console_sessions').set({ ended_at: at }).where('user_id', '=', userId).where('ended_at', 'is', null).execute();
  }

  async insertPasswordToken(token: PasswordSetToken): Promise<void> {
    await this.db
      .insertInto('console_password_tokens')
      .values({ token_hash: token.tokenHash, user_id: token.userId, expires_at: token.expiresAt, used_at: token.usedAt })
      .execute();
  }

  async spendPasswordToken(tokenHash: string, at: Instant): Promise<PasswordSetToken | null> {
    // One UPDATE decides who spends it: two tabs submitting the same link cannot both succeed.
    const result = await this.db.updateTable('console_password_tokens').set({ used_at: at }).where('token_hash', '=', tokenHash).where('used_at', 'is', null).executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) return null;
    const row = await this.db.selectFrom('console_password_tokens').selectAll().where('token_hash', '=', tokenHash).executeTakeFirstOrThrow();
    return { tokenHash: row.token_hash, userId: row.user_id, expiresAt: row.expires_at as Instant, usedAt: row.used_at as Instant | null };
  }

  async failures(email: string): Promise<SignInFailures | null> {
    const row = await this.db.selectFrom('sign_in_failures').select(['count', 'last_at']).where('email', '=', email).executeTakeFirst();
    return row === undefined ? null : { count: Number(row.count), lastAt: row.last_at as Instant };
  }

  async recordFailure(email: string, at: Instant, windowStart: Instant): Promise<SignInFailures> {
    // One statement: concurrent failures of the same e-mail all count. An old streak starts over.
    await this.db
      .insertInto('sign_in_failures')
      .values({ email, count: 1, last_at: at })
      .onConflict((oc) =>
        oc.column('email').doUpdateSet((eb) => ({
          count: eb.case().when('sign_in_failures.last_at', '<', windowStart).then(1).else(eb('sign_in_failures.count', '+', 1)).end(),
          last_at: at,
        })),
      )
      .execute();
    const current = await this.failures(email);
    return current ?? { count: 1, lastAt: at };
  }

  async clearFailures(email: string): Promise<void> {
    await this.db.deleteFrom('sign_in_failures').where('email', '=', email).execute();
  }
}
