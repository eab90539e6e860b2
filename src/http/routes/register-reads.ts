/**
 * The DPO's reads across customers: the audit log (JSON pages or a CSV export) and the ledger,
 * filtered by who, what and when.
 *
 * Reading the audit log is itself audited: one `audit.read` entry per request, naming the customer
 * only when the read was filtered by one (a read of everyone's trail names no one; its detail lists
 * the filters used and the format, never their values). Every customer a ledger page returns is
 * audited as read (`ledger.search`), as the other reads across customers are.
 */
import { PassThrough } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { App } from '../../composition-root.ts';
import type { AuditFilter, LedgerFilter } from '../../core/register-reads.ts';
import type { CustomerId } from '../../core/records.ts';
import { OBJECTION_SCOPES, PURPOSES } from '../../core/vocabulary.ts';
import { writeCsv } from '../../export/csv-writer.ts';
import { actorNames, allAuditEntries, auditLogPage, ledgerPage, requireRange } from '../../use-cases/register-reads.ts';
import { auditCustomers, auditEntries } from '../audit.ts';
import { requirePermission, rolesNote } from '../auth.ts';
import { errorResponses } from '../errors.ts';
import { AuditEntrySchema, ChannelSchema, CustomerIdSchema, InstantSchema, LedgerRecordSchema, NextSchema, pageQuery } from '../schemas.ts';
import type { ZodServer } from '../zod-provider.ts';

const word = (description: string, example: string) =>
  z
    .string()
    .regex(/^[A-Za-z0-9._:@-]{1,100}$/, 'must be 1–100 letters, digits or . _ : @ -')
    .meta({ description, example });

const SeqCursor = z.coerce.number().int().positive();

const timeRange = {
  from: InstantSchema.optional().meta({ description: 'From this time (inclusive)', example: '2025-01-01T00:00:00Z' }),
  to: InstantSchema.optional().meta({ description: 'Before this time (exclusive); after `from`', example: '2026-01-01T00:00:00Z' }),
};

const auditFilters = {
  customer: CustomerIdSchema.optional().meta({ description: 'Only entries about this customer', example: 'C0000001' }),
  actor: word('Only entries by this API key id or console user id', 'k_3f2a').optional(),
  action: word('Only this action, e.g. customers.read, decide, campaign.delivery, audit.read', 'customers.read').optional(),
  ...timeRange,
};

const AuditQuery = z.strictObject({ ...auditFilters, ...pageQuery(SeqCursor) });
const AuditCsvQuery = z.strictObject({
  ...auditFilters,
  excel: z
    .enum(['true', 'false'])
    .optional()
    .meta({ description: 'Byte-order mark and `;` for Excel; defaults to LUPA_CSV_EXCEL' }),
});

const AuditRowSchema = AuditEntrySchema.extend({ id: z.number().int().meta({ description: 'Paging key: entries are numbered in the order they were written' }) });
const AuditViewSchema = AuditRowSchema.extend({ actorName: z.string().nullable().meta({ description: "Who the actor is: a console user's e-mail, an API key's name; null when it names neither (e.g. `cli:USER`)" }) });

const LedgerQuery = z.strictObject({
  customer: CustomerIdSchema.optional().meta({ description: 'Only this customer', example: 'C0000001' }),
  purpose: z
    .enum([...PURPOSES, ...OBJECTION_SCOPES])
    .optional()
    .meta({ description: "A consent's purpose or an objection's scope", example: 'marketing' }),
  channel: ChannelSchema.optional().meta({ description: 'Only consents given for this channel (not those for every channel)' }),
  source: word('Only records from this source: web_form, unsubscribe_link, call, agent, import…', 'web_form').optional(),
  kind: z.enum(['consent', 'objection']).optional(),
  ...timeRange,
  ...pageQuery(SeqCursor),
});

/** The names of the filters given, for an audit detail: which, never their values. */
function filterNames(filter: object): string[] {
  return Object.entries(filter)
    .filter(([, value]) => value !== undefined)
    .map(([name]) => name);
}

function auditFilterOf(q: { customer?: string | undefined; actor?: string | undefined; action?: string | undefined; from?: string | undefined; to?: string | undefined }): AuditFilter {
  const filter: AuditFilter = {};
  if (q.customer !== undefined) filter.customerId = q.customer as CustomerId;
  if (q.actor !== undefined) filter.actor = q.actor;
  if (q.action !== undefined) filter.action = q.action;
  if (q.from !== undefined) filter.from = q.from as AuditFilter['from'] & string;
  if (q.to !== undefined) filter.to = q.to as AuditFilter['to'] & string;
  return filter;
}

