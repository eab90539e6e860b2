/**
 * Offers over the API (docs/segments-and-predictions.md#offers): the catalogue (`/v1/offers`, with
 * outcome counts and acceptance rates), one customer's next best offers on a channel for the sites,
 * agents and telesales (`GET /v1/customers/{id}/offers`, audited as a read of the customer's data),
 * and an offer's outcome recorded (`POST /v1/customers/{id}/offers/{offerId}/outcomes`, audited).
 */
import { z } from 'zod';
import type { App } from '../../composition-root.ts';
import { INELIGIBLE_REASONS, NOT_ELIGIBLE } from '../../core/offers/eligibility.ts';
import { OFFER_CHANNELS, OFFER_LANGUAGES, RECORDED_OUTCOMES, RELATIONSHIPS, type Offer, type OfferInput } from '../../core/offers/offer.ts';
import type { CatalogueOffer } from '../../core/offers/ports.ts';
import { acceptanceRate } from '../../core/offers/ranking.ts';
import type { CustomerId } from '../../core/records.ts';
import { requireNotFuture } from '../../core/time.ts';
import { BASES, BLOCKING_REASONS } from '../../core/vocabulary.ts';
import { createOffer, listOffers, recordOutcome, requireOffer, updateOffer } from '../../use-cases/offers/offers.ts';
import { rankOffers } from '../../use-cases/offers/rank-offers.ts';
import { rankingFor } from '../../use-cases/offers/ranking-view.ts';
import { auditCustomers } from '../audit.ts';
import { actorOf, requirePermission, rolesNote } from '../auth.ts';
import { errorResponses } from '../errors.ts';
import { CustomerIdSchema, InstantSchema } from '../schemas.ts';
import type { ZodServer } from '../zod-provider.ts';

const ExplanationSchema = z
  .object({ fi: z.string(), sv: z.string(), en: z.string() })
  .meta({ description: 'The written explanation per language; `{product}`, `{price}` and `{period}` are filled in' });

const OfferSchema = z.object({
  id: z.number().int(),
  code: z.string(),
  name: z.string(),
  sku: z.string(),
  priceCents: z.number().int(),
  currency: z.string(),
  periodMonths: z.number().int(),
  channels: z.array(z.enum(OFFER_CHANNELS)),
  validFrom: z.string(),
  validUntil: z.string().nullable(),
  eligibility: z.object({
    segmentId: z.number().int().nullable(),
    excludeSubscribed: z.boolean(),
    minDaysSinceLastOffer: z.number().int(),
    relationship: z.enum(RELATIONSHIPS),
  }),
  valueWeight: z.number().nullable(),
  explanation: ExplanationSchema,
  priority: z.number().int(),
  createdAt: z.string(),
  createdBy: z.string(),
  updatedAt: z.string(),
  product: z.object({ sku: z.string(), name: z.string(), category: z.string() }).optional(),
  stats: z
    .object({ shown: z.number().int(), accepted: z.number().int(), declined: z.number().int(), ignored: z.number().int() })
    .optional()
    .meta({ description: 'Outcomes so far; `ignored`: shown at least 14 days ago with no answer within them' }),
  acceptanceRate: z.number().nullable().optional().meta({ description: 'accepted / (accepted + declined + ignored): showings still within 14 days without an answer count on neither side; null before any showing was decided' }),
});

