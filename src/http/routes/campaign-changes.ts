/**
 * Running campaigns over HTTP, as `lupa campaign` does on the command line: create a draft (with its
 * template checked as the sender will fill it), schedule it, launch it, pause, resume or cancel it.
 * The same use cases as the CLI, so a template the campaign cannot fill is refused at create with
 * the name of what is missing (`TEMPLATE_INVALID`, field `links.article1`). No personal data.
 */
import { z } from 'zod';
import type { App } from '../../composition-root.ts';
import type { CampaignStatus } from '../../core/campaign.ts';
import { DomainError, isDomainError } from '../../core/errors.ts';
import type { AudienceFilter } from '../../core/ports.ts';
import type { Sku } from '../../core/records.ts';
import { scheduleCampaign } from '../../use-cases/campaign-schedule.ts';
import { createCampaign, launchCampaign, recentSendsOf, setCampaignStatus, type CampaignDeps, type CreateCampaignInput } from '../../use-cases/campaigns.ts';
import { requireCampaign } from '../../use-cases/listings.ts';
import { actorOf, requirePermission, rolesNote } from '../auth.ts';
import { errorResponses } from '../errors.ts';
import { CampaignIdParam, ChannelSchema, InstantSchema, PostcodePrefixesSchema, PurposeSchema, SkuSchema } from '../schemas.ts';
import type { ZodServer } from '../zod-provider.ts';
import { CampaignSchema, DeliveryCountsSchema } from './campaigns.ts';

/** The audience selection, in the shape `GET /v1/campaigns/{id}` shows it. */
const FilterSchema = z.strictObject({
  attribute: z.strictObject({ name: z.enum(['kind', 'locale', 'postalCode', 'city', 'country']), value: z.string().min(1).max(100) }).optional().meta({ description: 'Only customers whose attribute equals the value (CLI: --where NAME=VALUE)' }),
  orderedSku: SkuSchema.optional().meta({ description: 'Only customers who ordered this product…' }),
  orderedCategory: z.string().min(1).max(64).optional().meta({ description: '…or anything in this category…' }),
  orderedSince: InstantSchema.optional().meta({ description: '…started on or after this time' }),
  postalCodePrefixes: PostcodePrefixesSchema.optional(),
  excludeRecipientsOf: z.array(z.number().int().positive()).max(100).optional().meta({ description: 'Leave out whoever got these campaigns (a delivery sent, queued or being sent), so that the same offer does not reach them twice (CLI: --exclude-recipients-of)' }),
  segment: z.number().int().positive().optional().meta({ description: 'Only members of this segment as computed at the launch (CLI: --segment); it must have been refreshed once' }),
});

/** An earlier campaign that sent the same offer to people this one selects. */
const RecentSendSchema = z.object({
  campaignId: z.number().int(),
  name: z.string(),
  launchedAt: z.string(),
  same: z.enum(['template', 'product', 'both']).meta({ description: 'What the two campaigns share' }),
  overlap: z.number().int().meta({ description: "How many of this campaign's selection got the earlier one (sent, or queued or being sent)" }),
});

const CreatedSchema = CampaignSchema.extend({
  recentSends: z
    .array(RecentSendSchema)
    .meta({
      description:
        'A warning: campaigns launched within LUPA_RECENT_CAMPAIGN_DAYS days that sent the same template or product to people this one selects, newest first (empty: none). ' +
        'The launch is refused (409 RECENT_DUPLICATE) until their ids are given as `despiteRecent`; `filter.excludeRecipientsOf` leaves those people out instead.',
    }),
});

/** The body of `POST /v1/campaigns`: what `lupa campaign create` takes, by the same names as the campaign reads back. */
const CreateBody = z
  .strictObject({
    name: z.string().min(1).max(200),
    purpose: PurposeSchema,
    channel: ChannelSchema,
    product: SkuSchema.optional().meta({ description: 'The marketed product (soft opt-in needs it); the template reads its name as product.name' }),
    template: z.string().min(1).max(100).optional().meta({ description: 'The message template (lupa template add); without one the draft cannot be launched or scheduled' }),
    filter: FilterSchema.optional(),
    brand: z.string().min(1).max(100).optional().meta({ description: 'The brand it sends as: its From (unless `from` is given) and DKIM key; default: the brand "default" (docs/going-live.md)' }),
    from: z.strictObject({ address: z.string().min(1).max(254), name: z.string().max(100).optional() }).optional().meta({ description: "The sender shown to recipients (name defaults to the address); default: the brand's" }),
    allowUnalignedFrom: z.strictObject({ reason: z.string() }).optional().meta({ description: "Send even though the sender's domain does not align with the DKIM signature (DMARC): why, one line; recorded with the key and the time (also PUT /v1/campaigns/{id}/unaligned-from)" }),
    perSecond: z.number().int().positive().optional().meta({ description: 'Send at most this many messages a second' }),
    sendAt: InstantSchema.optional().meta({ description: 'When a worker launches the draft; must be in the future and needs a template' }),
    vars: z.record(z.string(), z.union([z.string().max(2000), z.number(), z.boolean()])).optional().meta({ description: 'Values every message fills vars.NAME with (CLI: --var NAME=VALUE)' }),
    links: z.record(z.string(), z.string().max(2000)).optional().meta({ description: 'Absolute http(s) URLs every message fills links.NAME with (CLI: --link NAME=URL)' }),
  })
  .meta({
    description: 'A campaign draft',
    example: { name: 'Syystarjous', purpose: 'marketing', channel: 'email', product: 'UV-PRINT-7', template: 'autumn', filter: { attribute: { name: 'locale', value: 'fi' } } },
  });

