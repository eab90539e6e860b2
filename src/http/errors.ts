/**
 * Every failure leaves the API as `DomainError.toJSON()` with the status from `ERROR_CODES`, so a
 * client handles one shape. Fastify's own errors (bad JSON, wrong media type, body too large) are
 * mapped to VALIDATION_FAILED (a body over the route's limit: INPUT_TOO_LARGE, 413); anything unexpected is a 500 whose message reveals nothing.
 * On the pages a person reaches from a message (`/u/…`, `/p/…`, `/c/…`) the same failures are
 * an HTML page in the person's language instead (src/http/pages/error-page.ts).
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, ERROR_CODES, isDomainError, type ErrorCode } from '../core/errors.ts';
import { errorPage, isCustomerPagePath, pageMethods } from './pages/error-page.ts';
import type { PageBrand } from './pages/html.ts';
import { errorPageLocale } from './pages/page-locale.ts';
import { ErrorBodySchema } from './schemas.ts';

/** Error codes of drivers that mean the database is unreachable or overloaded, not that the request is wrong. */
const STORE_DOWN_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', '57P01', '57P03', '53300', 'SQLITE_BUSY']);

/** Code for failures that have no DomainError code yet (see the note in docs/api.md). */
export const INTERNAL_ERROR = 'INTERNAL';

function fastifyErrorToDomain(err: FastifyError): DomainError | null {
  switch (err.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new DomainError('VALIDATION_FAILED', 'send the body as JSON with Content-Type: application/json', { field: 'body' });
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new DomainError('VALIDATION_FAILED', 'the JSON body is empty', { field: 'body' });
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new DomainError('INPUT_TOO_LARGE', 'the body is larger than this route takes', { field: 'body' });
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new DomainError('VALIDATION_FAILED', 'Content-Length does not match the body', { field: 'body' });
  }
  // secure-json-parse throws a SyntaxError that Fastify marks 400: the body is not JSON.
  if (err instanceof SyntaxError || err.code === 'FST_ERR_CTP_INVALID_JSON_BODY') {
    return new DomainError('VALIDATION_FAILED', 'the body is not valid JSON', { field: 'body' });
  }
  if (typeof err.code === 'string' && STORE_DOWN_CODES.has(err.code)) {
    return new DomainError('STORE_UNAVAILABLE', 'the store is unavailable; try again');
  }
  if (typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500) {
    return new DomainError('VALIDATION_FAILED', 'the request is malformed');
  }
  return null;
}

export function pathOf(url: string): string {
  // Query strings may carry e-mail addresses or names: they never go into messages or logs.
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}

/**
 * The language of the customer a page's link names (`/u/TOKEN`, `/p/TOKEN`), or null: for an error
 * met before the page read its link (a body it could not parse), so the person still gets their own
 * language. Never throws.
 */
export type LinkLocale = (path: string) => Promise<string | null>;

/** How pages answer their errors: with the sender's brand, in the language of the customer a link names. */
export interface PageErrorOptions {
  brand: PageBrand;
  linkLocale?: LinkLocale;
}

/**
 * Answers a person's page with the error page, or the API with its JSON body; true when it was a
 * page. The page keeps the HTTP status a 4xx had (413 too large, 415 not a form, 405 a method the
 * page does not take): the API folds them into 400 VALIDATION_FAILED, a browser is told exactly.
 */
