/**
 * `/v1/ad-audiences`: hashed ad audiences on Meta and Google (docs/sites-and-ads.md). Sizes, syncs
 * and exclusions by reason; never an identifier, in clear or hashed. A role that may not read
 * customer records sees no count of fewer than LUPA_MIN_GROUP_SIZE people, as on /v1/audience.
 */
import { z } from 'zod';
import type { App } from '../../composition-root.ts';
import { adPlatformClients } from '../../channels/ads/platform-clients.ts';
import { can, type Role } from '../../core/access.ts';
import { AD_PLATFORMS } from '../../core/ad-audiences/identifiers.ts';
import type { AdAudience, AdAudienceSync } from '../../core/ad-audiences/ports.ts';
import { adAudienceStatus, createAdAudience, previewAdAudience } from '../../use-cases/ad-audiences/ad-audiences.ts';
import { withoutSmallGroups } from '../../core/small-groups.ts';
import { syncAdAudience } from '../../use-cases/ad-audiences/sync-ad-audience.ts';
import { actorOf, requirePermission, rolesNote } from '../auth.ts';
import { errorResponses } from '../errors.ts';
import type { ZodServer } from '../zod-provider.ts';
import { filterOf, oneAttribute, SelectionFields } from './audience.ts';

const { product: _product, at: _at, ...FilterFields } = SelectionFields;
const Count = z.number().int().nullable();
const SuppressedBelow = z
  .number()
  .int()
  .optional()
  .meta({ description: 'Present when a count is null: counts from 1 to this value less one are withheld from roles that may not read customer records (LUPA_MIN_GROUP_SIZE)' });
const ByReason = z.record(z.string(), Count).meta({ description: 'Excluded customers by reason code (docs/reasons.md); one excluded for two reasons counts under both' });

const SyncSchema = z.object({
  id: z.number().int(),
  startedAt: z.string(),
  finishedAt: z.string(),
  status: z.enum(['succeeded', 'failed']),
  eligible: Count.meta({ description: 'Customers rule 8 and the filter allowed as of the sync' }),
  blocked: ByReason,
  suppressedBelow: SuppressedBelow,
  added: z.number().int().meta({ description: 'Hashed identifiers sent as additions' }),
  removed: z.number().int().meta({ description: 'Hashed identifiers sent as removals (withdrawn, objected, left the filter, erased)' }),
  error: z.string().nullable().meta({ description: 'Why a failed sync failed: an error code (docs/errors.md)' }),
});

const AdAudienceSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  platform: z.enum(AD_PLATFORMS),
  externalId: z.string().meta({ description: "The platform's audience: Meta's custom audience id, Google's user list id" }),
  filter: z.record(z.string(), z.unknown()).meta({ description: 'Who besides rule 8, as a campaign filter' }),
  createdAt: z.string(),
  createdBy: z.string(),
  identifiers: Count.meta({ description: 'Hashed identifiers on the platform after the last successful sync' }),
  lastSync: SyncSchema.nullable(),
});

const FilterQuery = z.strictObject({ platform: z.enum(AD_PLATFORMS).optional().meta({ description: 'The same people either way', example: 'meta' }), ...FilterFields }).superRefine(oneAttribute);
const NewBody = z
  .strictObject({
    name: z.string().max(200).meta({ example: 'Kestotilaajat Metaan' }),
    platform: z.enum(AD_PLATFORMS).meta({ example: 'meta' }),
    externalId: z.string().max(30).meta({ example: '23851234567890123' }),
    ...FilterFields,
  })
  .superRefine(oneAttribute);
const params = z.strictObject({ id: z.coerce.number().int().positive().meta({ description: 'Ad audience id', example: 1 }) });

