/** `decide(customer, purpose, channel, product?, at)` over HTTP, as a query (GET) or a body (POST). */
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { App } from '../../composition-root.ts';
import type { CustomerId, Sku } from '../../core/records.ts';
import { decideForCustomer } from '../../use-cases/decide-for-customer.ts';
import { auditCustomers } from '../audit.ts';
import { actorOf, requirePermission, rolesNote } from '../auth.ts';
import { decisionFor } from '../decision-view.ts';
import { errorResponses } from '../errors.ts';
import { ChannelSchema, CustomerIdSchema, DecisionSchema, EVIDENCE_BY_ROLE, InstantSchema, PurposeSchema, SkuSchema } from '../schemas.ts';
import type { ZodServer } from '../zod-provider.ts';

const DecideInput = z.strictObject({
  customer: CustomerIdSchema,
  purpose: PurposeSchema,
  channel: ChannelSchema,
  product: SkuSchema.optional().meta({ description: 'The marketed product; soft opt-in can only be shown for one' }),
  at: InstantSchema.optional().meta({ description: 'Decide as of this time (replay); defaults to now' }),
});

type DecideRequest = z.output<typeof DecideInput>;

const ERRORS = errorResponses(['VALIDATION_FAILED', 'UNKNOWN_PURPOSE', 'UNKNOWN_CHANNEL', 'INVALID_DATE', 'UNKNOWN_CUSTOMER', 'UNKNOWN_PRODUCT']);

export function decideRoutes(server: ZodServer, app: App): void {
  const deps = { ...app.stores, settings: app.settings };
  const description =
    'Whether this customer may be contacted for the purpose on the channel, the legal basis, every blocking reason, ' +
    `and the evidence (ledger records, suppressions, the order showing a relationship). Audited. ${rolesNote('decide')} ${EVIDENCE_BY_ROLE}`;

  async function answer(req: FastifyRequest, input: DecideRequest): Promise<z.input<typeof DecisionSchema>> {
    // Text ids from the request become branded ids here; the use case checks that they exist.
    const decision = await decideForCustomer(deps, {
      customerId: input.customer as CustomerId,
      purpose: input.purpose,
      channel: input.channel,
      sku: input.product === undefined ? null : (input.product as Sku),
      at: input.at ?? app.now(),
    });
    const { allowed, basis, reasons, evidence } = decisionFor(actorOf(req).role, decision);
    await auditCustomers(app, req, 'decide', [input.customer], {
      purpose: input.purpose,
      channel: input.channel,
      product: input.product ?? null,
      asOf: evidence.asOf,
      allowed,
      reasons: [...reasons],
    });
    return { allowed, basis, reasons, evidence };
  }

  server.get(
    '/v1/decide',
    {
      onRequest: requirePermission(app, 'decide'),
      schema: { tags: ['decide'], summary: 'Decide (query)', description, querystring: DecideInput, response: { 200: DecisionSchema, ...ERRORS } },
    },
    (req) => answer(req, req.query),
  );

  server.post(
    '/v1/decide',
    {
      onRequest: requirePermission(app, 'decide'),
      schema: { tags: ['decide'], summary: 'Decide (body)', description, body: DecideInput, response: { 200: DecisionSchema, ...ERRORS } },
    },
    (req) => answer(req, req.body),
  );
}
