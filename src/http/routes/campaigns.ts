/** Campaigns and their results over HTTP (no personal data, so not audited per customer; the recipients are in campaign-recipients.ts). */
import { z } from 'zod';
import type { App } from '../../composition-root.ts';
import { CHANNELS, PURPOSES } from '../../core/vocabulary.ts';
import { allowUnalignedFrom, campaignResults } from '../../use-cases/campaigns.ts';
import { getCampaign, listCampaigns } from '../../use-cases/listings.ts';
import { actorOf, requirePermission, rolesNote } from '../auth.ts';
import { errorResponses } from '../errors.ts';
import { CampaignIdParam, NextSchema, pageQuery, SmsEstimateSchema } from '../schemas.ts';
import { campaignSmsEstimate } from '../../use-cases/sms-size.ts';
import type { ZodServer } from '../zod-provider.ts';

export const CampaignSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  purpose: z.enum(PURPOSES),
  channel: z.enum(CHANNELS),
  sku: z.string().nullable().meta({ description: 'The marketed product' }),
  filter: z
    .object({
      attribute: z.object({ name: z.string(), value: z.string() }).optional(),
      orderedSku: z.string().optional(),
      orderedCategory: z.string().optional(),
      orderedSince: z.string().optional(),
      postalCodePrefixes: z.array(z.string()).readonly().optional(),
      excludeRecipientsOf: z.array(z.number().int()).readonly().optional().meta({ description: 'Whoever got these campaigns is left out' }),
      segment: z.number().int().optional().meta({ description: 'Only members of this segment' }),
    })
    .meta({ description: 'The audience selection, as created' }),
  templateId: z.string().nullable(),
  status: z.enum(['draft', 'running', 'paused', 'cancelled', 'done']),
  statusReason: z.string().nullable().meta({ description: 'Why Lupa paused a running campaign itself (`CODE: message`); null otherwise' }),
  purposes: z.array(z.string()).nullable().meta({ description: 'What the message was decided for at launch, the primary purpose first; null before the launch' }),
  sendAt: z.string().nullable().meta({ description: 'When a worker launches the draft; null: launched by hand' }),
  createdAt: z.string(),
  launchedAt: z.string().nullable(),
  asOf: z.string().nullable().meta({ description: 'The decision time of the launch' }),
  perSecond: z.number().nullable(),
  brand: z.string().nullable().meta({ description: 'The brand it sends as (its From when it has none of its own, and its DKIM key); null: the default brand' }),
  unalignedFrom: z
    .object({ reason: z.string(), by: z.string(), at: z.string() })
    .nullable()
    .meta({ description: 'The recorded permission to send from a domain that does not align with the DKIM signature: why, who, when; null: none (such a launch is refused, LAUNCH_NOT_DELIVERABLE)' }),
  from: z.object({ name: z.string(), address: z.string() }).nullable().meta({ description: 'The sender shown to recipients; null: the brand\'s sender' }),
  vars: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).meta({ description: 'What every message fills vars.NAME with' }),
  links: z.record(z.string(), z.string()).meta({ description: 'What every message fills links.NAME with' }),
});

export const DeliveryCountsSchema = z.object({
  byState: z.record(z.string(), z.number().int()).meta({ description: 'Deliveries by state: queued, skipped, claimed, sent, failed, cancelled' }),
  skippedBy: z.record(z.string(), z.number().int()).meta({ description: 'Skipped deliveries by reason; one skipped for two reasons counts under both' }),
});

const CampaignWithCounts = CampaignSchema.extend({
  counts: DeliveryCountsSchema,
  sms: SmsEstimateSchema.nullable().optional().meta({ description: 'An SMS campaign with a template: its message size (encoding, segments) and a warning when personalisation can make it longer' }),
});

