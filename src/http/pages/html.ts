/** Small helpers for the server-rendered pages: escaping and one plain layout that works without JavaScript. */

export const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

/** Who the pages speak for: the sender's name and logo (LUPA_SENDER_NAME, LUPA_SENDER_LOGO_URL). */
export interface PageBrand {
  name: string;
  /** An https URL or a path on this server (checked in src/config.ts), or null for none. */
  logoUrl: string | null;
}

/** The brand of the configured sender. */
export function pageBrand(config: { LUPA_SENDER_NAME: string; LUPA_SENDER_LOGO_URL?: string | undefined }): PageBrand {
  return { name: config.LUPA_SENDER_NAME, logoUrl: config.LUPA_SENDER_LOGO_URL ?? null };
}

/**
 * The pages' style, for WCAG 2.1 AA (EN 301 549): the layout reflows down to 320 CSS px (1.4.10) —
 * a long compound word ("Marknadsföringsinställningar") is hyphenated where the browser knows the
 * language and broken anywhere where it does not, and a fieldset may shrink below its longest word
 * (browsers give it `min-width: min-content`); text and borders keep their contrast (1.4.3, 1.4.11);
 * keyboard focus is always shown (2.4.7).
 */
const PAGE_STYLE = `*,*::before,*::after{box-sizing:border-box}
body{font:16px/1.5 system-ui,sans-serif;margin:0 auto;max-width:40rem;padding:1.5rem 1rem;overflow-wrap:anywhere;hyphens:auto;-webkit-hyphens:auto}
h1{font-size:clamp(1.5rem,7vw,2rem);line-height:1.25}
header{display:flex;flex-wrap:wrap;align-items:center;gap:.75rem;margin-bottom:1.5rem;font-weight:600}
header img{max-width:100%;height:auto}
fieldset{border:1px solid #767676;margin:1rem 0;padding:.5rem 1rem;min-width:0}
label{display:block;margin:.25rem 0;padding:.2rem 0}
button{font:inherit;padding:.5rem 1.2rem;max-width:100%}
.note{color:#555}
table{border-collapse:collapse;margin:1rem 0}
caption{text-align:left;font-weight:600;padding:.3rem 0}
th,td{border-bottom:1px solid #767676;padding:.3rem .5rem;text-align:left;vertical-align:top}
.n{text-align:right;white-space:nowrap}
:focus-visible{outline:3px solid #1a56db;outline-offset:2px}`;

/**
 * A whole page: the sender's name and logo on top (the banner), then `body` (already HTML; every
 * value in it escaped) as the page's main content, in `lang`. Soft hyphens in `title` (break points
 * of long words in headings) are left out of the document's title.
 */
export function pageLayout(lang: string, title: string, body: string, brand: PageBrand): string {
  // The name is shown beside the logo, so the image itself is decorative (empty alt).
  const logo = brand.logoUrl === null ? '' : `<img src="${escapeHtml(brand.logoUrl)}" alt="" height="40"> `;
  return `<!doctype html><html lang="${escapeHtml(lang)}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex">
<title>${escapeHtml(title.replace(/\u00AD/g, ''))} – ${escapeHtml(brand.name)}</title><style>${PAGE_STYLE}</style></head><body>
<header>${logo}<span>${escapeHtml(brand.name)}</span></header>
<main>${body}</main></body></html>`;
}
