/**
 * The error page a person meets on the pages reached from messages (unsubscribe `/u/…`,
 * preferences `/p/…`, click redirect `/c/…`, feedback answers `/f/…`): HTML in their language, never the API's JSON. It
 * names no customer and echoes nothing from the request, so it shows no personal data.
 */
import { escapeHtml, pageLayout, type PageBrand } from './html.ts';
import type { PageLocale } from './page-locale.ts';
import { SITE_TEXTS } from './site-texts.ts';

/** Paths whose errors are shown as a page: the links in messages, and the front page. */
const PAGE_PATH = /^\/((u|p|c|f)(\/|$)|$)/;

export function isCustomerPagePath(path: string): boolean {
  return PAGE_PATH.test(path);
}

/**
 * The methods a page path answers (for `405 Method Not Allowed` and its `Allow` header, RFC 9110
 * §15.5.6), or null when the path is no page. The pages a message links to take GET, and the
 * unsubscribe and preference pages their form's POST.
 */
export function pageMethods(path: string): readonly string[] | null {
  if (!isCustomerPagePath(path)) return null;
  return /^\/(u|p|f)\//.test(path) ? ['GET', 'POST'] : ['GET'];
}

/** The page for an HTTP status: 404 a bad or expired link, other 4xx a request it could not read, 5xx our failure. */
export function errorPage(lang: PageLocale, status: number, brand: PageBrand): string {
  const t = SITE_TEXTS[lang];
  const message = status === 404 ? t.linkInvalid : status >= 500 ? t.ourFault : t.badRequest;
  return pageLayout(lang, t.errorTitle, `<h1>${escapeHtml(t.errorTitle)}</h1><p>${escapeHtml(message)}</p>`, brand);
}
