/**
 * `GET /v1/customers/{id}/permissions`: every purpose × channel verdict for one customer (basis and
 * reasons, no evidence) in one answer, from one read of the customer's records. The same role as
 * `decide`, and audited as one read of the customer's data.
 */
import { z } from 'zod';
import type { App } from '../../composition-root.ts';
import type { CustomerId, Sku } from '../../core/records.ts';
import { ALLOWING_REASONS, BASES, BLOCKING_REASONS, CHANNELS, PURPOSES } from '../../core/vocabulary.ts';
import { permissionsForCustomer } from '../../use-cases/customer-permissions.ts';
import { auditCustomers } from '../audit.ts';
import { requirePermission, rolesNote } from '../auth.ts';
import { errorResponses } from '../errors.ts';
import { CustomerIdParams, InstantSchema, SkuSchema } from '../schemas.ts';
import type { ZodServer } from '../zod-provider.ts';

const PermissionsQuery = z.strictObject({
  asOf: InstantSchema.optional().meta({ description: 'Decide as of this time (replay); defaults to now' }),
  product: SkuSchema.optional().meta({ description: 'The marketed product; soft opt-in can only be shown for one' }),
});

const VerdictSchema = z.object({
  purpose: z.enum(PURPOSES),
  channel: z.enum(CHANNELS),
  allowed: z.boolean(),
  basis: z.enum(BASES).nullable(),
  reasons: z.array(z.enum([...BLOCKING_REASONS, ...ALLOWING_REASONS])).meta({ description: 'Every rule that blocks, or the one rule that allows (compliance.md §2)' }),
});

const PermissionsSchema = z.object({
  customerId: z.string(),
  asOf: z.string(),
  product: z.string().nullable(),
  verdicts: z.array(VerdictSchema).meta({ description: 'Every purpose × channel, in the order of the purposes, then of the channels' }),
});

export function permissionRoutes(server: ZodServer, app: App): void {
  const deps = { ...app.stores, settings: app.settings };
  server.get(
    '/v1/customers/:id/permissions',
    {
      onRequest: requirePermission(app, 'decide'),
      schema: {
        tags: ['decide'],
        summary: "A customer's verdicts for every purpose and channel",
        description:
          'What `GET /v1/decide` answers for each purpose × channel (allowed, basis, reasons; without the evidence), ' +
          `computed from one read of the customer's records. Audited as one read. ${rolesNote('decide')}`,
        params: CustomerIdParams,
        querystring: PermissionsQuery,
        response: {
          200: PermissionsSchema,
          ...errorResponses(['VALIDATION_FAILED', 'INVALID_DATE', 'UNKNOWN_CUSTOMER', 'UNKNOWN_PRODUCT']),
        },
      },
    },
    async (req) => {
      const product = req.query.product ?? null;
      const answer = await permissionsForCustomer(deps, {
        customerId: req.params.id as CustomerId,
        sku: product as Sku | null,
        at: req.query.asOf ?? app.now(),
      });
      await auditCustomers(app, req, 'decide.permissions', [req.params.id], {
        asOf: answer.asOf,
        product,
        allowed: answer.verdicts.filter((v) => v.allowed).map((v) => `${v.purpose}/${v.channel}`),
      });
      return { ...answer, product };
    },
  );
}
