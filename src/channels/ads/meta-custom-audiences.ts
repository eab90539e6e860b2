/**
 * Meta custom audiences through the Marketing API's documented upload format:
 * `POST /{audience_id}/users` (add) and `DELETE /{audience_id}/users` (remove), each with
 * `payload: { schema, data }` and a `session: { session_id, batch_seq, last_batch_flag,
 * estimated_num_total }`, at most 10,000 rows per request. One session per identifier kind and
 * direction: a session's batches share one schema (`EMAIL_SHA256` or `PHONE_SHA256`).
 */
import { randomInt } from 'node:crypto';
import type { IdentifierKind } from '../../core/ad-audiences/identifiers.ts';
import type { AdPlatformClient, HashedIdentifier } from '../../core/ad-audiences/ports.ts';
import { batches, DEFAULT_RETRY, platformJson, type RetryPolicy } from './platform-http.ts';

/** Meta's limit on rows per request. */
export const META_MAX_ROWS = 10_000;

/** Graph API error codes that mean "slow down" (application, user, page and custom-audience rate limits). */
const RATE_LIMIT_CODES = new Set([4, 17, 32, 613, 80003]);

const SCHEMA: Record<IdentifierKind, string> = { email: 'EMAIL_SHA256', phone: 'PHONE_SHA256' };

export interface MetaSettings {
  /** The Graph API with its version, e.g. https://graph.facebook.com/v26.0 */
  apiUrl: string;
  accessToken: string;
  retry?: RetryPolicy;
}

export class MetaCustomAudiences implements AdPlatformClient {
  readonly platform = 'meta' as const;

  constructor(private readonly settings: MetaSettings) {}

  async upload(externalId: string, change: { add: readonly HashedIdentifier[]; remove: readonly HashedIdentifier[] }): Promise<void> {
    // Removals first: a person who withdrew is off the audience before anyone new is on it.
    for (const kind of ['email', 'phone'] as const) await this.session(externalId, 'DELETE', change.remove.filter((i) => i.kind === kind).map((i) => i.hash), kind);
    for (const kind of ['email', 'phone'] as const) await this.session(externalId, 'POST', change.add.filter((i) => i.kind === kind).map((i) => i.hash), kind);
  }

  private async session(audienceId: string, method: 'POST' | 'DELETE', hashes: string[], kind: IdentifierKind): Promise<void> {
    if (hashes.length === 0) return;
    const sessionId = randomInt(1, 2 ** 48);
    const total = Math.ceil(hashes.length / META_MAX_ROWS);
    let seq = 0;
    for (const data of batches(hashes, META_MAX_ROWS)) {
      seq += 1;
      await platformJson(
        'Meta',
        {
          method,
          url: `${this.settings.apiUrl.replace(/\/$/, '')}/${encodeURIComponent(audienceId)}/users`,
          headers: { authorization: `Bearer ${this.settings.accessToken}` },
          body: {
            session: { session_id: sessionId, batch_seq: seq, last_batch_flag: seq === total, estimated_num_total: hashes.length },
            payload: { schema: SCHEMA[kind], data },
          },
        },
        isRateLimited,
        this.settings.retry ?? DEFAULT_RETRY,
      );
    }
  }
}

function isRateLimited(status: number, body: unknown): boolean {
  if (status === 429) return true;
  const code = (body as { error?: { code?: unknown } } | null)?.error?.code;
  return typeof code === 'number' && RATE_LIMIT_CODES.has(code);
}
