/** Templates: the list and the stored definitions (no personal data), and the preview for a chosen customer (audited: it uses the customer's data). */
import { z } from 'zod';
import type { App } from '../../composition-root.ts';
import { senderIdentity } from '../../config.ts';
import type { CustomerId } from '../../core/records.ts';
import { getTemplate, listTemplates } from '../../use-cases/listings.ts';
import { previewDefinition, saveTemplate } from '../../use-cases/template-editing.ts';
import { previewForCustomer } from '../../use-cases/template-preview.ts';
import type { TemplateDefinition } from '../../templates/index.ts';
import { auditCustomers } from '../audit.ts';
import { actorOf, requirePermission, rolesNote } from '../auth.ts';
import { errorResponses } from '../errors.ts';
import { ChannelSchema, NextSchema, pageQuery, SmsEstimateSchema } from '../schemas.ts';
import type { ZodServer } from '../zod-provider.ts';

const TemplateIdSchema = z.string().min(1).max(100).meta({ description: 'Template id', example: 'autumn' });
const LocaleContentSchema = z.object({
  subject: z.string().max(1000).meta({ description: 'Liquid' }),
  mjml: z.string().max(200_000).meta({ description: 'MJML with Liquid personalisation' }),
  text: z.string().max(200_000).optional().meta({ description: 'Hand-written plain text (Liquid); derived from the HTML when absent' }),
});
/** The definition `lupa template add` reads (docs/templates.md); compiling it checks the rest, naming the field. */
const DefinitionSchema = z
  .object({
    id: TemplateIdSchema,
    kind: z.enum(['service', 'marketing']),
    defaultLocale: z.enum(['fi', 'sv', 'en']),
    locales: z.object({ fi: LocaleContentSchema.optional(), sv: LocaleContentSchema.optional(), en: LocaleContentSchema.optional() }),
    partnerBlock: z
      .object({ partnerName: z.string(), html: z.string().optional(), text: z.string().optional(), locales: z.record(z.enum(['fi', 'sv', 'en']), z.object({ html: z.string(), text: z.string() })).optional() })
      .optional(),
  })
  .meta({ description: 'A template definition (docs/templates.md)' });
const PreviewSchema = z.object({
  subject: z.string(),
  html: z.string(),
  text: z.string(),
  locale: z.string(),
  purposes: z.array(z.string()).meta({ description: "What a message of this template must be allowed for, the primary purpose first: a partner block adds partner_marketing, a personalised block profiling (a campaign's own purpose can add to them)" }),
  sms: SmsEstimateSchema.optional(),
});
const PreviewQuery = {
  customer: z.string().min(1).max(100).meta({ description: 'Customer id', example: 'C0000001' }),
  locale: z.enum(['fi', 'sv', 'en']).optional(),
  channel: ChannelSchema.optional().meta({ description: 'sms: add the SMS text with its encoding and segments, and a warning when other names make it longer', example: undefined }),
};

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
        querystring: z.strictObject(PreviewQuery),
        response: { 200: PreviewSchema, ...errorResponses(['NOT_FOUND', 'UNKNOWN_CUSTOMER', 'TEMPLATE_INVALID']) },
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

  server.put(
    '/v1/templates/:id',
    {
      onRequest: requirePermission(app, 'templates.write'),
      schema: {
        tags: ['templates'],
        summary: 'Create or change a template',
        description:
          'Saved only when it compiles, with the checks of `lupa template add` (service vs marketing content, MJML, Liquid, known variables): ' +
          'TEMPLATE_INVALID names the field (`locales.fi.mjml`) and, where the parser tells it, `details.line`. A template that a running or paused ' +
          `campaign sends cannot change (TEMPLATE_IN_USE): save it under a new id. ${rolesNote('templates.write')}`,
        params: z.strictObject({ id: TemplateIdSchema }),
        body: DefinitionSchema,
        response: {
          200: z.object({ id: z.string(), kind: z.string(), locales: z.array(z.string()), purposes: z.array(z.string()) }),
          ...errorResponses(['VALIDATION_FAILED', 'TEMPLATE_INVALID', 'TEMPLATE_IN_USE']),
        },
      },
    },
    async (req) => {
      const saved = await saveTemplate({ templates: app.stores.templates, campaigns: app.stores.campaigns, now: app.now }, { id: req.params.id, definition: req.body as TemplateDefinition });
      req.log.info({ template: saved.id, by: actorOf(req).id }, 'template saved');
      return saved;
    },
  );

  server.post(
    '/v1/templates/preview',
    {
      onRequest: requirePermission(app, 'templates.preview'),
      schema: {
        tags: ['templates'],
        summary: 'Preview a definition before saving it',
        description: `As \`GET /v1/templates/{id}/preview\`, for the definition in the body (the console's editor previews while one types). Audited: it uses the customer's data. ${rolesNote('templates.preview')}`,
        querystring: z.strictObject({ ...PreviewQuery, customer: PreviewQuery.customer.optional().meta({ description: 'Customer id; without it a sample name fills the preview and nobody\'s data is read' }) }),
        body: DefinitionSchema,
        response: { 200: PreviewSchema, ...errorResponses(['VALIDATION_FAILED', 'UNKNOWN_CUSTOMER', 'TEMPLATE_INVALID']) },
      },
    },
    async (req) => {
      const preview = await previewDefinition(app.stores, {
        definition: req.body as TemplateDefinition,
        ...(req.query.customer === undefined ? {} : { customerId: req.query.customer as CustomerId }),
        sender: senderIdentity(app.config),
        ...(req.query.locale === undefined ? {} : { locale: req.query.locale }),
        ...(req.query.channel === undefined ? {} : { channel: req.query.channel }),
      });
      if (req.query.customer !== undefined) await auditCustomers(app, req, 'template.preview', [req.query.customer], { template: req.body.id });
      return preview;
    },
  );
}