export function adAudienceRoutes(server: ZodServer, app: App): void {
  const deps = { ...app.stores, settings: app.settings, now: app.now };
  const minGroup = app.config.LUPA_MIN_GROUP_SIZE;
  const shown = (role: Role) => (n: number): number | null => (can(role, 'customers.read') || n === 0 || n >= minGroup ? n : null);
  const byReason = (counts: Partial<Record<string, number>>, show: (n: number) => number | null) =>
    Object.fromEntries(Object.entries(counts).map(([k, n]) => [k, show(n ?? 0)]));
  /** Says why a count is null, as the segment and remarketing answers do (`suppressedBelow`). */
  const withheldNote = <T extends { eligible: number | null; blocked: Record<string, number | null> }>(counts: T): T & { suppressedBelow?: number } =>
    counts.eligible === null || Object.values(counts.blocked).includes(null) ? { ...counts, suppressedBelow: minGroup } : counts;
  /**
   * A sync's counts as `role` may see them (core/small-groups.ts). A sync keeps no total, but at
   * least `eligible` + its largest reason were selected: a selection that may be small shows
   * nothing but its smallness (with a zero shown, "0 eligible, 1 without consent" told that one
   * person's state), otherwise every small count is withheld.
   */
  const syncCounts = (s: Pick<AdAudienceSync, 'eligible' | 'blocked'>, role: Role) => {
    const atLeast = s.eligible + Math.max(0, ...Object.values(s.blocked).map((n) => n ?? 0));
    if (!can(role, 'customers.read') && atLeast > 0 && atLeast < minGroup) return { eligible: null, blocked: {}, suppressedBelow: minGroup };
    return withheldNote({ eligible: shown(role)(s.eligible), blocked: byReason(s.blocked, shown(role)) });
  };
  const syncView = (s: AdAudienceSync, role: Role) => {
    const { audienceId: _audienceId, ...rest } = s;
    return { ...rest, ...syncCounts(s, role) };
  };
  const view = (a: AdAudience, role: Role) => ({
    ...a,
    filter: { ...a.filter },
    identifiers: shown(role)(a.identifiers),
    lastSync: a.lastSync === null ? null : syncView(a.lastSync, role),
  });

  server.get(
    '/v1/ad-audiences',
    {
      onRequest: requirePermission(app, 'ad_audiences.read'),
      schema: { tags: ['ad audiences'], summary: 'Ad audiences', description: `Each with its size and last successful sync (CLI: lupa audiences list). ${rolesNote('ad_audiences.read')}`, response: { 200: z.object({ audiences: z.array(AdAudienceSchema) }) } },
    },
    async (req) => ({ audiences: (await app.stores.adAudiences.list()).map((a) => view(a, actorOf(req).role)) }),
  );

  server.get(
    '/v1/ad-audiences/preview',
    {
      onRequest: requirePermission(app, 'ad_audiences.read'),
      schema: {
        tags: ['ad audiences'],
        summary: 'Who an ad audience would upload now',
        description: `Customers with consent for ad_audience and no objection (compliance rule 8) among the filter's, and the rest by reason: the same as decide for purpose ad_audience on channel web, customer by customer (CLI: lupa audiences preview). ${rolesNote('ad_audiences.read')}`,
        querystring: FilterQuery,
        response: { 200: z.object({ eligible: Count, blocked: ByReason, suppressedBelow: SuppressedBelow }), ...errorResponses(['VALIDATION_FAILED', 'UNKNOWN_PRODUCT', 'NOT_FOUND']) },
      },
    },
    async (req) => {
      const preview = await previewAdAudience(deps, filterOf(req.query));
      if (can(actorOf(req).role, 'customers.read')) return { eligible: preview.eligible, blocked: preview.blocked };
      // As the audience counts are shown (core/small-groups.ts): a small selection shows nothing but
      // its smallness, and no withheld count is told by subtraction from the total.
      const counts = withoutSmallGroups({ evaluated: preview.evaluated, allowed: preview.eligible, byBasis: {}, blocked: preview.blocked, asOf: '' }, minGroup);
      return { eligible: counts.allowed, blocked: counts.blocked, ...(counts.suppressedBelow === undefined ? {} : { suppressedBelow: counts.suppressedBelow }) };
    },
  );

  server.post(
    '/v1/ad-audiences',
    {
      onRequest: requirePermission(app, 'ad_audiences.manage'),
      schema: {
        tags: ['ad audiences'],
        summary: 'Create an ad audience',
        description: `Binds a selection (rule 8 plus the filter: a segment, attributes, orders) to an audience on Meta or Google; it is uploaded at the next sync (CLI: lupa audiences create). ${rolesNote('ad_audiences.manage')}`,
        body: NewBody,
        response: { 201: AdAudienceSchema, ...errorResponses(['VALIDATION_FAILED', 'AD_AUDIENCE_EXISTS', 'UNKNOWN_PRODUCT', 'NOT_FOUND']) },
      },
    },
    async (req, reply) => {
      const actor = actorOf(req);
      const { name, platform, externalId, ...filter } = req.body;
      const created = await createAdAudience(deps, { name, platform, externalId, filter: filterOf(filter) }, `${actor.id} (${actor.name})`);
      return reply.code(201).send(view(created, actor.role));
    },
  );

  server.get(
    '/v1/ad-audiences/:id',
    {
      onRequest: requirePermission(app, 'ad_audiences.read'),
      schema: {
        tags: ['ad audiences'],
        summary: 'One ad audience and its syncs',
        description: `Its last 20 syncs, newest first: additions, removals, and who was excluded by reason (CLI: lupa audiences status ID). ${rolesNote('ad_audiences.read')}`,
        params,
        response: { 200: z.object({ audience: AdAudienceSchema, syncs: z.array(SyncSchema) }), ...errorResponses(['NOT_FOUND']) },
      },
    },
    async (req) => {
      const role = actorOf(req).role;
      const status = await adAudienceStatus(deps, req.params.id);
      return { audience: view(status.audience, role), syncs: status.syncs.map((s) => syncView(s, role)) };
    },
  );

  server.post(
    '/v1/ad-audiences/:id/sync',
    {
      onRequest: requirePermission(app, 'ad_audiences.manage'),
      schema: {
        tags: ['ad audiences'],
        summary: 'Sync an ad audience now',
        description: `Sends the difference since the last successful sync: additions, and removals of everyone who withdrew, objected, left the filter or was erased (the server also syncs every LUPA_AD_SYNC_MINUTES; CLI: lupa audiences sync ID). A failure is recorded and changes nothing sent. One sync of an audience runs at a time: while one runs (from any process), another answers 409 AD_SYNC_RUNNING at once and does nothing. ${rolesNote('ad_audiences.manage')}`,
        params,
        response: { 200: SyncSchema, ...errorResponses(['NOT_FOUND', 'AD_PLATFORM_NOT_CONFIGURED', 'AD_SYNC_RUNNING', 'AD_PLATFORM_UNAVAILABLE']) },
      },
    },
    async (req) => syncView(await syncAdAudience({ ...deps, platforms: adPlatformClients(app.config) }, req.params.id), actorOf(req).role),
  );
}
