/** One customer's orders and the messages of every campaign sent (or not) to them: personal data, audited. */
import { z } from 'zod';
import type { App } from '../../composition-root.ts';
import { ORDER_LIST_ORDERS, customerMessages, customerOrders } from '../../use-cases/listings.ts';
import { auditCustomers } from '../audit.ts';
import { requirePermission, rolesNote } from '../auth.ts';
import { errorResponses } from '../errors.ts';
import { CHANNELS, PURPOSES } from '../../core/vocabulary.ts';
import { CustomerIdParams, DeliverySchema, NextSchema, OrderSchema, pageQuery } from '../schemas.ts';
import type { ZodServer } from '../zod-provider.ts';

// An order id, or (newest first) the start time and id of the last order seen.
const OrderCursorSchema = z.string().min(1).max(200);

const ListedOrderSchema = OrderSchema.extend({ productName: z.string().meta({ description: "The product's name" }) });

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
        description:
          "By order id (or with `order=newest`, newest first by start time: the customer's timeline), each with its product's category and name; " +
          `keyset-paged: pass \`next\` as \`after\` with the same \`order\`. Audited. ${rolesNote('customers.orders')}`,
        params: CustomerIdParams,
        querystring: z.strictObject({
          ...pageQuery(OrderCursorSchema),
          order: z.enum(ORDER_LIST_ORDERS).default('id').meta({ description: '`id` (by order id) or `newest` (newest first by start time, then id)' }),
        }),
        response: { 200: z.object({ customerId: z.string(), orders: z.array(ListedOrderSchema), next: NextSchema }), ...errorResponses(['VALIDATION_FAILED', 'UNKNOWN_CUSTOMER']) },
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
