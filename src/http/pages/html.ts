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

/** A whole page: the sender's name and logo on top, then `body` (already HTML; every value in it escaped). */
export function pageLayout(lang: string, title: string, body: string, brand: PageBrand): string {
  // The name is shown beside the logo, so the image itself is decorative (empty alt).
  const logo = brand.logoUrl === null ? '' : `<img src="${escapeHtml(brand.logoUrl)}" alt="" height="40"> `;
  return `<!doctype html><html lang="${escapeHtml(lang)}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex">
<title>${escapeHtml(title)} – ${escapeHtml(brand.name)}</title><style>body{font:16px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:40rem;padding:0 1rem}
header{display:flex;align-items:center;gap:.75rem;margin-bottom:1.5rem;font-weight:600}
fieldset{border:1px solid #ccc;margin:1rem 0;padding:.5rem 1rem}label{display:block;margin:.25rem 0}
button{font:inherit;padding:.5rem 1.2rem}.note{color:#555}</style></head><body>
<header>${logo}<span>${escapeHtml(brand.name)}</span></header>
<main>${body}</main></body></html>`;
}
