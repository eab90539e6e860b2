/**
 * The local development inbox over HTTP: a JSON API and pages at /inbox for people trying Lupa out.
 * Both need an API key with `inbox.read` (the pages take it by HTTP Basic sign-in, see
 * `requirePagePermission`), and every message shown is audited as a read of personal data: the
 * messages are addressed to customers.
 */
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { DevInbox, InboxMessage, InboxMessageSummary } from '../../channels/email/dev-inbox.ts';
import { deliveryFromBounceAddress } from '../../channels/email/verp.ts';
import type { App } from '../../composition-root.ts';
import { DomainError } from '../../core/errors.ts';
import { auditEntries } from '../audit.ts';
import { requirePagePermission, requirePermission, rolesNote } from '../auth.ts';
import { errorResponses } from '../errors.ts';
import { INBOX_PAGE_HEADERS, inboxListPage, inboxMessagePage, inboxSignInPage } from '../pages/inbox-pages.ts';
import type { ZodServer } from '../zod-provider.ts';

const Id = z.strictObject({ id: z.coerce.number().int().positive() });
const ListQuery = z.strictObject({
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
const PageQuery = z.strictObject({ before: z.coerce.number().int().positive().optional() });
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
const ListResult = z.object({ messages: z.array(Summary), next: z.number().nullable() });
const Full = Summary.extend({ headers: z.array(z.object({ name: z.string(), value: z.string() })), text: z.string(), html: z.string().nullable() });

/** Messages on one page of the HTML list. */
const PAGE_SIZE = 50;

export function inboxRoutes(server: ZodServer, app: App, inbox: DevInbox): void {
  const found = async (id: number): Promise<InboxMessage> => {
    const message = await inbox.get(id);
    if (message === null) throw new DomainError('NOT_FOUND', `no message ${id} in the inbox`, { field: 'id' });
    return message;
  };
  /** Audits that `messages` were shown (`view`: how), each with its recipient's customer when known. */
  const audit = async (req: FastifyRequest, view: string, messages: readonly InboxMessageSummary[]): Promise<void> => {
    const customers = await Promise.all(messages.map((m) => customerOf(app, m)));
    await auditEntries(app, req, 'inbox.read', messages.map((m, i) => ({ customerId: customers[i] ?? null, detail: { message: m.id, view } })));
  };
  const guard = requirePermission(app, 'inbox.read');
  const tags = ['inbox'];
  const note = `Every message returned is audited as read. ${rolesNote('inbox.read')}`;
  server.get(
    '/v1/inbox/messages',
    {
      onRequest: guard,
      schema: { tags, summary: 'Messages in the local inbox, newest first', description: `Keyset paging: pass \`next\` as \`before\`. ${note}`, querystring: ListQuery, response: { 200: ListResult, ...errorResponses(['VALIDATION_FAILED']) } },
    },
    async (req) => {
      const page = await inbox.page({ ...(req.query.before === undefined ? {} : { before: req.query.before }), size: req.query.limit });
      await audit(req, 'api.list', page.messages);
      return page;
    },
  );
  server.get(
    '/v1/inbox/messages/:id',
    { onRequest: guard, schema: { tags, summary: 'One message with headers, text and HTML', description: note, params: Id, response: { 200: Full, ...errorResponses(['NOT_FOUND']) } } },
    async (req) => {
      const { raw: _raw, ...message } = await found(req.params.id);
      await audit(req, 'api.message', [message]);
      return message;
    },
  );
  server.get(
    '/v1/inbox/messages/:id/raw',
    { onRequest: guard, schema: { tags, summary: 'The message as it arrived (message/rfc822)', description: note, params: Id } },
    async (req, reply) => {
      const message = await found(req.params.id);
      await audit(req, 'api.raw', [message]);
      return reply.type('message/rfc822').send(message.raw);
    },
  );
  server.delete('/v1/inbox/messages', { onRequest: guard, schema: { tags, summary: 'Empty the inbox', description: rolesNote('inbox.read') } }, async (_req, reply) => {
    inbox.clear();
    return reply.code(204).send();
  });

  const pageGuard = requirePagePermission(app, 'inbox.read', inboxSignInPage);
  const hide = true;
  server.get('/inbox', { onRequest: pageGuard, schema: { hide, querystring: PageQuery } }, async (req, reply) => {
    const page = await inbox.page({ ...(req.query.before === undefined ? {} : { before: req.query.before }), size: PAGE_SIZE });
    await audit(req, 'page.list', page.messages);
    return reply.headers(INBOX_PAGE_HEADERS).type('text/html; charset=utf-8').send(inboxListPage(page, req.query.before === undefined));
  });
  server.get('/inbox/:id', { onRequest: pageGuard, schema: { hide, params: Id } }, async (req, reply) => {
    const message = await found(req.params.id);
    await audit(req, 'page.message', [message]);
    return reply.headers(INBOX_PAGE_HEADERS).type('text/html; charset=utf-8').send(inboxMessagePage(message));
  });
  // Plain text, so that the browser shows the source instead of offering a download or rendering it.
  server.get('/inbox/:id/raw', { onRequest: pageGuard, schema: { hide, params: Id } }, async (req, reply) => {
    const message = await found(req.params.id);
    await audit(req, 'page.raw', [message]);
    return reply.headers(INBOX_PAGE_HEADERS).type('text/plain; charset=utf-8').send(message.raw);
  });
}

/**
 * The customer a message was sent to, when Lupa sent it: its envelope sender is the delivery's
 * signed return path (src/channels/email/verp.ts). Null for any other message.
 */
async function customerOf(app: App, message: InboxMessageSummary): Promise<string | null> {
  const deliveryId = message.envelopeFrom === null ? null : deliveryFromBounceAddress(app.signer, message.envelopeFrom);
  return deliveryId === null ? null : ((await app.stores.deliveries.find(deliveryId))?.customerId ?? null);
}
