/**
 * Use cases: console users (people) — create, list, set or change a password, disable. A user
 * created without a password gets a one-time link to set one (valid PASSWORD_LINK_HOURS, spent on
 * use); only the link token's hash is stored.
 */
import { createHash, randomBytes } from 'node:crypto';
import { isRole, type Role } from '../core/access.ts';
import { normaliseEmail } from '../core/addresses.ts';
import type { ConsoleUser, ConsoleUserStore } from '../core/console-users.ts';
import { DomainError } from '../core/errors.ts';
import type { Instant } from '../core/records.ts';
import { hashPassword, type ScryptCost } from '../security/passwords.ts';

export interface ConsoleUserDeps {
  users: ConsoleUserStore;
  now: () => Instant;
  scryptCost: ScryptCost;
}

/** How long a set-password link works. */
export const PASSWORD_LINK_HOURS = 72;
/** NIST SP 800-63B §5.1.1: at least 8; we ask 12, and allow long passphrases. */
export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 256;

/** The SHA-256 of a random token (session or link): enough, as the token carries 256 bits. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** A user as shown: no password hash. */
export interface ConsoleUserView {
  id: string;
  email: string;
  role: Role;
  createdAt: Instant;
  disabledAt: Instant | null;
  hasPassword: boolean;
}

export function viewOf(user: ConsoleUser): ConsoleUserView {
  return { id: user.id, email: user.email, role: user.role, createdAt: user.createdAt, disabledAt: user.disabledAt, hasPassword: user.passwordHash !== null };
}

/** VALIDATION_FAILED (field `password`) for a password too short or too long. */
export function checkPasswordRules(password: string): void {
  const length = [...password.normalize('NFC')].length;
  if (length < PASSWORD_MIN_LENGTH || length > PASSWORD_MAX_LENGTH) {
    throw new DomainError('VALIDATION_FAILED', `a password is ${PASSWORD_MIN_LENGTH}–${PASSWORD_MAX_LENGTH} characters long`, { field: 'password' });
  }
}

function signInEmail(raw: string): string {
  const email = normaliseEmail(raw);
  if (email === null) throw new DomainError('VALIDATION_FAILED', 'email is not an e-mail address', { field: 'email' });
  return email;
}

/**
 * Creates a user. With `password`, it is set at once; without, the result carries `passwordToken`,
 * to be given to the person as a link (valid PASSWORD_LINK_HOURS). USER_EXISTS when the e-mail has a user.
 */
export async function createConsoleUser(
  deps: ConsoleUserDeps,
  input: { email: string; role: Role | string; password?: string },
): Promise<{ user: ConsoleUserView; passwordToken: string | null }> {
  const email = signInEmail(input.email);
  if (!isRole(input.role)) throw new DomainError('VALIDATION_FAILED', 'role must be one of admin, marketer, agent, dpo, analyst', { field: 'role' });
  if (input.password !== undefined) checkPasswordRules(input.password);
  if ((await deps.users.userByEmail(email)) !== null) throw new DomainError('USER_EXISTS', 'a console user with this e-mail exists', { field: 'email' });
  const user: ConsoleUser = {
    id: `user_${randomBytes(9).toString('base64url')}`,
    email,
    role: input.role,
    passwordHash: input.password === undefined ? null : await hashPassword(input.password, deps.scryptCost),
    createdAt: deps.now(),
    disabledAt: null,
  };
  await deps.users.insertUser(user);
  const passwordToken = input.password === undefined ? await issuePasswordLink(deps, user.id) : null;
  return { user: viewOf(user), passwordToken };
}

/** A new one-time set-password token for the user (the old ones stay valid until used or expired). */
export async function issuePasswordLink(deps: Pick<ConsoleUserDeps, 'users' | 'now'>, userId: string): Promise<string> {
  const token = newToken();
  const expiresAt = new Date(Date.parse(deps.now()) + PASSWORD_LINK_HOURS * 3_600_000).toISOString() as Instant;
  await deps.users.insertPasswordToken({ tokenHash: hashToken(token), userId, expiresAt, usedAt: null });
  return token;
}

/**
 * The link a person opens to set a password: `{publicUrl}/set-password#token=…`. The token travels in
 * the fragment, which browsers never send to a server nor put in a Referer.
 */
export function setPasswordUrl(publicUrl: string, token: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/set-password#token=${token}`;
}

/** A new one-time set-password token for the user with `email`. NOT_FOUND for an unknown e-mail. */
export async function passwordLinkFor(deps: Pick<ConsoleUserDeps, 'users' | 'now'>, input: { email: string }): Promise<string> {
  const user = await deps.users.userByEmail(signInEmail(input.email));
  if (user === null) throw new DomainError('NOT_FOUND', 'no console user with this e-mail', { field: 'email' });
  return issuePasswordLink(deps, user.id);
}

/** Sets the password of the user with `email` (an operator's reset); ends the user's sessions. */
export async function setConsolePassword(deps: ConsoleUserDeps, input: { email: string; password: string }): Promise<ConsoleUserView> {
  checkPasswordRules(input.password);
  const user = await deps.users.userByEmail(signInEmail(input.email));
  if (user === null) throw new DomainError('NOT_FOUND', 'no console user with this e-mail', { field: 'email' });
  await deps.users.setPasswordHash(user.id, await hashPassword(input.password, deps.scryptCost));
  await deps.users.endSessionsOf(user.id, deps.now());
  return viewOf({ ...user, passwordHash: 'set' });
}

/**
 * Sets a password through a one-time link. LINK_INVALID when the token is unknown, spent or expired,
 * or its user is disabled (one answer for all, so the page reveals nothing).
 */
export async function setPasswordWithLink(deps: ConsoleUserDeps, input: { token: string; password: string }): Promise<ConsoleUserView> {
  checkPasswordRules(input.password);
  const invalid = new DomainError('LINK_INVALID', 'this link is not valid any more: ask an administrator for a new one');
  const spent = await deps.users.spendPasswordToken(hashToken(input.token), deps.now());
  if (spent === null || spent.expiresAt <= deps.now()) throw invalid;
  const user = await deps.users.userById(spent.userId);
  if (user === null || user.disabledAt !== null) throw invalid;
  await deps.users.setPasswordHash(user.id, await hashPassword(input.password, deps.scryptCost));
  await deps.users.endSessionsOf(user.id, deps.now());
  return viewOf({ ...user, passwordHash: 'set' });
}

/** Disables the user with `email` and ends their sessions at once. NOT_FOUND for an unknown e-mail. */
export async function disableConsoleUser(deps: Pick<ConsoleUserDeps, 'users' | 'now'>, input: { email: string }): Promise<ConsoleUserView> {
  const user = await deps.users.userByEmail(signInEmail(input.email));
  if (user === null) throw new DomainError('NOT_FOUND', 'no console user with this e-mail', { field: 'email' });
  const at = deps.now();
  await deps.users.disableUser(user.id, at);
  await deps.users.endSessionsOf(user.id, at);
  return viewOf({ ...user, disabledAt: user.disabledAt ?? at });
}

/** The user with `id`, as shown. NOT_FOUND for an unknown id. */
export async function consoleUserById(deps: Pick<ConsoleUserDeps, 'users'>, id: string): Promise<ConsoleUserView> {
  const user = await deps.users.userById(id);
  if (user === null) throw new DomainError('NOT_FOUND', `no console user with id ${id}`, { field: 'id' });
  return viewOf(user);
}

export async function listConsoleUsers(deps: Pick<ConsoleUserDeps, 'users'>): Promise<ConsoleUserView[]> {
  return (await deps.users.listUsers()).map(viewOf);
}
