/** A customer's ledger: append a consent, withdrawal or objection; read the history. */
import { z } from 'zod';
import type { App } from '../../composition-root.ts';
import { CONSENT_VALUES, OBJECTION_SCOPES } from '../../core/vocabulary.ts';
import { appendLedgerEntry, ledgerHistory } from '../../use-cases/ledger-entries.ts';
import { auditCustomers, type AuditDetail } from '../audit.ts';
import { requirePermission, rolesNote } from '../auth.ts';
import { errorResponses } from '../errors.ts';
import { ChannelSchema, CustomerIdParams, InstantSchema, LedgerRecordSchema, LocaleSchema, PurposeSchema } from '../schemas.ts';
import type { ZodServer } from '../zod-provider.ts';

const common = {
  at: InstantSchema.optional().meta({ description: 'When it happened; defaults to now; not in the future' }),
  source: z.string().trim().min(1).max(100).meta({ description: 'web_form, unsubscribe_link, call, agent, import, field_sale…' }),
};

const evidence = {
  noticeVersion: z.string().max(50).nullable().optional().meta({ description: 'Version of the privacy notice shown' }),
  noticeLocale: LocaleSchema.nullable().optional(),
  evidenceRef: z.string().max(200).nullable().optional().meta({ description: 'Form submission, call id, order id' }),
};

const LedgerEntryBody = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('consent'),
    purpose: PurposeSchema,
    channel: ChannelSchema.nullable().optional().meta({ description: 'Left out or null: every channel of the purpose' }),
    value: z.enum(CONSENT_VALUES),
    ...common,
    ...evidence,
  }),
  z.strictObject({
    kind: z.literal('objection'),
    scope: z.enum(OBJECTION_SCOPES),
    value: z.enum(['objected', 'withdrawn']).optional().meta({ description: '`objected` (default) or `withdrawn` to lift it' }),
    ...common,
    // Evidence of an objection (a letter, a call) matters as much as for a consent.
    ...evidence,
  }),
]);

const History = z.object({ customerId: z.string(), records: z.array(LedgerRecordSchema) });

export function ledgerRoutes(server: ZodServer, app: App): void {
  const deps = { customers: app.stores.customers, ledger: app.stores.ledger, now: app.now };
  const tags = ['ledger'];

  server.post(
    '/v1/customers/:id/ledger',
    {
      onRequest: requirePermission(app, 'ledger.append'),
      schema: {
        tags,
        summary: 'Record a consent, withdrawal or objection',
        description:
          'Appends to the ledger; nothing is ever changed. The same record sent twice is stored once (the stored one is returned). ' +
          rolesNote('ledger.append'),
        params: CustomerIdParams,
        body: LedgerEntryBody,
        response: {
          201: LedgerRecordSchema,
          ...errorResponses(['VALIDATION_FAILED', 'UNKNOWN_PURPOSE', 'UNKNOWN_CHANNEL', 'INVALID_DATE', 'UNKNOWN_CUSTOMER']),
        },
      },
    },
    async (req, reply) => {
      const record = await appendLedgerEntry(deps, { customerId: req.params.id, entry: req.body });
      const subject: AuditDetail = record.kind === 'consent' ? { purpose: record.purpose, channel: record.channel } : { scope: record.scope };
      await auditCustomers(app, req, 'ledger.append', [record.customerId], { seq: record.seq, kind: record.kind, ...subject, value: record.value });
      return reply.code(201).send(record);
    },
  );

  server.get(
    '/v1/customers/:id/ledger',
    {
      onRequest: requirePermission(app, 'ledger.read'),
      schema: {
        tags,
        summary: "A customer's ledger",
        description: `Every record in time order (ties in insertion order). Audited. ${rolesNote('ledger.read')}`,
        params: CustomerIdParams,
        response: { 200: History, ...errorResponses(['VALIDATION_FAILED', 'UNKNOWN_CUSTOMER']) },
      },
    },
    async (req) => {
      const records = await ledgerHistory(deps, { customerId: req.params.id });
      await auditCustomers(app, req, 'ledger.read', [req.params.id], { records: records.length });
      return { customerId: req.params.id, records };
    },
  );
}
