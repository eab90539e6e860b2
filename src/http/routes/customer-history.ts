/** One customer's orders and the messages of every campaign sent (or not) to them: personal data, audited. */
import { z } from 'zod';
import type { App } from '../../composition-root.ts';
import { customerMessages, customerOrders } from '../../use-cases/listings.ts';
import { auditCustomers } from '../audit.ts';
import { requirePermission, rolesNote } from '../auth.ts';
import { errorResponses } from '../errors.ts';
import { CHANNELS, PURPOSES } from '../../core/vocabulary.ts';
import { CustomerIdParams, DeliverySchema, NextSchema, OrderSchema, pageQuery } from '../schemas.ts';
import type { ZodServer } from '../zod-provider.ts';

const OrderIdSchema = z.string().min(1).max(100);

const MessageSchema = DeliverySchema.extend({
  campaign: z.object({ id: z.number().int(), name: z.string(), purpose: z.enum(PURPOSES), channel: z.enum(CHANNELS) }),
});

export function customerHistoryRoutes(server: ZodServer, app: App): void {
  const tags = ['customers'];
  server.get(
    '/v1/customers/:id/orders',
    {
      onRequest: requirePermission(app, 'customers.orders'),
      schema: {
        tags,
        summary: "A customer's orders",
        description: `By order id, each with its product's category; keyset-paged: pass \`next\` as \`after\`. Audited. ${rolesNote('customers.orders')}`,
        params: CustomerIdParams,
        querystring: z.strictObject(pageQuery(OrderIdSchema)),
        response: { 200: z.object({ customerId: z.string(), orders: z.array(OrderSchema), next: NextSchema }), ...errorResponses(['VALIDATION_FAILED', 'UNKNOWN_CUSTOMER']) },
      },
    },
    async (req) => {
      const page = await customerOrders(app.stores, { customerId: req.params.id, ...req.query });
      await auditCustomers(app, req, 'customers.orders', [req.params.id]);
      return { customerId: req.params.id, ...page };
    },
  );

  server.get(
    '/v1/customers/:id/messages',
    {
      onRequest: requirePermission(app, 'customers.messages'),
      schema: {
        tags,
        summary: 'Messages of every campaign to a customer',
        description:
          'Each delivery, newest first: its campaign, state (sent, skipped, …), legal basis, reason codes, when it was sent and what came back. ' +
          `Keyset-paged: pass \`next\` as \`after\`. Audited. ${rolesNote('customers.messages')}`,
        params: CustomerIdParams,
        querystring: z.strictObject(pageQuery(z.coerce.number().int().positive())),
        response: { 200: z.object({ customerId: z.string(), messages: z.array(MessageSchema), next: NextSchema }), ...errorResponses(['VALIDATION_FAILED', 'UNKNOWN_CUSTOMER']) },
      },
    },
    async (req) => {
      const page = await customerMessages(app.stores, { customerId: req.params.id, ...req.query });
      await auditCustomers(app, req, 'customers.messages', [req.params.id]);
      return { customerId: req.params.id, ...page };
    },
  );
}
