/**
 * `/v1/segments`: named rule trees and their membership (docs/segments-and-predictions.md). Counts
 * only, never who is in a segment: a role that may not read customer records sees no count of
 * fewer than LUPA_MIN_GROUP_SIZE people (src/core/small-groups.ts).
 */
import { z } from 'zod';
import type { App } from '../../composition-root.ts';
import { can, type Role } from '../../core/access.ts';
import { roundedCount } from '../../core/small-groups.ts';
import type { Segment } from '../../core/segments/ports.ts';
import { RFM_LANGUAGES } from '../../core/segments/rfm.ts';
import { addRfmSegments, countRule, createSegment, refreshSegments, removeSegment, requireSegment, updateSegment } from '../../use-cases/segments/segments.ts';
import { actorOf, requirePermission, rolesNote } from '../auth.ts';
import { errorResponses } from '../errors.ts';
import { InstantSchema } from '../schemas.ts';
import type { ZodServer } from '../zod-provider.ts';

const RULE_DESCRIPTION =
  'A rule tree: `{"all": [...]}`, `{"any": [...]}`, `{"not": …}` over conditions `{"attribute": "city", "equals": "Tampere"}` (or `in`, `startsWith`), ' +
  '`{"orders": {"category": ["daily"], "active": true, "started": {"withinDays": 90}}}`, `{"consent": {"purpose": "marketing", "channel": "email"}}`, ' +
  '`{"engagement": {"event": "click", "withinDays": 30}}`, `{"rfm": {"recency": [4, 5], "frequency": [4, 5]}}`, `{"interest": {"topic": "sport", "source": "stated"}}` (or `inferred` with `minWeight`, or `any`), `{"siteEvent": {"name": "page_view", "withinDays": 30, "pagePrefix": "/urheilu"}}`. See docs/segments-and-predictions.md.';
const RuleSchema = z.unknown().meta({ description: RULE_DESCRIPTION, example: { all: [{ attribute: 'city', equals: 'Tampere' }, { orders: { category: ['daily'], active: true } }] } });

const SegmentSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  description: z.string().nullable(),
  rule: z.unknown().meta({ description: 'The rule tree as stored (instants in the one spelling with milliseconds)' }),
  timeDependent: z.boolean().meta({ description: 'Membership changes with time alone (a window of the last N days, "active", "ended"): recomputed whole at each refresh' }),
  createdAt: z.string(),
  createdBy: z.string(),
  updatedAt: z.string(),
  computedAt: z.string().nullable().meta({ description: 'The instant the members are as of; null until the first refresh' }),
  members: z.number().int().nullable().meta({ description: 'Members as last computed. For a role that may not read customer records: null when fewer than LUPA_MIN_GROUP_SIZE, otherwise rounded to a multiple of it (so that no two counts tell a handful of people by subtraction)' }),
  suppressedBelow: z.number().int().optional().meta({ description: 'Set when `members` is withheld: the minimum group size' }),
  roundedTo: z.number().int().optional().meta({ description: 'Set when `members` is rounded: to a multiple of this (never on 0, which is exact)' }),
});

const RefreshSchema = z.object({
  segmentId: z.number().int(),
  mode: z.enum(['full', 'incremental']),
  recomputed: z.number().int().meta({ description: 'Customers recomputed by an incremental refresh (those whose records changed)' }),
  members: z.number().int().nullable(),
  computedAt: z.string(),
  ms: z.number().int().meta({ description: 'Milliseconds the run took' }),
});

const params = z.strictObject({ id: z.coerce.number().int().positive().meta({ description: 'Segment id', example: 1 }) });
const NewSegmentBody = z.strictObject({ name: z.string().max(200), description: z.string().max(1000).nullish(), rule: RuleSchema });
const ChangeBody = z.strictObject({ name: z.string().max(200).optional(), description: z.string().max(1000).nullish(), rule: RuleSchema.optional() });

