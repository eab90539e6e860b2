/**
 * A campaign's recipients: who was skipped and why, and one recipient's decision with the evidence it
 * rested on. Personal data (who was in the audience, their records): every customer returned is
 * audited as read.
 */
import { z } from 'zod';
import type { App } from '../../composition-root.ts';
import { explainDelivery } from '../../use-cases/explain-delivery.ts';
import { skippedRecipients } from '../../use-cases/listings.ts';
import { auditCustomers } from '../audit.ts';
import { actorOf, requirePermission, rolesNote } from '../auth.ts';
import { decisionFor } from '../decision-view.ts';
import { errorResponses } from '../errors.ts';
import { CampaignIdParam, CustomerIdSchema, DecisionSchema, DeliverySchema, EVIDENCE_BY_ROLE, NextSchema, pageQuery } from '../schemas.ts';
import type { ZodServer } from '../zod-provider.ts';

const ReasonSchema = z
  .string()
  .regex(/^[A-Za-z0-9_:]{1,80}$/, 'must be a reason code, e.g. NO_LEGAL_BASIS or profiling:OBJECTED')
  .meta({ description: 'Only deliveries skipped for this reason (among others); docs/reasons.md', example: 'NO_LEGAL_BASIS' });

const Explanation = z.object({
  campaignId: z.number().int(),
  customerId: z.string(),
  delivery: DeliverySchema.meta({ description: 'What the launch decided (and a re-check before the hand-off, if it refused), and what became of it' }),
  asOf: z.string().meta({ description: "The campaign's decision time: the replay is made as of it" }),
  decisions: z
    .array(z.object({ purpose: z.string(), decision: DecisionSchema }))
    .meta({ description: "decide replayed for each of the campaign's purposes, the primary first (only it is asked about the marketed product)" }),
  replayed: z
    .object({ allowed: z.boolean(), basis: z.string().nullable(), reasons: z.array(z.string()) })
    .meta({ description: 'The decisions joined as the launch joins them. DUPLICATE_ADDRESS (one message per address) is decided over the whole audience and shows only on the delivery' }),
});

export function campaignRecipientRoutes(server: ZodServer, app: App): void {
  const tags = ['campaigns'];
  server.get(
    '/v1/campaigns/:id/skipped',
    {
      onRequest: requirePermission(app, 'campaigns.recipients'),
      schema: {
        tags,
        summary: "A campaign's skipped recipients",
        description:
          'The deliveries not handed off, by customer id, with their reason codes; keyset-paged: pass `next` as `after`. ' +
          `Every customer returned is audited as read. ${rolesNote('campaigns.recipients')}`,
        params: z.strictObject({ id: CampaignIdParam }),
        querystring: z.strictObject({ reason: ReasonSchema.optional(), ...pageQuery(CustomerIdSchema) }),
        response: { 200: z.object({ skipped: z.array(DeliverySchema), next: NextSchema }), ...errorResponses(['VALIDATION_FAILED', 'NOT_FOUND']) },
      },
    },
    async (req) => {
      const page = await skippedRecipients(app.stores, { campaignId: req.params.id, ...req.query });
      await auditCustomers(app, req, 'campaign.skipped', page.skipped.map((d) => d.customerId), { campaign: req.params.id });
      return page;
    },
  );

  server.get(
    '/v1/campaigns/:id/deliveries/:customerId',
    {
      onRequest: requirePermission(app, 'campaigns.recipients'),
      schema: {
        tags,
        summary: "Why a recipient got a campaign's message, or did not",
        description:
          "The delivery row, and decide replayed for each purpose the message was decided for, as of the campaign's decision time, with the evidence " +
          `(for NOT_SIMILAR_PRODUCT: the orders considered). Audited. ${rolesNote('campaigns.recipients')} ${EVIDENCE_BY_ROLE}`,
        params: z.strictObject({ id: CampaignIdParam, customerId: CustomerIdSchema }),
        response: { 200: Explanation, ...errorResponses(['VALIDATION_FAILED', 'NOT_FOUND', 'UNKNOWN_CUSTOMER']) },
      },
    },
    async (req) => {
      const explanation = await explainDelivery({ ...app.stores, settings: app.settings }, { campaignId: req.params.id, customerId: req.params.customerId });
      await auditCustomers(app, req, 'campaign.delivery', [req.params.customerId], { campaign: req.params.id });
      const role = actorOf(req).role;
      return { ...explanation, decisions: explanation.decisions.map((d) => ({ purpose: d.purpose, decision: decisionFor(role, d.decision) })) };
    },
  );
}
