/**
 * HTTP for the ad platforms: JSON requests retried with exponential back-off while the platform
 * answers that a rate limit is reached, and any other refusal turned into AD_PLATFORM_UNAVAILABLE.
 * Messages name the status and the platform's error code only: bodies may echo hashes, never sent
 * to logs either way.
 */
import { DomainError } from '../../core/errors.ts';

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  attempts: number;
  /** The first wait; each next one doubles. */
  baseDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 6, baseDelayMs: 1000 };

export interface PlatformRequest {
  method: 'GET' | 'POST' | 'DELETE';
  url: string;
  headers: Record<string, string>;
  body?: unknown;
}

/**
 * Sends the request; retries while `isRateLimited(status, body)` says so, or the connection
 * fails, at most `retry.attempts` times in all (a repeated batch is harmless: the platforms treat
 * adding or removing the same hash again as no change). Resolves with the parsed JSON answer.
 * @throws DomainError AD_PLATFORM_UNAVAILABLE on any other non-2xx answer, a network failure, or
 * a rate limit that outlasts the attempts.
 */
export async function platformJson(
  platform: string,
  req: PlatformRequest,
  isRateLimited: (status: number, body: unknown) => boolean,
  retry: RetryPolicy = DEFAULT_RETRY,
): Promise<unknown> {
  for (let attempt = 1; ; attempt += 1) {
    let res: Response;
    try {
      res = await fetch(req.url, {
        method: req.method,
        headers: { ...req.headers, ...(req.body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(req.body === undefined ? {} : { body: JSON.stringify(req.body) }),
      });
    } catch (err) {
      // A dropped connection (a keep-alive socket the platform closed meanwhile) is worth another try.
      if (attempt < retry.attempts) {
        await sleep(retry.baseDelayMs * 2 ** (attempt - 1));
        continue;
      }
      throw new DomainError('AD_PLATFORM_UNAVAILABLE', `${platform} could not be reached: ${networkCause(err)}`);
    }
    const text = await res.text();
    const body = parseJson(text);
    if (res.ok) return body;
    if (isRateLimited(res.status, body) && attempt < retry.attempts) {
      await sleep(retry.baseDelayMs * 2 ** (attempt - 1));
      continue;
    }
    throw new DomainError('AD_PLATFORM_UNAVAILABLE', `${platform} answered ${res.status}${errorCodeOf(body)}`, { details: { status: res.status } });
  }
}

/** fetch's own message is only "fetch failed": the socket's code says what happened. */
function networkCause(err: unknown): string {
  const cause = (err as { cause?: { code?: unknown; message?: unknown } } | null)?.cause;
  const detail = typeof cause?.code === 'string' ? cause.code : typeof cause?.message === 'string' ? cause.message : null;
  return `${err instanceof Error ? err.message : String(err)}${detail === null ? '' : ` (${detail})`}`;
}

function parseJson(text: string): unknown {
  try {
    return text === '' ? null : (JSON.parse(text) as unknown);
  } catch {
    return null;
  }
}

/** The platform's own error code, when the answer has one (Graph: error.code; Google: error.status). */
function errorCodeOf(body: unknown): string {
  const error = (body as { error?: { code?: unknown; status?: unknown } } | null)?.error;
  const code = error?.code ?? error?.status;
  return typeof code === 'number' || typeof code === 'string' ? ` (error ${String(code)})` : '';
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** `items` in consecutive slices of at most `size`. */
export function* batches<T>(items: readonly T[], size: number): Iterable<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}