type CreateInput = z.output<typeof CreateBody>;

/** The use case names the CLI's options (`send-at`, `from-address`); the API names its own fields. */
const API_FIELDS: Record<string, string> = { 'exclude-recipients-of': 'filter.excludeRecipientsOf', 'send-at': 'sendAt', 'from-address': 'from.address', 'from-name': 'from.name', 'per-second': 'perSecond', 'allow-unaligned-from': 'allowUnalignedFrom.reason' };

async function withApiFields<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    const field = isDomainError(err) && err.field !== undefined ? API_FIELDS[err.field] : undefined;
    if (!isDomainError(err) || field === undefined) throw err;
    throw new DomainError(err.code, err.message.replaceAll(`--${err.field}`, field), { field, ...(err.details === undefined ? {} : { details: err.details }) });
  }
}

function newCampaign(body: CreateInput, by: string): CreateCampaignInput {
  const filter: AudienceFilter = {
    ...(body.filter?.attribute === undefined ? {} : { attribute: body.filter.attribute }),
    ...(body.filter?.orderedSku === undefined ? {} : { orderedSku: body.filter.orderedSku as Sku }),
    ...(body.filter?.orderedCategory === undefined ? {} : { orderedCategory: body.filter.orderedCategory }),
    ...(body.filter?.orderedSince === undefined ? {} : { orderedSince: body.filter.orderedSince }),
    ...(body.filter?.postalCodePrefixes === undefined ? {} : { postalCodePrefixes: body.filter.postalCodePrefixes }),
    ...(body.filter?.excludeRecipientsOf === undefined ? {} : { excludeRecipientsOf: [...new Set(body.filter.excludeRecipientsOf)] }),
    ...(body.filter?.segment === undefined ? {} : { segment: body.filter.segment }),
  };
  return {
    name: body.name,
    purpose: body.purpose,
    channel: body.channel,
    sku: body.product === undefined ? null : (body.product as Sku),
    filter,
    templateId: body.template ?? null,
    from: body.from === undefined ? null : { name: body.from.name ?? body.from.address, address: body.from.address },
    brand: body.brand ?? null,
    allowUnalignedFrom: body.allowUnalignedFrom === undefined ? null : { reason: body.allowUnalignedFrom.reason, by },
    perSecond: body.perSecond ?? null,
    sendAt: body.sendAt ?? null,
    vars: body.vars ?? {},
    links: body.links ?? {},
  };
}

const LaunchResultSchema = z.object({
  campaign: CampaignSchema,
  deliveries: z.number().int().meta({ description: 'Deliveries written: one per audience customer, queued or skipped with reasons' }),
  counts: DeliveryCountsSchema,
});

const STATUS_CHANGES: readonly { action: string; status: CampaignStatus; summary: string; description: string }[] = [
  { action: 'pause', status: 'paused', summary: 'Pause a running campaign', description: 'Workers stop sending it after the batch in hand (CLI: lupa campaign pause).' },
  { action: 'resume', status: 'running', summary: 'Resume a paused campaign', description: 'Workers send it again; a reason Lupa paused it for is cleared (CLI: lupa campaign resume).' },
  { action: 'cancel', status: 'cancelled', summary: 'Cancel a campaign', description: 'For good: queued deliveries stay unsent (CLI: lupa campaign cancel).' },
];

