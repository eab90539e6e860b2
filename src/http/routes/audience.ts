/** Audience counts: how many customers of a selection may be contacted, by basis, and why the rest may not. */
import { z } from 'zod';
import type { App } from '../../composition-root.ts';
import { can } from '../../core/access.ts';
import type { AudienceFilter } from '../../core/ports.ts';
import { roundedCount, withoutSmallGroups, type ShownCounts } from '../../core/small-groups.ts';
import type { Sku } from '../../core/records.ts';
import { CUSTOMER_KINDS } from '../../core/vocabulary.ts';
import { audienceCounts } from '../../use-cases/audience.ts';
import { actorOf, requirePermission, rolesNote } from '../auth.ts';
import { errorResponses } from '../errors.ts';
import { ChannelSchema, InstantSchema, LocaleSchema, PostcodePrefixesSchema, PurposeSchema, SkuSchema } from '../schemas.ts';
import type { ZodServer } from '../zod-provider.ts';

const ATTRIBUTES = ['kind', 'locale', 'postalCode', 'city'] as const;

/** Who is selected (besides purpose and channel): the audience's question and a contact list's. */
export const SelectionFields = {
  product: SkuSchema.optional().meta({ description: 'The marketed product' }),
  at: InstantSchema.optional().meta({ description: 'As of this time; defaults to now' }),
  kind: z.enum(CUSTOMER_KINDS).optional(),
  locale: LocaleSchema.optional(),
  postalCode: z.string().min(1).max(12).optional(),
  city: z.string().min(1).max(100).optional(),
  orderedSku: SkuSchema.optional().meta({ description: 'Has ordered this product…' }),
  orderedCategory: z.string().min(1).max(64).optional().meta({ description: '…or anything in this category…' }),
  orderedSince: InstantSchema.optional().meta({ description: '…started on or after this time (alone: any order since then)' }),
  postalCodePrefix: PostcodePrefixesSchema.optional(),
  segment: z.coerce.number().int().positive().optional().meta({ description: 'Members of this segment as last computed (GET /v1/segments)' }),
};

/** The audience store filters on one customer attribute at a time. */
export function oneAttribute(q: Partial<Record<(typeof ATTRIBUTES)[number], unknown>>, ctx: z.RefinementCtx): void {
  const given = ATTRIBUTES.filter((a) => q[a] !== undefined);
  const second = given[1];
  if (second !== undefined) ctx.addIssue({ code: 'custom', path: [second], message: `give only one of ${ATTRIBUTES.join(', ')}` });
}

const AudienceQuerySchema = z
  .strictObject({ purpose: PurposeSchema, channel: ChannelSchema, ...SelectionFields })
  .superRefine(oneAttribute)
  .meta({ description: 'At most one of kind, locale, postalCode, city.' });

type AudienceQueryInput = z.output<typeof AudienceQuerySchema>;

const Counts = z.object({
  evaluated: z.number().int().nullable(),
  allowed: z.number().int().nullable(),
  byBasis: z.record(z.string(), z.number().int().nullable()).meta({ description: 'Allowed customers by legal basis' }),
  blocked: z.record(z.string(), z.number().int().nullable()).meta({ description: 'Blocked customers by reason; one blocked for two reasons counts under both' }),
  asOf: z.string(),
  suppressedBelow: z.number().int().optional().meta({
    description: 'For a role that may not read customer records: counts of 1 to this number minus 1 are null, so are counts from which one of them could be worked out by subtraction, and a selection that small shows no breakdown (LUPA_MIN_GROUP_SIZE)',
  }),
  roundedTo: z.number().int().optional().meta({
    description: "Set when the counts are rounded to a multiple of this (never a 0): for a role that may not read customer records, a selection by segment, whose size is shown so rounded (GET /v1/segments)",
  }),
});

/** The selection's filter, as the audience store takes it. */
export function filterOf(q: Omit<AudienceQueryInput, 'purpose' | 'channel'>): AudienceFilter {
  const attribute = ATTRIBUTES.map((name) => ({ name, value: q[name] })).find((a) => a.value !== undefined);
  return {
    ...(attribute?.value === undefined ? {} : { attribute: { name: attribute.name, value: attribute.value } }),
    ...(q.orderedSku === undefined ? {} : { orderedSku: q.orderedSku as Sku }),
    ...(q.orderedCategory === undefined ? {} : { orderedCategory: q.orderedCategory }),
    ...(q.orderedSince === undefined ? {} : { orderedSince: q.orderedSince }),
    ...(q.postalCodePrefix === undefined ? {} : { postalCodePrefixes: q.postalCodePrefix }),
    ...(q.segment === undefined ? {} : { segment: q.segment }),
  };
}

export function audienceRoutes(server: ZodServer, app: App): void {
  const deps = { audience: app.stores.audience, catalogue: app.stores.catalogue, settings: app.settings, segments: app.stores.segments };
  server.get(
    '/v1/audience',
    {
      onRequest: requirePermission(app, 'audience'),
      schema: {
        tags: ['audience'],
        summary: 'Audience counts',
        description: `Counts only, no personal data (so not audited per customer). ${rolesNote('audience')}`,
        querystring: AudienceQuerySchema,
        response: {
          200: Counts,
          ...errorResponses(['VALIDATION_FAILED', 'UNKNOWN_PURPOSE', 'UNKNOWN_CHANNEL', 'INVALID_DATE', 'UNKNOWN_PRODUCT']),
        },
      },
    },
    async (req) => {
      const counts = await audienceCounts(deps, {
        purpose: req.query.purpose,
        channel: req.query.channel,
        sku: req.query.product === undefined ? null : (req.query.product as Sku),
        at: req.query.at ?? app.now(),
        filter: filterOf(req.query),
      });
      // Whoever may read customer records sees exact counts; anyone else no group small enough to single out.
      if (can(actorOf(req).role, 'customers.read')) return counts;
      const minGroup = app.config.LUPA_MIN_GROUP_SIZE;
      const shown = withoutSmallGroups(counts, minGroup);
      // A segment's size is shown to these roles rounded (routes/segments.ts); exact counts of its
      // members here gave it away (44 beside "about 45"), so they are rounded the same way.
      return req.query.segment === undefined ? shown : roundedCounts(shown, minGroup);
    },
  );
}

/** Every count shown rounded as a segment's size is (core/small-groups.ts `roundedCount`); withheld ones stay null. */
function roundedCounts(shown: ShownCounts, minGroup: number): ShownCounts & { roundedTo: number } {
  const round = (n: number | null): number | null => (n === null ? null : roundedCount(n, minGroup));
  const each = (r: Record<string, number | null>) => Object.fromEntries(Object.entries(r).map(([k, n]) => [k, round(n)]));
  return { ...shown, evaluated: round(shown.evaluated), allowed: round(shown.allowed), byBasis: each(shown.byBasis), blocked: each(shown.blocked), roundedTo: minGroup };
}
