/**
 * Fastify's pino logger, set so that no personal data reaches the logs: requests are logged as
 * method and path only (query strings carry e-mails, phones and names), bodies never, and keys
 * are redacted wherever a header object might be logged.
 */
import type { FastifyRequest, FastifyServerOptions } from 'fastify';
import type { Config } from '../config.ts';
import { isDomainError } from '../core/errors.ts';

/** Paths pino blanks out if an object at that place is ever logged (defence in depth). */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'req.headers.cookie',
  'headers.authorization',
  'headers["x-api-key"]',
  'req.body',
  'req.query',
  'body',
  'query',
  // PostgreSQL errors put the offending values in `detail` (e.g. "Key (email)=(…) already exists").
  'err.detail',
  'err.parameters',
];

export const CENSOR = '[redacted]';

interface LogStream {
  write(line: string): void;
}

/** The logger options for Fastify at the configured level; `stream` lets tests read what is written. */
export function loggerOptions(level: Config['LUPA_LOG_LEVEL'], stream?: LogStream): NonNullable<FastifyServerOptions['logger']> {
  return {
    level,
    redact: { paths: REDACTED_PATHS, censor: CENSOR },
    serializers: {
      // Fastify's default adds the full URL (with query), host and client address; none are needed to operate the API.
      // The route's pattern (`/v1/customers/:id`), never the path as sent: a path can hold an address.
      req: (req: FastifyRequest) => ({ method: req.method, route: req.routeOptions?.url ?? '(no route)' }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      err: safeError,
    },
    ...(stream === undefined ? {} : { stream }),
  };
}

/**
 * An error as it may be logged. Lupa's own errors carry a code and a message written for the log.
 * A driver's error (PostgreSQL's `message`, `detail`, `where`, `hint`, `internalQuery`) may quote the
 * values it failed on, so only its kind, SQLSTATE and the names of what it failed on are kept, and
 * the stack without its first line (which repeats the message).
 */
export function safeError(err: unknown): { type: string; message: string; stack: string; [key: string]: unknown } {
  if (isDomainError(err)) return { type: 'DomainError', code: err.code, field: err.field ?? null, message: err.message, stack: '' };
  if (!(err instanceof Error)) return { type: typeof err, message: '', stack: '' };
  const e = err as Error & Partial<Record<'code' | 'table' | 'column' | 'constraint' | 'routine', unknown>>;
  const name = (v: unknown): string | null => (typeof v === 'string' || typeof v === 'number' ? String(v) : null);
  return {
    type: e.name,
    message: `${e.name}${name(e.code) === null ? '' : ` (${name(e.code) ?? ''})`}`,
    code: name(e.code),
    table: name(e.table),
    column: name(e.column),
    constraint: name(e.constraint),
    stack: e.stack?.split('\n').slice(1).join('\n') ?? '',
  };
}