const OfferBodyFields = {
  code: z.string().meta({ description: 'Unique: letters, digits, - and _ (sites and templates name an offer by it)' }),
  name: z.string(),
  sku: z.string().meta({ description: 'The product offered' }),
  priceCents: z.number().meta({ description: 'Price for the period, in cents' }),
  currency: z.string().optional().meta({ description: 'ISO 4217; default EUR' }),
  periodMonths: z.number(),
  channels: z.array(z.string()).meta({ description: 'web, phone, email' }),
  validFrom: z.string().nullish().meta({ description: 'Default: now' }),
  validUntil: z.string().nullish().meta({ description: 'Default: no end (an offer is retired by giving it one)' }),
  segmentId: z.number().nullish().meta({ description: 'Only members of this segment' }),
  excludeSubscribed: z.boolean().optional().meta({ description: 'Not for a customer with a running (non-trial) order of the product; default true' }),
  minDaysSinceLastOffer: z.number().optional().meta({ description: 'Not again within this many days of its last showing to the customer; default 0' }),
  relationship: z.string().optional().meta({ description: 'any (default), active, former or none' }),
  valueWeight: z.number().nullish().meta({ description: 'The value in ranking; default the price (for the whole period)' }),
  explanation: z.record(z.string(), z.string()),
  priority: z.number().optional().meta({ description: 'The non-personal order, lower first; default 100' }),
};
const NEW_OFFER_EXAMPLE = {
  code: 'KPH-TRIAL-12',
  name: 'Kotipiha 12 kk',
  sku: 'KPH-MAG',
  priceCents: 5900,
  periodMonths: 12,
  channels: ['web', 'phone', 'email'],
  explanation: { fi: '{product} {period} hintaan {price}', sv: '{product} {period} för {price}', en: '{product} for {period} at {price}' },
};
const NewOfferBody = z.strictObject(OfferBodyFields).meta({ example: NEW_OFFER_EXAMPLE });
const ChangeOfferBody = z.strictObject(Object.fromEntries(Object.entries(OfferBodyFields).map(([k, v]) => [k, v.optional()]))).meta({ example: { priority: 5 } });

const RankedOfferSchema = z.object({
  rank: z.number().int(),
  offerId: z.number().int(),
  code: z.string(),
  name: z.string(),
  product: z.object({ sku: z.string(), name: z.string(), category: z.string() }),
  priceCents: z.number().int(),
  currency: z.string(),
  price: z.string().meta({ description: 'The price as the language writes it' }),
  periodMonths: z.number().int(),
  explanation: z.string(),
  reason: z.string().nullable().meta({ description: 'Why this customer, in words; null without profiling allowed' }),
  reasonParts: z.array(z.record(z.string(), z.unknown())).meta({ description: "The facts of the reason: `code` (ON_TRIAL, TRIED, READS_CATEGORY, SUBSCRIBED_BEFORE, SIMILAR_READERS, PROPENSITY, OFTEN_ACCEPTED) and its values; a role that may not read the customer's data gets OFTEN_ACCEPTED only" }),
  acceptance: z.number().nullable().meta({ description: 'Predicted acceptance, 0 to below 1: the offer’s smoothed acceptance rate, its odds times the customer’s propensity lift where a model scored them; null in the default order' }),
  acceptanceFrom: z.enum(['propensity', 'acceptance_rate']).nullable().meta({ description: 'propensity: the rate adjusted by the customer’s lift; acceptance_rate: the offer’s rate alone' }),
  value: z.number(),
  basis: z.enum(BASES).meta({ description: 'The legal basis of the marketing decision the offer rests on' }),
});

const RankingSchema = z.object({
  customerId: z.string(),
  channel: z.enum(OFFER_CHANNELS),
  asOf: z.string(),
  lang: z.enum(OFFER_LANGUAGES),
  personal: z.boolean().meta({ description: 'Ranked by predicted acceptance × value (profiling allowed); false: the catalogue’s default order' }),
  offers: z.array(RankedOfferSchema),
  notMade: z
    .array(z.object({ offerId: z.number().int(), code: z.string(), reasons: z.array(z.enum([...INELIGIBLE_REASONS, NOT_ELIGIBLE, ...BLOCKING_REASONS])) }))
    .optional()
    .meta({ description: "With `explain=1`: the offers not made and every reason. A role that may not read the customer's data (marketer) gets NOT_ELIGIBLE for ALREADY_SUBSCRIBED, ACCEPTED_RECENTLY, NOT_IN_SEGMENT and RELATIONSHIP" }),
  withheld: z
    .array(z.enum(['customerRecords']))
    .meta({ description: "What this role is not told: `customerRecords`, the reasons that tell the customer's records (orders, acceptances, segment memberships, relationship, propensity score), and an acceptance adjusted by the customer's propensity" }),
});

