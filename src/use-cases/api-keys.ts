/**
 * Use cases: issue, check and revoke API keys. A key is 32 random bytes shown once at creation;
 * only its SHA-256 is stored, so neither the database nor a backup can be used to call the API.
 */
import { hash, randomBytes } from 'node:crypto';
import { isRole, type Actor, type ApiKeyStore, type Role } from '../core/access.ts';
import { DomainError } from '../core/errors.ts';
import type { Instant } from '../core/records.ts';

export interface ApiKeyDeps {
  apiKeys: ApiKeyStore;
  now: () => Instant;
}

/** The prefix makes a leaked key recognisable to secret scanners and to people. */
export const API_KEY_PREFIX = 'lupa_';

/** Lookups go by hash; a fast hash is enough because the key itself carries 256 bits of entropy. */
export function hashApiKey(key: string): string {
  // One-shot hashing (Node ≥ 20.12): every API request hashes its key, and building a Hash object
  // for it was ~2 % of a cached `decide`'s CPU.
  return hash('sha256', key, 'hex');
}

export interface CreatedApiKey extends Actor {
  /** The key in clear: returned once, never stored. */
  key: string;
  createdAt: Instant;
}

export async function createApiKey(deps: ApiKeyDeps, input: { name: string; role: Role | string }): Promise<CreatedApiKey> {
  const name = input.name.trim();
  if (name === '' || name.length > 100) throw new DomainError('VALIDATION_FAILED', 'name must be 1–100 characters', { field: 'name' });
  const role = input.role;
  if (!isRole(role)) throw new DomainError('VALIDATION_FAILED', 'role must be one of admin, marketer, agent, dpo, analyst', { field: 'role' });
  const key = `${API_KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
  const id = `key_${randomBytes(9).toString('base64url')}`;
  const createdAt = deps.now();
  await deps.apiKeys.insert({ id, name, role, keyHash: hashApiKey(key), createdAt, revokedAt: null });
  return { id, name, role, key, createdAt };
}

/** The actor a presented key belongs to, or null when it is unknown or revoked. */
export async function authenticate(deps: Pick<ApiKeyDeps, 'apiKeys'>, presentedKey: string): Promise<Actor | null> {
  // Anything that cannot be one of our keys is refused without a database round trip.
  if (!presentedKey.startsWith(API_KEY_PREFIX) || presentedKey.length > 200) return null;
  const stored = await deps.apiKeys.findByHash(hashApiKey(presentedKey));
  if (stored === null || stored.revokedAt !== null) return null;
  return { id: stored.id, name: stored.name, role: stored.role };
}

/** Revokes a key at once; revoking twice is harmless. NOT_FOUND for an unknown id. */
export async function revokeApiKey(deps: ApiKeyDeps, input: { id: string }): Promise<void> {
  const found = await deps.apiKeys.revoke(input.id, deps.now());
  if (!found) throw new DomainError('NOT_FOUND', `no API key with id ${input.id}`, { field: 'id' });
}

/** Every key with its state, without hashes (for the CLI's key listing). */
export async function listApiKeys(
  deps: Pick<ApiKeyDeps, 'apiKeys'>,
): Promise<(Actor & { createdAt: Instant; revokedAt: Instant | null })[]> {
  const keys = await deps.apiKeys.list();
  return keys.map((k) => ({ id: k.id, name: k.name, role: k.role, createdAt: k.createdAt, revokedAt: k.revokedAt }));
}