/** A count as the role may see it: exact for whoever may read customer records, else rounded (core/small-groups.ts). */
export function shownCount(role: Role, n: number, minGroup: number): number | null {
  return can(role, 'customers.read') ? n : roundedCount(n, minGroup);
}

/** What the answer says of how its counts were shown: nothing when exact, as every 0 is (it names nobody, so it is not rounded). */
export function countNote(role: Role, shown: number | null, minGroup: number): { suppressedBelow?: number; roundedTo?: number } {
  if (can(role, 'customers.read') || shown === 0) return {};
  return shown === null ? { suppressedBelow: minGroup } : { roundedTo: minGroup };
}

export function segmentRoutes(server: ZodServer, app: App): void {
  const deps = { segments: app.stores.segments, now: app.now };
  const minGroup = app.config.LUPA_MIN_GROUP_SIZE;
  const view = (s: Segment, role: Role): z.infer<typeof SegmentSchema> => {
    const { memberCount, ...rest } = s;
    const members = s.computedAt === null ? 0 : shownCount(role, memberCount, minGroup);
    return { ...rest, members, ...(s.computedAt === null ? {} : countNote(role, members, minGroup)) };
  };

  server.get(
    '/v1/segments',
    {
      onRequest: requirePermission(app, 'segments.read'),
      schema: { tags: ['segments'], summary: 'Segments', description: `Every segment with its member count as last computed (CLI: lupa segments list). ${rolesNote('segments.read')}`, response: { 200: z.object({ segments: z.array(SegmentSchema) }) } },
    },
    async (req) => ({ segments: (await app.stores.segments.list()).map((s) => view(s, actorOf(req).role)) }),
  );

  server.get(
    '/v1/segments/:id',
    {
      onRequest: requirePermission(app, 'segments.read'),
      schema: { tags: ['segments'], summary: 'One segment', description: `CLI: lupa segments show ID. ${rolesNote('segments.read')}`, params, response: { 200: SegmentSchema, ...errorResponses(['NOT_FOUND']) } },
    },
    async (req) => view(await requireSegment(deps, req.params.id), actorOf(req).role),
  );

  server.post(
    '/v1/segments',
    {
      onRequest: requirePermission(app, 'segments.write'),
      schema: {
        tags: ['segments'],
        summary: 'Create a segment',
        description: `Its members are computed at the next refresh (POST /v1/segments/{id}/refresh, or the server's every LUPA_SEGMENT_REFRESH_SECONDS). A customer who objected to profiling or to direct marketing is in no segment (compliance rule 7). CLI: lupa segments create. ${rolesNote('segments.write')}`,
        body: NewSegmentBody,
        response: { 201: SegmentSchema, ...errorResponses(['VALIDATION_FAILED', 'INVALID_SEGMENT_RULE', 'SEGMENT_EXISTS']) },
      },
    },
    async (req, reply) => {
      const actor = actorOf(req);
      const created = await createSegment(deps, req.body, `${actor.id} (${actor.name})`);
      return reply.code(201).send(view(created, actor.role));
    },
  );

  server.patch(
    '/v1/segments/:id',
    {
      onRequest: requirePermission(app, 'segments.write'),
      schema: {
        tags: ['segments'],
        summary: 'Change a segment',
        description: `Name, description or rule; a changed rule empties the membership until the next refresh. ${rolesNote('segments.write')}`,
        params,
        body: ChangeBody,
        response: { 200: SegmentSchema, ...errorResponses(['NOT_FOUND', 'VALIDATION_FAILED', 'INVALID_SEGMENT_RULE', 'SEGMENT_EXISTS']) },
      },
    },
    async (req) => view(await updateSegment(deps, req.params.id, req.body), actorOf(req).role),
  );

  server.delete(
    '/v1/segments/:id',
    {
      onRequest: requirePermission(app, 'segments.write'),
      schema: {
        tags: ['segments'],
        summary: 'Remove a segment',
        description: `Refused (409 SEGMENT_IN_USE) while a campaign not finished selects it (\`details.campaigns\`), or an ad audience does (\`details.adAudiences\`). ${rolesNote('segments.write')}`,
        params,
        response: { 204: z.null(), ...errorResponses(['NOT_FOUND', 'SEGMENT_IN_USE']) },
      },
    },
    async (req, reply) => {
      await removeSegment(deps, req.params.id);
      return reply.code(204).send(null);
    },
  );

  server.post(
    '/v1/segments/count',
    {
      onRequest: requirePermission(app, 'segments.read'),
      schema: {
        tags: ['segments'],
        summary: 'Count a rule',
        description: `How many customers a rule selects now (or as of \`at\`), nothing stored: the segment builder's live count (CLI: lupa segments count --rule FILE). ${rolesNote('segments.read')}`,
        body: z.strictObject({ rule: RuleSchema, at: InstantSchema.optional() }),
        response: {
          200: z.object({ members: z.number().int().nullable(), asOf: z.string(), suppressedBelow: z.number().int().optional(), roundedTo: z.number().int().optional() }),
          ...errorResponses(['INVALID_SEGMENT_RULE', 'INVALID_DATE']),
        },
      },
    },
    async (req) => {
      const { members, asOf } = await countRule(deps, req.body.rule, req.body.at);
      const role = actorOf(req).role;
      const shown = shownCount(role, members, minGroup);
      return { members: shown, asOf, ...countNote(role, shown, minGroup) };
    },
  );

  server.post(
    '/v1/segments/rfm',
    {
      onRequest: requirePermission(app, 'segments.write'),
      schema: {
        tags: ['segments'],
        summary: 'Add the ready-made RFM segments',
        description: `Champions, loyal, new, at risk and hibernating, by quintiles of recency, frequency and monetary value (docs/segments-and-predictions.md, "RFM"), each computed at once. Named in \`lang\` (fi, sv or en; default en); those that exist under their name in any of the languages are left as they are (CLI: lupa segments rfm --lang). ${rolesNote('segments.write')}`,
        querystring: z.strictObject({ lang: z.enum(RFM_LANGUAGES).optional().meta({ description: 'The language of the names and descriptions (default en)' }) }),
        response: { 200: z.object({ created: z.array(SegmentSchema) }) },
      },
    },
    async (req) => {
      const actor = actorOf(req);
      return { created: (await addRfmSegments(deps, `${actor.id} (${actor.name})`, req.query.lang)).map((s) => view(s, actor.role)) };
    },
  );

  server.post(
    '/v1/segments/refresh',
    {
      onRequest: requirePermission(app, 'segments.write'),
      schema: {
        tags: ['segments'],
        summary: 'Refresh every segment',
        description: `Incrementally where it can (only customers whose records changed), whole for new and time-dependent segments (CLI: lupa segments refresh). ${rolesNote('segments.write')}`,
        response: { 200: z.object({ refreshed: z.array(RefreshSchema) }) },
      },
    },
    async (req) => {
      const role = actorOf(req).role;
      return { refreshed: (await refreshSegments(deps)).map((r) => ({ ...r, members: shownCount(role, r.members, minGroup) })) };
    },
  );

  server.post(
    '/v1/segments/:id/refresh',
    {
      onRequest: requirePermission(app, 'segments.write'),
      schema: {
        tags: ['segments'],
        summary: 'Recompute one segment',
        description: `Whole, as of now (CLI: lupa segments refresh ID). ${rolesNote('segments.write')}`,
        params,
        response: { 200: RefreshSchema, ...errorResponses(['NOT_FOUND']) },
      },
    },
    async (req) => {
      const [run] = await refreshSegments(deps, req.params.id);
      const r = run as NonNullable<typeof run>;
      return { ...r, members: shownCount(actorOf(req).role, r.members, minGroup) };
    },
  );
}
