/** Templates: the list and the stored definitions (no personal data), and the preview for a chosen customer (audited: it uses the customer's data). */
import { z } from 'zod';
import type { App } from '../../composition-root.ts';
import { senderIdentity } from '../../config.ts';
import type { CustomerId } from '../../core/records.ts';
import { getTemplate, listTemplates } from '../../use-cases/listings.ts';
import { previewForCustomer } from '../../use-cases/template-preview.ts';
import { auditCustomers } from '../audit.ts';
import { requirePermission, rolesNote } from '../auth.ts';
import { errorResponses } from '../errors.ts';
import { ChannelSchema, NextSchema, pageQuery, SmsEstimateSchema } from '../schemas.ts';
import type { ZodServer } from '../zod-provider.ts';

const TemplateIdSchema = z.string().min(1).max(100).meta({ description: 'Template id', example: 'autumn' });

export function templateRoutes(server: ZodServer, app: App): void {
  server.get(
    '/v1/templates',
    {
      onRequest: requirePermission(app, 'templates.read'),
      schema: {
        tags: ['templates'],
        summary: 'List templates',
        description: `By id, keyset-paged: pass \`next\` as \`after\`. ${rolesNote('templates.read')}`,
        querystring: z.strictObject(pageQuery(TemplateIdSchema)),
        response: {
          200: z.object({
            templates: z.array(z.object({ id: z.string(), kind: z.string().nullable().meta({ description: 'marketing or service' }), locales: z.array(z.string()), createdAt: z.string() })),
            next: NextSchema,
          }),
          ...errorResponses(['VALIDATION_FAILED']),
        },
      },
    },
    (req) => listTemplates(app.stores, req.query),
  );

  server.get(
    '/v1/templates/:id',
    {
      onRequest: requirePermission(app, 'templates.read'),
      schema: {
        tags: ['templates'],
        summary: 'Read a template',
        description: `The stored definition, as \`lupa template add\` saved it (docs/templates.md). ${rolesNote('templates.read')}`,
        params: z.strictObject({ id: TemplateIdSchema }),
        response: { 200: z.object({ id: z.string(), definition: z.unknown() }), ...errorResponses(['VALIDATION_FAILED', 'NOT_FOUND']) },
      },
    },
    (req) => getTemplate(app.stores, { id: req.params.id }),
  );

  server.get(
    '/v1/templates/:id/preview',
    {
      onRequest: requirePermission(app, 'templates.preview'),
      schema: {
        tags: ['customers'],
        summary: 'Preview a template for a customer',
        description: `Subject, HTML and text as this customer would get them (their name, their language unless \`locale\` is given); links are placeholders. Audited. ${rolesNote('templates.preview')}`,
        params: z.strictObject({ id: TemplateIdSchema }),
        querystring: z.strictObject({
          customer: z.string().min(1).max(100).meta({ description: 'Customer id', example: 'C0000001' }),
          locale: z.enum(['fi', 'sv', 'en']).optional(),
          channel: ChannelSchema.optional().meta({ description: 'sms: add the SMS text with its encoding and segments, and a warning when other names make it longer', example: undefined }),
        }),
        response: { 200: z.object({ subject: z.string(), html: z.string(), text: z.string(), locale: z.string(), purposes: z.array(z.string()).meta({ description: 'What a message of this template must be allowed for, the primary purpose first: a partner block adds partner_marketing, a personalised block profiling (a campaign\'s own purpose can add to them)' }), sms: SmsEstimateSchema.optional() }), ...errorResponses(['NOT_FOUND', 'UNKNOWN_CUSTOMER', 'TEMPLATE_INVALID']) },
      },
    },
    async (req) => {
      const preview = await previewForCustomer(app.stores, {
        templateId: req.params.id,
        customerId: req.query.customer as CustomerId,
        sender: senderIdentity(app.config),
        ...(req.query.locale === undefined ? {} : { locale: req.query.locale }),
        ...(req.query.channel === undefined ? {} : { channel: req.query.channel }),
      });
      await auditCustomers(app, req, 'template.preview', [req.query.customer], { template: req.params.id });
      return preview;
    },
  );
}