const idParams = z.strictObject({ id: z.coerce.number().int().positive().meta({ description: 'Offer id', example: 1 }) });
const OffersQuery = z.strictObject({
  channel: z.enum(OFFER_CHANNELS).meta({ example: 'web' }),
  lang: z.enum(OFFER_LANGUAGES).optional().meta({ description: "Texts in this language; default the customer's (fi, sv, en), else fi" }),
  explain: z.enum(['0', '1']).optional().meta({ description: '1: also list the offers not made, with why' }),
  asOf: InstantSchema.optional().meta({ description: 'Rank as of this time; default now' }),
});
const OutcomeParams = z.strictObject({ id: CustomerIdSchema, offerId: z.coerce.number().int().positive() });
const OutcomeBody = z
  .strictObject({
    channel: z.enum(OFFER_CHANNELS),
    outcome: z.enum(RECORDED_OUTCOMES),
    at: InstantSchema.optional().meta({ description: 'When it happened, not in the future (a clock up to 5 minutes ahead is taken as now); default now' }),
    campaignId: z.number().int().positive().nullish(),
  })
  .meta({ example: { channel: 'phone', outcome: 'accepted' } });

function offerView(o: Offer | CatalogueOffer): z.infer<typeof OfferSchema> {
  const base = { ...o } as z.infer<typeof OfferSchema> & Partial<CatalogueOffer>;
  if (!('stats' in o)) return base;
  return { ...base, product: { sku: o.product.sku, name: o.product.name, category: o.product.category }, stats: o.stats, acceptanceRate: acceptanceRate(o.stats) };
}