/** One `audit.read` entry for a read of the log: with the customer only when filtered by one. */
async function auditAuditRead(app: App, req: FastifyRequest, filter: AuditFilter, format: 'json' | 'csv'): Promise<void> {
  const { customerId, ...others } = filter;
  await auditEntries(app, req, 'audit.read', [{ customerId: customerId ?? null, detail: { format, filters: filterNames(others) } }]);
}

export function registerReadRoutes(server: ZodServer, app: App): void {
  server.get(
    '/v1/audit',
    {
      onRequest: requirePermission(app, 'audit.read'),
      schema: {
        tags: ['audit'],
        summary: 'The audit log',
        description:
          'Who read or changed personal data, newest first, filtered by customer, actor, action and time; keyset-paged: pass `next` as `after`. ' +
          `The read is itself audited (\`audit.read\`, naming the customer only when filtered by one). ${rolesNote('audit.read')}`,
        querystring: AuditQuery,
        response: { 200: z.object({ entries: z.array(AuditViewSchema), next: NextSchema }), ...errorResponses(['VALIDATION_FAILED', 'INVALID_DATE']) },
      },
    },
    async (req) => {
      const { limit, after, ...q } = req.query;
      const filter = auditFilterOf(q);
      const page = await auditLogPage(app.stores, { ...filter, limit, ...(after === undefined ? {} : { after }) });
      await auditAuditRead(app, req, filter, 'json');
      const names = await actorNames(app.stores, page.entries.map((e) => e.actor));
      return { ...page, entries: page.entries.map((e) => ({ ...e, actorName: names.get(e.actor) ?? null })) };
    },
  );

  server.get(
    '/v1/audit.csv',
    {
      onRequest: requirePermission(app, 'audit.read'),
      schema: {
        tags: ['audit'],
        summary: 'The audit log as CSV',
        description:
          'The same entries and filters as `/v1/audit`, every page, as CSV (id, at, actor, role, action, customerId, detail as JSON); formula cells neutralised. ' +
          `Audited once, before the first row. ${rolesNote('audit.read')}`,
        querystring: AuditCsvQuery,
        produces: ['text/csv'],
        response: { 200: z.string().meta({ description: 'text/csv' }), ...errorResponses(['VALIDATION_FAILED', 'INVALID_DATE']) },
      },
    },
    async (req, reply) => {
      const { excel, ...q } = req.query;
      const filter = auditFilterOf(q);
      // A bad range is refused as JSON before the first byte of CSV.
      requireRange(filter);
      await auditAuditRead(app, req, filter, 'csv');
      const out = new PassThrough();
      async function* rows(): AsyncIterable<Record<string, string | number | null>> {
        for await (const e of allAuditEntries(app.stores, filter)) {
          yield { id: e.id, at: e.at, actor: e.actor, role: e.role, action: e.action, customerId: e.customerId, detail: JSON.stringify(e.detail) };
        }
      }
      writeCsv(out, rows(), { excel: excel === undefined ? app.config.LUPA_CSV_EXCEL : excel === 'true' }).catch((err: unknown) => {
        req.log.error({ kind: err instanceof Error ? err.name : 'unknown' }, 'audit export failed');
        out.destroy(err instanceof Error ? err : new Error('audit export failed'));
      });
      return reply.type('text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="audit.csv"').send(out as unknown as string); // a stream is sent as it is, never serialised
    },
  );

  server.get(
    '/v1/ledger',
    {
      onRequest: requirePermission(app, 'ledger.read'),
      schema: {
        tags: ['ledger'],
        summary: 'Ledger records across customers',
        description:
          'Consents, withdrawals and objections, newest recorded first, filtered by customer, purpose (or objection scope), channel, source, kind and time (`at`); ' +
          `keyset-paged: pass \`next\` as \`after\`. Every customer returned is audited as read. ${rolesNote('ledger.read')}`,
        querystring: LedgerQuery,
        response: { 200: z.object({ records: z.array(LedgerRecordSchema), next: NextSchema }), ...errorResponses(['VALIDATION_FAILED', 'INVALID_DATE', 'UNKNOWN_PURPOSE', 'UNKNOWN_CHANNEL']) },
      },
    },
    async (req) => {
      const { limit, after, customer, ...rest } = req.query;
      const filter: LedgerFilter = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined));
      if (customer !== undefined) filter.customerId = customer as CustomerId;
      const page = await ledgerPage(app.stores, { ...filter, limit, ...(after === undefined ? {} : { after }) });
      const customers = [...new Set(page.records.map((r) => r.customerId))];
      await auditCustomers(app, req, 'ledger.search', customers, { criteria: filterNames(req.query).filter((n) => n !== 'limit' && n !== 'after') });
      return page;
    },
  );
}
