/**
 * The pages of the development inbox (src/http/routes/inbox.ts): the list, one message, and the
 * sign-in answer. A message's HTML is shown in a sandboxed frame: no scripts, no access to this
 * page, and its links open in a new tab. Every value is escaped.
 */
import type { InboxMessage, InboxPage } from '../../channels/email/dev-inbox.ts';
import { PERMISSIONS } from '../../core/access.ts';
import { escapeHtml } from './html.ts';

/**
 * The headers every inbox page is sent with. The policy allows no script at all (a message's HTML in
 * a `srcdoc` frame inherits it), lets nothing frame the page, and sends no Referer when a link in a
 * message is followed.
 */
export const INBOX_PAGE_HEADERS = {
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; img-src http: https: data:; frame-ancestors 'none'; form-action 'none'",
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
} as const;

function layout(title: string, body: string, refresh = false): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8">${refresh ? '<meta http-equiv="refresh" content="5">' : ''}
<meta name="robots" content="noindex"><title>${escapeHtml(title)}</title><style>body{font:15px/1.4 system-ui,sans-serif;margin:2rem;max-width:70rem}
table{border-collapse:collapse;width:100%}td,th{text-align:left;padding:.3rem .6rem;border-bottom:1px solid #ddd}
pre{white-space:pre-wrap;background:#f6f6f6;padding:1rem}iframe{width:100%;height:32rem;border:1px solid #ccc}</style></head>
<body>${body}</body></html>`;
}

/** One page of the list, newest first, with a link to the older messages; the first page refreshes itself. */
export function inboxListPage(page: InboxPage, first: boolean): string {
  const rows = page.messages
    .map((m) => `<tr><td>${m.id}</td><td>${escapeHtml(m.receivedAt)}</td><td>${escapeHtml(m.envelopeTo.join(', '))}</td><td><a href="/inbox/${m.id}">${escapeHtml(m.subject || '(no subject)')}</a></td><td>${m.size}</td></tr>`)
    .join('');
  const nav = [first ? '' : '<a href="/inbox">newest</a>', page.next === null ? '' : `<a href="/inbox?before=${page.next}" rel="next">older messages →</a>`].filter((s) => s !== '').join(' · ');
  return layout(
    'Lupa development inbox',
    `<h1>Development inbox</h1><p>Mail that Lupa sent to the local SMTP inbox (newest first; kept in memory).${first ? ' This page refreshes itself.' : ''}</p>
<table><thead><tr><th>#</th><th>received</th><th>to</th><th>subject</th><th>bytes</th></tr></thead><tbody>${rows || '<tr><td colspan="5">Nothing yet.</td></tr>'}</tbody></table>
<p>${nav}</p>`,
    first,
  );
}

/** An `<img>` whose source is an open-tracking pixel; each part bounded, so a message full of `<img` without `>` costs linear time. */
const OPEN_PIXEL = /<img\b[^>]{0,500}?\bsrc="[^"]{0,2000}\/o\/[A-Za-z0-9._~-]{1,1000}\.gif"[^>]{0,500}>/gi;

/**
 * One message. Its HTML runs in a frame sandboxed without scripts or same-origin access (so it cannot
 * act on this page), allowed only to open pop-ups; `<base target="_blank">` placed first makes every
 * link one, in a new tab that is no longer sandboxed.
 */
export function inboxMessagePage(m: InboxMessage): string {
  // Looking at a message here is a developer's look, not the recipient's open: the open-tracking
  // image (`/o/….gif`, src/use-cases/tracking.ts) is left out so it counts nowhere.
  const shown = m.html?.replace(OPEN_PIXEL, '') ?? null;
  const headers = m.headers.map((h) => `${escapeHtml(h.name)}: ${escapeHtml(h.value)}`).join('\n');
  const html =
    shown === null
      ? '<p>(no HTML part)</p>'
      : `<iframe title="HTML part" sandbox="allow-popups allow-popups-to-escape-sandbox" srcdoc="${escapeHtml(`<base target="_blank">${shown}`)}"></iframe>`;
  return layout(
    m.subject,
    `<p><a href="/inbox">← inbox</a> · <a href="/inbox/${m.id}/raw">raw source</a></p>
<h1>${escapeHtml(m.subject || '(no subject)')}</h1><h2>Headers</h2><pre>${headers}</pre><h2>HTML</h2>${html}<h2>Text</h2><pre>${escapeHtml(m.text)}</pre>`,
  );
}

/** What a browser shows when the person cancels the sign-in prompt (in Finnish, Swedish and English). */
export function inboxSignInPage(): string {
  const roles = PERMISSIONS['inbox.read'].join(', ');
  return layout(
    'Lupa development inbox',
    `<h1>Development inbox</h1>
<p lang="fi">Kirjaudu API-avaimella: käyttäjänimeksi mitä tahansa, salasanaksi avain (rooli ${roles}).</p>
<p lang="sv">Logga in med en API-nyckel: valfritt användarnamn, nyckeln som lösenord (roll ${roles}).</p>
<p lang="en">Sign in with an API key: any user name, the key as the password (role ${roles}).</p>`,
  );
}
