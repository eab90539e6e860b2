/**
 * Use cases: signing in to the console, the session behind each request, signing out, and a
 * person changing their own password. A session is a random token in an HttpOnly cookie; the server
 * keeps its hash, its CSRF token and its expiry, so signing out (or disabling the user) ends it at
 * once. Failed sign-ins are counted per typed e-mail and lock it for a while (core/console-users.ts).
 */
import { timingSafeEqual } from 'node:crypto';
import type { Actor } from '../core/access.ts';
import { normaliseEmail } from '../core/addresses.ts';
import { lockedUntil, SIGN_IN_LOCK_MINUTES, type ConsoleSession, type ConsoleUser } from '../core/console-users.ts';
import { DomainError } from '../core/errors.ts';
import type { Instant } from '../core/records.ts';
import { decoyHash, hashPassword, verifyPassword } from '../security/passwords.ts';
import { checkPasswordRules, hashToken, newToken, viewOf, type ConsoleUserDeps, type ConsoleUserView } from './console-users.ts';

export interface SessionDeps extends ConsoleUserDeps {
  /** How long a session lasts from sign-in. */
  sessionHours: number;
}

export interface SignedIn {
  /** The cookie value: shown once, only its hash is stored. */
  token: string;
  csrfToken: string;
  expiresAt: Instant;
  user: ConsoleUserView;
}

const BAD_CREDENTIALS = 'the e-mail or the password is wrong';

function plusMinutes(at: Instant, minutes: number): Instant {
  return new Date(Date.parse(at) + minutes * 60_000).toISOString() as Instant;
}

/**
 * Signs in. SIGN_IN_FAILED for an unknown e-mail, a wrong password, a user without a password or a
 * disabled user (one message for all); SIGN_IN_LOCKED (with `retryAt`) after too many failures, even
 * with the right password. The password is checked against a decoy hash when there is no user, so
 * the time taken does not tell whether an account exists.
 */
export async function signIn(deps: SessionDeps, input: { email: string; password: string }): Promise<SignedIn> {
  const now = deps.now();
  const email = normaliseEmail(input.email) ?? input.email.trim().toLowerCase().slice(0, 320);
  const locked = lockedUntil(await deps.users.failures(email), now);
  if (locked !== null) throw new DomainError('SIGN_IN_LOCKED', `too many failed sign-ins: try again after ${locked}`, { details: { retryAt: locked } });
  const user = await deps.users.userByEmail(email);
  const matches = await verifyPassword(input.password, user?.passwordHash ?? decoyHash(deps.scryptCost));
  if (user === null || user.passwordHash === null || user.disabledAt !== null || !matches) {
    const windowStart = plusMinutes(now, -SIGN_IN_LOCK_MINUTES);
    const failures = await deps.users.recordFailure(email, now, windowStart);
    const nowLocked = lockedUntil(failures, now);
    if (nowLocked !== null) throw new DomainError('SIGN_IN_LOCKED', `too many failed sign-ins: try again after ${nowLocked}`, { details: { retryAt: nowLocked } });
    throw new DomainError('SIGN_IN_FAILED', BAD_CREDENTIALS);
  }
  await deps.users.clearFailures(email);
  return openSession(deps, user, now);
}

async function openSession(deps: SessionDeps, user: ConsoleUser, now: Instant): Promise<SignedIn> {
  const token = newToken();
  const session: ConsoleSession = {
    tokenHash: hashToken(token),
    userId: user.id,
    csrfToken: newToken(),
    createdAt: now,
    expiresAt: plusMinutes(now, deps.sessionHours * 60),
    endedAt: null,
  };
  await deps.users.insertSession(session);
  return { token, csrfToken: session.csrfToken, expiresAt: session.expiresAt, user: viewOf(user) };
}

export interface ActiveSession {
  actor: Actor;
  user: ConsoleUserView;
  csrfToken: string;
  tokenHash: string;
  expiresAt: Instant;
}

/** The session a cookie names, or null when it is unknown, ended, expired, or its user disabled. */
export async function activeSession(deps: Pick<SessionDeps, 'users' | 'now'>, token: string): Promise<ActiveSession | null> {
  if (token.length < 20 || token.length > 100) return null;
  // One query per request: the session and its user come joined (the store's sessionWithUser).
  const found = await deps.users.sessionWithUser(hashToken(token));
  if (found === null) return null;
  const { session, user } = found;
  if (session.endedAt !== null || session.expiresAt <= deps.now()) return null;
  if (user === null || user.disabledAt !== null) return null;
  return {
    actor: { id: user.id, name: user.email, role: user.role },
    user: viewOf(user),
    csrfToken: session.csrfToken,
    tokenHash: session.tokenHash,
    expiresAt: session.expiresAt,
  };
}

/** Whether the CSRF token a request carried is the session's (constant-time). */
export function csrfMatches(session: Pick<ActiveSession, 'csrfToken'>, presented: string | undefined): boolean {
  if (presented === undefined) return false;
  const a = Buffer.from(session.csrfToken);
  const b = Buffer.from(presented);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Ends the session on the server: the cookie opens nothing afterwards. */
export async function signOut(deps: Pick<SessionDeps, 'users' | 'now'>, session: Pick<ActiveSession, 'tokenHash'>): Promise<void> {
  await deps.users.endSession(session.tokenHash, deps.now());
}

/**
 * A signed-in person changes their own password: the current one is checked first
 * (SIGN_IN_FAILED otherwise), every session of the user ends, and a new one is opened for this browser.
 */
export async function changeOwnPassword(
  deps: SessionDeps,
  session: ActiveSession,
  input: { currentPassword: string; newPassword: string },
): Promise<SignedIn> {
  checkPasswordRules(input.newPassword);
  const user = await deps.users.userById(session.user.id);
  if (user === null || user.passwordHash === null || !(await verifyPassword(input.currentPassword, user.passwordHash))) {
    throw new DomainError('SIGN_IN_FAILED', 'the current password is wrong', { field: 'currentPassword' });
  }
  const passwordHash = await hashPassword(input.newPassword, deps.scryptCost);
  await deps.users.setPasswordHash(user.id, passwordHash);
  const now = deps.now();
  await deps.users.endSessionsOf(user.id, now);
  return openSession(deps, { ...user, passwordHash }, now);
}