const Tracked = z.object({ people: z.number(), machines: z.number(), uniquePeople: z.number() });
const Results = z.object({
  campaignId: z.number(),
  purposes: z.array(z.string()).meta({ description: 'What the message was decided for at launch, the primary purpose first: the template\'s content can add partner_marketing or profiling, and makes a service campaign with promotion marketing (empty before the launch)' }),
  audience: z.number().meta({ description: 'Deliveries: one per audience customer' }),
  skipped: z.record(z.string(), z.number()).meta({ description: 'Deliveries not handed off, by blocking reason (at launch or at the re-check before a hand-off or a retry)' }),
  queued: z.number().meta({ description: 'Waiting to be sent, retries of soft bounces included' }),
  sent: z.number().meta({ description: 'Deliveries handed off at least once (a retry does not count twice)' }),
  failed: z.number(),
  delivered: z.number().meta({ description: 'Sent, and the latest hand-off was neither bounced nor refused (sent − hardBounced − softBounced − senderRefused)' }),
  hardBounced: z.number(),
  softBounced: z.number().meta({ description: 'Sent, and the latest hand-off came back with a temporary failure: retrying, stopped at the re-check, or ended at the limit' }),
  retrying: z.number().meta({ description: 'Of softBounced: waiting for the retry, or being sent again' }),
  complaints: z.number(),
  senderRefused: z.number().meta({ description: 'Sent, and refused for a cause on the sender\'s side (block list, reputation, content, authentication): the recipients are not suppressed; fix the sending setup' }),
  senderRefusals: z.record(z.string(), z.number()).meta({ description: 'senderRefused by reason: blocked, spamdetected, authfailure, …' }),
  unsubscribed: z.number(),
  opens: Tracked,
  clicks: Tracked,
  links: z
    .array(z.object({ idx: z.number().int(), url: z.string().nullable(), people: z.number(), machines: z.number(), uniquePeople: z.number() }))
    .meta({ description: 'Clicks per tracked link, in the order of the links in the message (idx), people and machines apart; only links clicked at least once' }),
});

export function campaignRoutes(server: ZodServer, app: App): void {
  server.get(
    '/v1/campaigns',
    {
      onRequest: requirePermission(app, 'campaigns.read'),
      schema: {
        tags: ['campaigns'],
        summary: 'List campaigns',
        description: `Newest first, keyset-paged: pass \`next\` as \`after\`. Delivery counts are per campaign (GET /v1/campaigns/{id}). ${rolesNote('campaigns.read')}`,
        querystring: z.strictObject(pageQuery(z.coerce.number().int().positive())),
        response: { 200: z.object({ campaigns: z.array(CampaignSchema), next: NextSchema }), ...errorResponses(['VALIDATION_FAILED']) },
      },
    },
    (req) => listCampaigns(app.stores, req.query),
  );

  server.get(
    '/v1/campaigns/:id',
    {
      onRequest: requirePermission(app, 'campaigns.read'),
      schema: {
        tags: ['campaigns'],
        summary: 'Read a campaign',
        description: `The campaign with its deliveries counted by state and skipped by reason. ${rolesNote('campaigns.read')}`,
        params: z.strictObject({ id: CampaignIdParam }),
        response: { 200: CampaignWithCounts, ...errorResponses(['VALIDATION_FAILED', 'NOT_FOUND']) },
      },
    },
    async (req) => {
      const campaign = await getCampaign(app.stores, { campaignId: req.params.id });
      return campaign.channel === 'sms' ? { ...campaign, sms: await campaignSmsEstimate({ ...app.stores, signer: app.signer, publicUrl: app.publicUrl }, campaign) } : campaign;
    },
  );

  server.put(
    '/v1/campaigns/:id/unaligned-from',
    {
      onRequest: requirePermission(app, 'campaigns.unaligned_from'),
      schema: {
        tags: ['campaigns'],
        summary: 'Allow a campaign to send from an unaligned domain',
        description: `For a campaign not launched yet: records why its sender's domain may differ from the DKIM signature's (DMARC alignment; e.g. the relay signs for it), with the caller and the time, so that its launch is not refused for it. The same as \`lupa campaign create … --allow-unaligned-from REASON\`. ${rolesNote('campaigns.unaligned_from')}`,
        params: z.strictObject({ id: CampaignIdParam }),
        body: z.strictObject({ reason: z.string().meta({ description: 'Why, one line of 3 to 500 characters', example: 'the relay signs for uutisvirta.fi' }) }),
        response: { 200: CampaignSchema, ...errorResponses(['VALIDATION_FAILED', 'NOT_FOUND', 'CAMPAIGN_STATE']) },
      },
    },
    (req) => allowUnalignedFrom({ campaigns: app.stores.campaigns, now: app.now }, { campaignId: req.params.id, reason: req.body.reason, by: `key:${actorOf(req).id} (${actorOf(req).name})` }),
  );

  server.get(
    '/v1/campaigns/:id/results',
    {
      onRequest: requirePermission(app, 'campaigns.read'),
      schema: {
        tags: ['campaigns'],
        summary: 'A campaign’s results',
        description: `Audience, skipped by reason, sent, delivered, bounces, complaints, unsubscribes, opens and clicks (people and machines apart), and clicks per link. ${rolesNote('campaigns.read')}`,
        params: z.strictObject({ id: CampaignIdParam }),
        response: { 200: Results, ...errorResponses(['NOT_FOUND']) },
      },
    },
    async (req) => campaignResults(app.stores, { campaignId: req.params.id }),
  );
}
