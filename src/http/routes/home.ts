/**
 * `GET /`: what this server is, for a person who opens its address: its name, what it does, and
 * the links to the API documentation and the health check, in the browser's language (fi, sv, en).
 */
import type { App } from '../../composition-root.ts';
import { escapeHtml, pageBrand, pageLayout } from '../pages/html.ts';
import { pageLocale } from '../pages/page-locale.ts';
import { SITE_TEXTS } from '../pages/site-texts.ts';
import type { ZodServer } from '../zod-provider.ts';

export function homeRoutes(server: ZodServer, app: App): void {
  const brand = pageBrand(app.config);
  server.get('/', { schema: { hide: true } }, async (req, reply) => {
    const lang = pageLocale(req, null);
    const t = SITE_TEXTS[lang];
    const body = `<h1>${escapeHtml(t.homeTitle)}</h1><p>${escapeHtml(t.homeWhat)}</p>
<h2>${escapeHtml(t.homeLinks)}</h2><ul><li><a href="/docs">${escapeHtml(t.docs)}</a> (/docs)</li><li><a href="/health">${escapeHtml(t.health)}</a> (/health)</li></ul>`;
    return reply.type('text/html; charset=utf-8').header('content-language', lang).header('vary', 'Accept-Language').send(pageLayout(lang, t.homeTitle, body, brand));
  });
}