export function offerRoutes(server: ZodServer, app: App): void {
  const deps = { offers: app.stores.offers, customers: app.stores.customers, campaigns: app.stores.campaigns, now: app.now };
  const rankDeps = { ...app.stores, settings: app.settings, minGroup: app.config.LUPA_MIN_GROUP_SIZE };

  server.get(
    '/v1/offers',
    {
      onRequest: requirePermission(app, 'offers.read'),
      schema: { tags: ['offers'], summary: 'The offer catalogue', description: `Every offer with its product, outcome counts and acceptance rate, in the default order (CLI: lupa offers list). ${rolesNote('offers.read')}`, response: { 200: z.object({ offers: z.array(OfferSchema) }) } },
    },
    async () => ({ offers: (await listOffers(deps)).map(offerView) }),
  );

  server.get(
    '/v1/offers/:id',
    {
      onRequest: requirePermission(app, 'offers.read'),
      schema: { tags: ['offers'], summary: 'One offer with its acceptance rate', description: `CLI: lupa offers show ID. ${rolesNote('offers.read')}`, params: idParams, response: { 200: OfferSchema, ...errorResponses(['NOT_FOUND']) } },
    },
    async (req) => offerView(await requireOffer(deps, req.params.id)),
  );

  server.post(
    '/v1/offers',
    {
      onRequest: requirePermission(app, 'offers.write'),
      schema: {
        tags: ['offers'],
        summary: 'Create an offer',
        description: `CLI: lupa offers create. ${rolesNote('offers.write')}`,
        body: NewOfferBody,
        response: { 201: OfferSchema, ...errorResponses(['VALIDATION_FAILED', 'INVALID_DATE', 'OFFER_EXISTS', 'UNKNOWN_PRODUCT']) },
      },
    },
    async (req, reply) => {
      const actor = actorOf(req);
      return reply.code(201).send(offerView(await createOffer(deps, req.body as OfferInput, `${actor.id} (${actor.name})`)));
    },
  );

  server.patch(
    '/v1/offers/:id',
    {
      onRequest: requirePermission(app, 'offers.write'),
      schema: {
        tags: ['offers'],
        summary: 'Change an offer',
        description: `The fields given; the offer is checked whole again. Retire an offer by giving it a \`validUntil\` (its outcomes stay). CLI: lupa offers update ID. ${rolesNote('offers.write')}`,
        params: idParams,
        body: ChangeOfferBody,
        response: { 200: OfferSchema, ...errorResponses(['NOT_FOUND', 'VALIDATION_FAILED', 'INVALID_DATE', 'OFFER_EXISTS', 'UNKNOWN_PRODUCT']) },
      },
    },
    async (req) => offerView(await updateOffer(deps, req.params.id, req.body as OfferInput)),
  );

  server.get(
    '/v1/customers/:id/offers',
    {
      onRequest: requirePermission(app, 'offers.customer'),
      schema: {
        tags: ['offers'],
        summary: "A customer's next best offers on a channel",
        description:
          'The offers the customer is eligible for and the marketing decision allows on the channel for the offer’s product, ' +
          'ranked by predicted acceptance × value with a reason where profiling is allowed, else in the catalogue’s default order without a personal reason. ' +
          `A role that may not read the customer's data (marketer) gets no reason that tells what their records hold (\`withheld\` names what was left out). Audited as a read of the customer's data. CLI: lupa offers rank ID --channel C. ${rolesNote('offers.customer')}`,
        params: z.strictObject({ id: CustomerIdSchema }),
        querystring: OffersQuery,
        response: { 200: RankingSchema, ...errorResponses(['VALIDATION_FAILED', 'INVALID_DATE', 'UNKNOWN_CUSTOMER']) },
      },
    },
    async (req) => {
      const q = req.query;
      const now = app.now();
      // Ranked from the records as they stand: a time ahead would pass today's records off as then's.
      if (q.asOf !== undefined) requireNotFuture(q.asOf, now, 'asOf', 'asOf');
      const ranking = await rankOffers(rankDeps, {
        customerId: req.params.id as CustomerId,
        channel: q.channel,
        at: q.asOf ?? now,
        ...(q.lang === undefined ? {} : { lang: q.lang }),
        explain: q.explain === '1',
      });
      await auditCustomers(app, req, 'offers.read', [req.params.id], { channel: q.channel, personal: ranking.personal, offers: ranking.offers.map((o) => o.code) });
      return rankingFor(actorOf(req).role, ranking);
    },
  );

  server.post(
    '/v1/customers/:id/offers/:offerId/outcomes',
    {
      onRequest: requirePermission(app, 'offers.customer'),
      schema: {
        tags: ['offers'],
        summary: 'Record what became of an offer',
        description: `shown, accepted or declined (ignored is derived: shown with no answer within 14 days). A showing is answered once: a second answer to it is refused (409 OFFER_ALREADY_ANSWERED; record a new showing first if the offer was made again). Appended, never changed; audited. CLI: lupa offers outcome. ${rolesNote('offers.customer')}`,
        params: OutcomeParams,
        body: OutcomeBody,
        response: { 201: z.object({ offerId: z.number().int(), customerId: z.string(), outcome: z.enum(RECORDED_OUTCOMES), at: z.string() }), ...errorResponses(['NOT_FOUND', 'UNKNOWN_CUSTOMER', 'VALIDATION_FAILED', 'INVALID_DATE', 'OFFER_ALREADY_ANSWERED']) },
      },
    },
    async (req, reply) => {
      const actor = actorOf(req);
      const { at } = await recordOutcome(deps, {
        offerId: req.params.offerId,
        customerId: req.params.id as CustomerId,
        channel: req.body.channel,
        outcome: req.body.outcome,
        source: actor.id,
        campaignId: req.body.campaignId ?? null,
        ...(req.body.at === undefined ? {} : { at: req.body.at }),
      });
      await auditCustomers(app, req, 'offers.outcome', [req.params.id], { offerId: req.params.offerId, channel: req.body.channel, outcome: req.body.outcome });
      return reply.code(201).send({ offerId: req.params.offerId, customerId: req.params.id, outcome: req.body.outcome, at });
    },
  );
}