async function sendPageError(req: FastifyRequest, reply: FastifyReply, status: number, opts: PageErrorOptions): Promise<boolean> {
  const path = pathOf(req.url);
  if (!isCustomerPagePath(path)) return false;
  // A 5xx may be the store being down: the link's customer is not looked up then.
  const linked = status < 500 && opts.linkLocale !== undefined ? await opts.linkLocale(path) : null;
  void reply
    .code(status)
    .type('text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .header('referrer-policy', 'no-referrer')
    .send(errorPage(errorPageLocale(req, linked), status, opts.brand));
  return true;
}

async function sendDomainError(err: DomainError, req: FastifyRequest, reply: FastifyReply, opts: PageErrorOptions, pageStatus?: number): Promise<FastifyReply> {
  const status = ERROR_CODES[err.code].http;
  if (status >= 500) req.log.error({ err }, err.message);
  else req.log.info({ code: err.code, field: err.field }, 'request refused');
  if (await sendPageError(req, reply, pageStatus ?? status, opts)) return reply;
  if (err.code === 'UNAUTHENTICATED') void reply.header('www-authenticate', 'Bearer realm="lupa"');
  return reply.code(status).type('application/json; charset=utf-8').send(err.toJSON());
}

/** The 4xx status Fastify gave its own error (413, 415, …), for pages; undefined otherwise. */
function clientStatus(err: FastifyError): number | undefined {
  return typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : undefined;
}

/**
 * A page asked for with a method it does not take is there all the same: 405 with `Allow`, not
 * "bad link", and before anything about its body (which Fastify reads even for a route there is not).
 */
async function sendMethodNotAllowed(req: FastifyRequest, reply: FastifyReply, opts: PageErrorOptions): Promise<FastifyReply | null> {
  const allowed = pageMethods(pathOf(req.url));
  if (allowed === null || allowed.includes(req.method) || req.routeOptions.url !== undefined) return null;
  void reply.header('allow', allowed.join(', '));
  return sendDomainError(new DomainError('VALIDATION_FAILED', `${req.method} is not allowed here`, { field: 'method' }), req, reply, opts, 405);
}

/** A browser's GET for a page (it accepts HTML) outside the API and its docs. */
function asksForPage(req: FastifyRequest): boolean {
  const path = pathOf(req.url);
  if (req.method !== 'GET' || path.startsWith('/v1/') || path === '/v1' || path.startsWith('/docs')) return false;
  return (req.headers.accept ?? '').includes('text/html');
}

export function registerErrorHandling(server: FastifyInstance, opts: PageErrorOptions): void {
  server.setErrorHandler(async (err: FastifyError, req, reply) => {
    const notAllowed = await sendMethodNotAllowed(req, reply, opts);
    if (notAllowed !== null) return notAllowed;
    const domain = isDomainError(err) ? err : fastifyErrorToDomain(err);
    if (domain !== null) return sendDomainError(domain, req, reply, opts, isDomainError(err) ? undefined : clientStatus(err));
    req.log.error({ err }, 'unexpected error');
    if (await sendPageError(req, reply, 500, opts)) return reply;
    return reply.code(500).type('application/json; charset=utf-8').send({ error: INTERNAL_ERROR, message: 'internal error' });
  });
  server.setNotFoundHandler(async (req, reply) => {
    const notAllowed = await sendMethodNotAllowed(req, reply, opts);
    if (notAllowed !== null) return notAllowed;
    // A person's browser at an address that is nowhere (a mistyped console path) gets a page in
    // their language, not the API's JSON; programs (and everything under /v1) keep the JSON.
    if (asksForPage(req)) {
      req.log.info({ code: 'NOT_FOUND' }, 'request refused');
      return reply.code(404).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(errorPage(errorPageLocale(req, null), 404, opts.brand));
    }
    return sendDomainError(new DomainError('NOT_FOUND', `no route ${req.method} ${pathOf(req.url)}`), req, reply, opts);
  });
}

/**
 * Response schemas for the docs: one entry per status, naming the codes a route can return.
 * Routes behind a key always add 401 and 403; every route can answer 503 when the store is down.
 */
export function errorResponses(codes: readonly ErrorCode[], opts: { authenticated?: boolean } = {}): Record<number, typeof ErrorBodySchema> {
  const all: ErrorCode[] = [...codes, ...(opts.authenticated === false ? [] : (['UNAUTHENTICATED', 'FORBIDDEN'] as const)), 'STORE_UNAVAILABLE'];
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of all) {
    const status = ERROR_CODES[code].http;
    const list = byStatus.get(status) ?? [];
    if (!list.includes(code)) list.push(code);
    byStatus.set(status, list);
  }
  return Object.fromEntries(
    [...byStatus].map(([status, list]) => [status, ErrorBodySchema.meta({ description: `Error: ${list.join(', ')}` })]),
  );
}
