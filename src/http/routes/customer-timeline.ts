/**
 * `GET /v1/customers/:id/timeline`: the customer's history as one timeline (docs/customer-service.md
 * #the-customers-history): every kind Lupa holds, newest first, filtered by kind and time, paged
 * by the cursor `next`. Each page read is audited.
 */
import { z } from 'zod';
import type { App } from '../../composition-root.ts';
import { customerTimeline, TIMELINE_AUDIT_ACTION, timelineAuditDetail } from '../../use-cases/customer-timeline.ts';
import { auditCustomers } from '../audit.ts';
import { requirePermission, rolesNote } from '../auth.ts';
import { errorResponses } from '../errors.ts';
import { CustomerIdParams, InstantSchema, NextSchema } from '../schemas.ts';
import type { ZodServer } from '../zod-provider.ts';

const SummaryValue = z.union([z.string(), z.number(), z.null(), z.array(z.string())]);

export function customerTimelineRoutes(server: ZodServer, app: App): void {
  const kinds = app.stores.timeline.kinds as [string, ...string[]];
  const EntrySchema = z.object({
    at: z.string().meta({ description: 'When it happened (ISO-8601, UTC)' }),
    kind: z.enum(kinds),
    id: z.string().meta({ description: "The entry's id within its kind (order id, ledger sequence number, delivery id, …)" }),
    summary: z.record(z.string(), SummaryValue).meta({ description: "The kind's fields (docs/customer-service.md#the-customers-history)" }),
  });
  server.get(
    '/v1/customers/:id/timeline',
    {
      onRequest: requirePermission(app, 'customers.history'),
      schema: {
        tags: ['customers'],
        summary: "The customer's history",
        description:
          'One timeline of everything held about the customer, newest first (then by kind and id, so equal times page without gaps): ' +
          `${kinds.map((k) => `\`${k}\``).join(', ')}. Filter by \`kinds\` and a time window (\`after\` inclusive, \`before\` exclusive); ` +
          `pass \`next\` as \`cursor\` with the same filters for the next page. Each page read is audited. ${rolesNote('customers.history')}`,
        params: CustomerIdParams,
        querystring: z.strictObject({
          kinds: z
            .string()
            .regex(/^[a-z_]+(,[a-z_]+)*$/)
            .optional()
            .meta({ description: `Kinds separated by commas; default: every kind (${kinds.join(', ')})`, example: 'order_started,message' }),
          after: InstantSchema.optional().meta({ description: 'Entries at or after this time', example: '2020-01-01T00:00:00Z' }),
          before: InstantSchema.optional().meta({ description: 'Entries before this time', example: '2030-01-01T00:00:00Z' }),
          limit: z.coerce.number().int().min(1).max(100).default(20).meta({ description: 'Entries per page, 1–100', example: 20 }),
          cursor: z.string().min(1).max(600).optional().meta({ description: "The previous page's `next`" }),
        }),
        response: {
          200: z.object({ customerId: z.string(), entries: z.array(EntrySchema), next: NextSchema.meta({ description: 'Pass as `cursor` for the next page; null on the last page' }) }),
          ...errorResponses(['VALIDATION_FAILED', 'INVALID_DATE', 'UNKNOWN_CUSTOMER']),
        },
      },
    },
    async (req) => {
      const { kinds: kindList, after, before, limit, cursor } = req.query;
      const input = { customerId: req.params.id, kinds: kindList?.split(','), from: after, before, cursor, limit };
      const page = await customerTimeline(app.stores, input);
      await auditCustomers(app, req, TIMELINE_AUDIT_ACTION, [req.params.id], timelineAuditDetail(input, page));
      return page;
    },
  );
}
