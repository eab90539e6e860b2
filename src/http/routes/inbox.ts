/**
 * The local development inbox over HTTP: a JSON API (with a key) and a plain page at /inbox for
 * people trying Lupa out. The page needs no key but answers only clients on this machine, since
 * the messages are addressed to customers.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { DevInbox, InboxMessage, InboxMessageSummary } from '../../channels/email/dev-inbox.ts';
import type { App } from '../../composition-root.ts';
import { DomainError } from '../../core/errors.ts';
import { requirePermission, rolesNote } from '../auth.ts';
import { escapeHtml } from '../pages/html.ts';
import { errorResponses } from '../errors.ts';
import type { ZodServer } from '../zod-provider.ts';

const Id = z.strictObject({ id: z.coerce.number().int().positive() });
const Summary = z.object({
  id: z.number(),
  receivedAt: z.string(),
  envelopeFrom: z.string().nullable(),
  envelopeTo: z.array(z.string()),
  from: z.string(),
  to: z.string(),
  subject: z.string(),
  size: z.number(),
});
const Full = Summary.extend({ headers: z.array(z.object({ name: z.string(), value: z.string() })), text: z.string(), html: z.string().nullable() });

export function inboxRoutes(server: ZodServer, app: App, inbox: DevInbox): void {
  const found = async (id: number): Promise<InboxMessage> => {
    const message = await inbox.get(id);
    if (message === null) throw new DomainError('NOT_FOUND', `no message ${id} in the inbox`, { field: 'id' });
    return message;
  };
  const guard = requirePermission(app, 'inbox.read');
  const tags = ['inbox'];
  server.get(
    '/v1/inbox/messages',
    { onRequest: guard, schema: { tags, summary: 'Messages in the local inbox, newest first', description: rolesNote('inbox.read'), response: { 200: z.array(Summary) } } },
    async () => inbox.list(),
  );
  server.get(
    '/v1/inbox/messages/:id',
    { onRequest: guard, schema: { tags, summary: 'One message with headers, text and HTML', params: Id, response: { 200: Full, ...errorResponses(['NOT_FOUND']) } } },
    async (req) => {
      const { raw: _raw, ...message } = await found(req.params.id);
      return message;
    },
  );
  server.get(
    '/v1/inbox/messages/:id/raw',
    { onRequest: guard, schema: { tags, summary: 'The message as it arrived (message/rfc822)', params: Id } },
    async (req, reply) => reply.type('message/rfc822').send((await found(req.params.id)).raw),
  );
  server.delete('/v1/inbox/messages', { onRequest: guard, schema: { tags, summary: 'Empty the inbox' } }, async (_req, reply) => {
    inbox.clear();
    return reply.code(204).send();
  });

  server.get('/inbox', { schema: { hide: true } }, async (req, reply) => page(req, reply, listPage(await inbox.list())));
  server.get('/inbox/:id', { schema: { hide: true, params: Id } }, async (req, reply) => page(req, reply, messagePage(await found(req.params.id))));
}

function page(req: FastifyRequest, reply: FastifyReply, body: string): FastifyReply {
  if (!isLoopback(req.socket.remoteAddress)) {
    throw new DomainError('FORBIDDEN', 'the inbox page answers only on this machine; use /v1/inbox/messages with a key');
  }
  return reply.type('text/html; charset=utf-8').send(body);
}

function isLoopback(address: string | undefined): boolean {
  return address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1';
}

function layout(title: string, body: string, refresh = false): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8">${refresh ? '<meta http-equiv="refresh" content="5">' : ''}
<title>${escapeHtml(title)}</title><style>body{font:15px/1.4 system-ui,sans-serif;margin:2rem;max-width:70rem}
table{border-collapse:collapse;width:100%}td,th{text-align:left;padding:.3rem .6rem;border-bottom:1px solid #ddd}
pre{white-space:pre-wrap;background:#f6f6f6;padding:1rem}iframe{width:100%;height:32rem;border:1px solid #ccc}</style></head>
<body>${body}</body></html>`;
}

function listPage(messages: InboxMessageSummary[]): string {
  const rows = messages
    .map((m) => `<tr><td>${m.id}</td><td>${escapeHtml(m.receivedAt)}</td><td>${escapeHtml(m.envelopeTo.join(', '))}</td><td><a href="/inbox/${m.id}">${escapeHtml(m.subject || '(no subject)')}</a></td><td>${m.size}</td></tr>`)
    .join('');
  return layout(
    'Lupa development inbox',
    `<h1>Development inbox</h1><p>Mail that Lupa sent to the local SMTP inbox (newest first; kept in memory). This page refreshes itself.</p>
<table><thead><tr><th>#</th><th>received</th><th>to</th><th>subject</th><th>bytes</th></tr></thead><tbody>${rows || '<tr><td colspan="5">Nothing yet.</td></tr>'}</tbody></table>`,
    true,
  );
}

function messagePage(m: InboxMessage): string {
  const headers = m.headers.map((h) => `${escapeHtml(h.name)}: ${escapeHtml(h.value)}`).join('\n');
  // The HTML part runs in a sandboxed frame without scripts, so a message cannot act on this page.
  const html = m.html === null ? '<p>(no HTML part)</p>' : `<iframe sandbox="" srcdoc="${escapeHtml(m.html)}"></iframe>`;
  return layout(
    m.subject,
    `<p><a href="/inbox">← inbox</a> · <a href="/v1/inbox/messages/${m.id}/raw">raw source (needs a key)</a></p>
<h1>${escapeHtml(m.subject || '(no subject)')}</h1><h2>Headers</h2><pre>${headers}</pre><h2>HTML</h2>${html}<h2>Text</h2><pre>${escapeHtml(m.text)}</pre>`,
  );
}
