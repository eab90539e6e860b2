/**
 * The console's only way to the server: `/v1`, typed from the server's OpenAPI document
 * (schema.d.ts is generated at build time by bin/build-console.mjs, never written by hand). The
 * browser holds no API key: requests carry the HttpOnly session cookie, and every change carries the
 * session's CSRF token.
 */
import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './schema';

let csrfToken: string | null = null;

/** Set at sign-in and whenever the session is read; cleared at sign-out. */
export function rememberCsrfToken(token: string | null): void {
  csrfToken = token;
}

const csrf: Middleware = {
  onRequest({ request }) {
    if (!['GET', 'HEAD', 'OPTIONS'].includes(request.method) && csrfToken !== null) request.headers.set('X-CSRF-Token', csrfToken);
    return request;
  },
};

export const api = createClient<paths>({ baseUrl: '', credentials: 'same-origin' });
api.use(csrf);

/** An error answer of the API: its stable code (docs/errors.md), and the field it is about. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly field: string | undefined,
    message: string,
    readonly details: Record<string, unknown> | undefined,
  ) {
    super(message);
  }
}

interface ErrorBody {
  error?: string;
  message?: string;
  field?: string;
  details?: Record<string, unknown>;
}

/** The data of an answer, or an ApiError (status 0 and code `network` when the server was not reached). */
export async function unwrap<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  let result: { data?: T; error?: unknown; response: Response };
  try {
    result = await call;
  } catch {
    throw new ApiError(0, 'network', undefined, 'network', undefined);
  }
  if (result.response.ok) return result.data as T;
  const body = (result.error ?? {}) as ErrorBody;
  throw new ApiError(result.response.status, body.error ?? 'other', body.field, body.message ?? '', body.details);
}
