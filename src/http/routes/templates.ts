/** Template preview for a chosen customer: uses the customer's personal data, so it is audited. */
import { z } from 'zod';
import type { App } from '../../composition-root.ts';
import type { CustomerId } from '../../core/records.ts';
import { previewForCustomer } from '../../use-cases/template-preview.ts';
import { auditCustomers } from '../audit.ts';
import { requirePermission, rolesNote } from '../auth.ts';
import { errorResponses } from '../errors.ts';
import type { ZodServer } from '../zod-provider.ts';

export function templateRoutes(server: ZodServer, app: App): void {
  server.get(
    '/v1/templates/:id/preview',
    {
      onRequest: requirePermission(app, 'templates.preview'),
      schema: {
        tags: ['customers'],
        summary: 'Preview a template for a customer',
        description: `Subject, HTML and text as this customer would get them (their name, their language unless \`locale\` is given); links are placeholders. Audited. ${rolesNote('templates.preview')}`,
        params: z.strictObject({ id: z.string().min(1).max(100) }),
        querystring: z.strictObject({ customer: z.string().min(1).max(100), locale: z.enum(['fi', 'sv', 'en']).optional() }),
        response: { 200: z.object({ subject: z.string(), html: z.string(), text: z.string(), locale: z.string(), purposes: z.array(z.string()).meta({ description: 'What a message of this template must be allowed for, the primary purpose first: a partner block adds partner_marketing, a personalised block profiling (a campaign\'s own purpose can add to them)' }) }), ...errorResponses(['NOT_FOUND', 'UNKNOWN_CUSTOMER', 'TEMPLATE_INVALID']) },
      },
    },
    async (req) => {
      const preview = await previewForCustomer(app.stores, {
        templateId: req.params.id,
        customerId: req.query.customer as CustomerId,
        ...(req.query.locale === undefined ? {} : { locale: req.query.locale }),
      });
      await auditCustomers(app, req, 'template.preview', [req.query.customer], { template: req.params.id });
      return preview;
    },
  );
}
