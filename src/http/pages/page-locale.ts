/**
 * Which language a page a person sees is in: `?lang=` when asked, then the customer's own locale
 * once the link has named the customer, then the browser's Accept-Language (RFC 9110 §12.5.4,
 * negotiated by `negotiator`: `sv-FI` picks Swedish), and Finnish when nothing matches.
 */
import type { FastifyRequest } from 'fastify';
import Negotiator from 'negotiator';

export type PageLocale = 'fi' | 'sv' | 'en';

export const PAGE_LOCALES: readonly PageLocale[] = ['fi', 'sv', 'en'];

function asPageLocale(value: unknown): PageLocale | null {
  return value === 'fi' || value === 'sv' || value === 'en' ? value : null;
}

/** The customer's locale of each request whose link has named the customer, for its error page. */
const knownLocales = new WeakMap<FastifyRequest, PageLocale>();

/** The language of the Accept-Language header, or null without a header or a supported language in it. */
export function acceptedLocale(req: FastifyRequest): PageLocale | null {
  const header = req.headers['accept-language'];
  if (typeof header !== 'string' || header.trim() === '') return null;
  return asPageLocale(new Negotiator({ headers: { 'accept-language': header } }).language(PAGE_LOCALES));
}

function requestedLocale(req: FastifyRequest): PageLocale | null {
  const query = req.query as { lang?: unknown } | undefined;
  return asPageLocale(query?.lang);
}

/**
 * The language of a page about a known customer (`customerLocale`, null when unknown). Remembers
 * it for the request, so that an error after this point is shown in the same language.
 */
export function pageLocale(req: FastifyRequest, customerLocale: string | null): PageLocale {
  const known = asPageLocale(customerLocale);
  if (known !== null) knownLocales.set(req, known);
  return requestedLocale(req) ?? known ?? acceptedLocale(req) ?? 'fi';
}

/**
 * The language of an error page: as `pageLocale`, with the customer's locale if the request got that
 * far, else that of the customer the link names (`linkedLocale`, looked up for an error met before).
 */
export function errorPageLocale(req: FastifyRequest, linkedLocale: string | null = null): PageLocale {
  return requestedLocale(req) ?? knownLocales.get(req) ?? asPageLocale(linkedLocale) ?? acceptedLocale(req) ?? 'fi';
}
