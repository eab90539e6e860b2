/**
 * Console users: the people who sign in to the console, as opposed to API keys (programs). A user
 * has the same roles as a key (src/core/access.ts) and is named in the audit trail by its id.
 * Here are the records, the store port and the sign-in throttling rule; hashing, tokens and the
 * store live outside the core.
 */
import type { Role } from './access.ts';
import type { Instant } from './records.ts';

export interface ConsoleUser {
  /** `user_…`; what the audit log records as the actor. */
  id: string;
  /** Canonical e-mail (normaliseEmail): the sign-in name. */
  email: string;
  role: Role;
  /** `scrypt$…` (src/security/passwords.ts); null until the person sets one through their link. */
  passwordHash: string | null;
  createdAt: Instant;
  disabledAt: Instant | null;
}

/** A signed-in browser. Only the SHA-256 of the session token is stored. */
export interface ConsoleSession {
  tokenHash: string;
  userId: string;
  /** The synchroniser token every state-changing request made with this session must carry. */
  csrfToken: string;
  createdAt: Instant;
  expiresAt: Instant;
  endedAt: Instant | null;
}

/** A one-time link to set a password: only its hash is stored; used once, then spent. */
export interface PasswordSetToken {
  tokenHash: string;
  userId: string;
  expiresAt: Instant;
  usedAt: Instant | null;
}

/** Failed sign-ins per e-mail as typed (known or not, so the lock says nothing about who exists). */
export interface SignInFailures {
  count: number;
  lastAt: Instant;
}

export interface ConsoleUserStore {
  insertUser(user: ConsoleUser): Promise<void>;
  userByEmail(email: string): Promise<ConsoleUser | null>;
  userById(id: string): Promise<ConsoleUser | null>;
  listUsers(): Promise<ConsoleUser[]>;
  setPasswordHash(userId: string, passwordHash: string): Promise<void>;
  /** Marks the user disabled (keeping the first time); false when no user has this id. */
  disableUser(userId: string, at: Instant): Promise<boolean>;

  insertSession(session: ConsoleSession): Promise<void>;
  /**
   * The session with this token hash and its user, read together in one query (a join); null when
   * no session has the hash. Whether it is ended, expired or its user disabled is the caller's check.
   */
  sessionWithUser(tokenHash: string): Promise<{ session: ConsoleSession; user: ConsoleUser | null } | null>;
  endSession(tokenHash: string, at: Instant): Promise<void>;
  /** Ends every open session of the user (password changed, user disabled). */
  endSessionsOf(userId: string, at: Instant): Promise<void>;

  insertPasswordToken(token: PasswordSetToken): Promise<void>;
  /** Marks the token used and returns it, only if it was unused; null otherwise (already spent or unknown). */
  spendPasswordToken(tokenHash: string, at: Instant): Promise<PasswordSetToken | null>;

  failures(email: string): Promise<SignInFailures | null>;
  /** Adds one failure (count 1 when the last one is older than the window) and returns the new state. */
  recordFailure(email: string, at: Instant, windowStart: Instant): Promise<SignInFailures>;
  clearFailures(email: string): Promise<void>;
}

/** Failed sign-ins allowed within the window before the e-mail is locked. */
export const SIGN_IN_FAILURES_BEFORE_LOCK = 5;
/** The window failures are counted in, and the length of the lock (OWASP authentication cheat sheet). */
export const SIGN_IN_LOCK_MINUTES = 15;

/**
 * Until when sign-in for an e-mail is refused, or null when it is not: after
 * SIGN_IN_FAILURES_BEFORE_LOCK failures, until SIGN_IN_LOCK_MINUTES after the last one. The
 * lock holds even for the right password, so guessing cannot go on at full speed.
 */
export function lockedUntil(failures: SignInFailures | null, now: Instant): Instant | null {
  if (failures === null || failures.count < SIGN_IN_FAILURES_BEFORE_LOCK) return null;
  const until = new Date(Date.parse(failures.lastAt) + SIGN_IN_LOCK_MINUTES * 60_000).toISOString() as Instant;
  return until > now ? until : null;
}
