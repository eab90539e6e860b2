/**
 * API keys found by hash, kept for `LUPA_KEY_CACHE_SECONDS` (docs/api.md): every API request looks
 * its key up, and at a thousand requests a second that lookup is one database round trip each.
 * Only keys that exist are kept (an unknown key is looked up every time, so garbage cannot fill the
 * cache). A key revoked through this store is dropped at once; one revoked by another process (the
 * `lupa keys revoke` command, another server) is refused at most `ttlSeconds` after the revocation.
 */
import type { ApiKeyRecord, ApiKeyStore } from '../core/access.ts';
import type { Instant } from '../core/records.ts';

/** Keys kept at most; past it the cache starts afresh (keys are few, so this is a guard only). */
const MAX_KEYS = 10_000;

export class CachedApiKeyStore implements ApiKeyStore {
  private readonly found = new Map<string, { key: ApiKeyRecord; until: number }>();

  /**
   * @param ttlSeconds how long a found key is answered from memory (0: never, every lookup reads the store)
   * @param now the clock, as the app's (injected in tests): entries expire by it
   */
  constructor(
    private readonly store: ApiKeyStore,
    private readonly ttlSeconds: number,
    private readonly now: () => Instant,
  ) {}

  async findByHash(keyHash: string): Promise<ApiKeyRecord | null> {
    if (this.ttlSeconds <= 0) return this.store.findByHash(keyHash);
    const at = Date.parse(this.now());
    const kept = this.found.get(keyHash);
    if (kept !== undefined && at < kept.until) return kept.key;
    const key = await this.store.findByHash(keyHash);
    if (key === null) this.found.delete(keyHash);
    else {
      if (this.found.size >= MAX_KEYS) this.found.clear();
      this.found.set(keyHash, { key, until: at + this.ttlSeconds * 1000 });
    }
    return key;
  }

  async revoke(id: string, at: Instant): Promise<boolean> {
    const revoked = await this.store.revoke(id, at);
    for (const [hash, kept] of this.found) if (kept.key.id === id) this.found.delete(hash);
    return revoked;
  }

  insert(key: ApiKeyRecord): Promise<void> {
    return this.store.insert(key);
  }

  list(): Promise<ApiKeyRecord[]> {
    return this.store.list();
  }
}