export function campaignChangeRoutes(server: ZodServer, app: App): void {
  const deps: CampaignDeps = { ...app.stores, settings: app.settings, sending: app.sending, now: app.now };
  const params = z.strictObject({ id: CampaignIdParam });

  server.post(
    '/v1/campaigns',
    {
      onRequest: requirePermission(app, 'campaigns.write'),
      schema: {
        tags: ['campaigns'],
        summary: 'Create a campaign',
        description:
          'A draft, as `lupa campaign create` (brand, sender, unaligned-sender permission, throttle, start time, values and links alike). The template is rendered once per language with the campaign\'s product, values and links, as the sender will: ' +
          'a template that uses what the campaign does not supply is refused with 422 TEMPLATE_INVALID naming it (`field`: `links.NAME`, `vars.NAME` or `product`), and nothing is written. ' +
          `Launch it with POST /v1/campaigns/{id}/launch, or give \`sendAt\`. \`recentSends\` warns of campaigns launched lately that sent the same template or product to people this one selects. ${rolesNote('campaigns.write')}`,
        body: CreateBody,
        response: {
          201: CreatedSchema,
          ...errorResponses(['VALIDATION_FAILED', 'UNKNOWN_PURPOSE', 'UNKNOWN_CHANNEL', 'INVALID_DATE', 'UNKNOWN_PRODUCT', 'NOT_FOUND', 'TEMPLATE_INVALID']),
        },
      },
    },
    async (req, reply) => {
      // Who allowed an unaligned sender, as PUT /v1/campaigns/{id}/unaligned-from records it.
      const actor = actorOf(req);
      const created = await withApiFields(() => createCampaign(deps, newCampaign(req.body, `key:${actor.id} (${actor.name})`)));
      // The same offer to the same people lately: said now, refused at the launch until confirmed.
      return reply.code(201).send({ ...created, recentSends: await recentSendsOf(app.stores, created, app.config.LUPA_RECENT_CAMPAIGN_DAYS, app.now()) });
    },
  );

  server.post(
    '/v1/campaigns/:id/launch',
    {
      onRequest: requirePermission(app, 'campaigns.write'),
      schema: {
        tags: ['campaigns'],
        summary: 'Launch a draft',
        description:
          'Decides the audience as of now and writes one delivery per customer: queued with its legal basis, or skipped with every reason; workers then send the queued ones. ' +
          `A draft scheduled for later is refused (409 CAMPAIGN_STATE) unless \`now\` is true. ` +
          'A marketing campaign with the same template or product as one launched within LUPA_RECENT_CAMPAIGN_DAYS days, to people who got that one, is refused (409 RECENT_DUPLICATE, `details.recent` naming each with its launch time and overlap) until their ids are given as `despiteRecent`. ' +
          `CLI: lupa campaign launch. ${rolesNote('campaigns.write')}`,
        params,
        body: z
          .strictObject({
            now: z.boolean().optional().meta({ description: 'Launch a draft scheduled for later now' }),
            despiteRecent: z.array(z.number().int().positive()).max(100).optional().meta({ description: 'Launch although these recent campaigns sent the same offer to people this one selects (the ids RECENT_DUPLICATE names; CLI: --despite-recent)' }),
          })
          .nullish()
          .meta({ description: 'Optional: no body launches a draft that is not scheduled for later', example: { despiteRecent: [1] } }),
        response: { 200: LaunchResultSchema, ...errorResponses(['VALIDATION_FAILED', 'NOT_FOUND', 'CAMPAIGN_STATE', 'TEMPLATE_INVALID', 'LAUNCH_NOT_DELIVERABLE', 'RECENT_DUPLICATE']) },
      },
    },
    (req) =>
      launchCampaign(deps, {
        campaignId: req.params.id,
        ignoreSchedule: req.body?.now === true,
        recent: { days: app.config.LUPA_RECENT_CAMPAIGN_DAYS, despite: req.body?.despiteRecent ?? [] },
      }),
  );

  server.post(
    '/v1/campaigns/:id/schedule',
    {
      onRequest: requirePermission(app, 'campaigns.write'),
      schema: {
        tags: ['campaigns'],
        summary: 'Schedule a draft, or clear its schedule',
        description: `\`{"at": TIME}\` (in the future; the draft needs a template) sets when a worker launches it; \`{"at": null}\` clears it. CLI: lupa campaign schedule. ${rolesNote('campaigns.write')}`,
        params,
        body: z.strictObject({ at: InstantSchema.nullable() }).meta({ example: { at: '2030-12-01T07:00:00+02:00' } }),
        response: { 200: CampaignSchema, ...errorResponses(['VALIDATION_FAILED', 'INVALID_DATE', 'NOT_FOUND', 'CAMPAIGN_STATE', 'TEMPLATE_INVALID']) },
      },
    },
    (req) => scheduleCampaign(deps, { campaignId: req.params.id, at: req.body.at }),
  );

  for (const change of STATUS_CHANGES) {
    server.post(
      `/v1/campaigns/:id/${change.action}`,
      {
        onRequest: requirePermission(app, 'campaigns.write'),
        schema: {
          tags: ['campaigns'],
          summary: change.summary,
          description: `${change.description} ${rolesNote('campaigns.write')}`,
          params,
          response: { 200: CampaignSchema, ...errorResponses(['VALIDATION_FAILED', 'NOT_FOUND', 'CAMPAIGN_STATE']) },
        },
      },
      async (req) => {
        await setCampaignStatus(app.stores, { campaignId: req.params.id, status: change.status });
        return requireCampaign(app.stores, req.params.id);
      },
    );
  }
}
