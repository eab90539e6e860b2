/**
 * Fastify's pino logger, set so that no personal data reaches the logs: requests are logged as
 * method and path only (query strings carry e-mails, phones and names), bodies never, and keys
 * are redacted wherever a header object might be logged.
 */
import type { FastifyRequest, FastifyServerOptions } from 'fastify';
import type { Config } from '../config.ts';
import { pathOf } from './errors.ts';

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
      req: (req: FastifyRequest) => ({ method: req.method, path: pathOf(req.url), route: req.routeOptions?.url ?? null }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
    ...(stream === undefined ? {} : { stream }),
  };
}
