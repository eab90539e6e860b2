/**
 * Remarketing lists [S20] (docs/sites-and-ads.md, "Remarketing lists"): the marketer's routes
 * (`/v1/remarketing-lists`) and the browser's question (`GET /v1/remarketing/lists?visitor=`,
 * public, CORS like `/v1/events`). Sizes shown to a role that may not read customer records are
 * rounded (core/small-groups.ts), as segments' are; nobody can list who is on a list.
 */
import { z } from 'zod';
import type { App } from '../../composition-root.ts';
import { MAX_WITHIN_DAYS, type RemarketingList } from '../../core/remarketing.ts';
import type { Role } from '../../core/access.ts';
import { createRemarketingList, refreshRemarketingList, remarketingList, removeRemarketingList, visitorRemarketingLists } from '../../use-cases/remarketing.ts';
import { actorOf, requirePermission, rolesNote } from '../auth.ts';
import { errorResponses } from '../errors.ts';
import type { ZodServer } from '../zod-provider.ts';
import { countNote, shownCount } from './segments.ts';
import { siteCors } from './site-events.ts';

const ListSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  site: z.string().nullable().meta({ description: 'The site whose events count; null: every site' }),
  event: z.string().meta({ description: 'The event the visitor did (page_view: a page view)' }),
  pagePrefix: z.string().nullable().meta({ description: 'Only on pages whose path starts with this; null: any page' }),
  withinDays: z.number().int(),
  notFollowedBy: z.string().nullable().meta({ description: 'The event the visitor did not do after it; null: no such condition' }),
  createdAt: z.string(),
  createdBy: z.string(),
  members: z.number().int().nullable().meta({ description: 'Members as last refreshed. For a role that may not read customer records: null when fewer than LUPA_MIN_GROUP_SIZE, otherwise rounded to a multiple of it' }),
  suppressedBelow: z.number().int().optional(),
  roundedTo: z.number().int().optional(),
  refreshedAt: z.string().nullable(),
});

const NewListBody = z.strictObject({
  name: z.string().meta({ example: 'tilaus-kesken' }),
  event: z.string().meta({ example: 'subscription_started' }),
  withinDays: z.number().int().meta({ description: `1–${MAX_WITHIN_DAYS}`, example: 30 }),
  pagePrefix: z.string().nullish().meta({ example: '/tilaa' }),
  notFollowedBy: z.string().nullish().meta({ example: 'subscription_completed' }),
  site: z.string().nullish().meta({ example: 'uutisvirta.fi' }),
});

const params = z.strictObject({ id: z.coerce.number().int().positive().meta({ description: 'Remarketing list id', example: 1 }) });

const RefreshSchema = z.object({ listId: z.number().int(), members: z.number().int().nullable(), suppressedBelow: z.number().int().optional(), roundedTo: z.number().int().optional(), refreshedAt: z.string() });

export function remarketingRoutes(server: ZodServer, app: App): void {
  const tags = ['sites'];
  const deps = { remarketing: app.stores.remarketing, now: app.now };
  const minGroup = app.config.LUPA_MIN_GROUP_SIZE;
  const counted = (n: number, role: Role): { members: number | null; suppressedBelow?: number; roundedTo?: number } => {
    const members = shownCount(role, n, minGroup);
    return { members, ...countNote(role, members, minGroup) };
  };
  const view = (l: RemarketingList, role: Role): z.infer<typeof ListSchema> => ({ ...l, ...(l.refreshedAt === null ? { members: 0 } : counted(l.members, role)) });

  server.get(
    '/v1/remarketing-lists',
    {
      onRequest: requirePermission(app, 'remarketing.read'),
      schema: { tags, summary: 'Remarketing lists', description: `Every list with its rule and size as last refreshed (CLI: lupa remarketing list). ${rolesNote('remarketing.read')}`, response: { 200: z.object({ lists: z.array(ListSchema) }) } },
    },
    async (req) => ({ lists: (await app.stores.remarketing.list()).map((l) => view(l, actorOf(req).role)) }),
  );

  server.get(
    '/v1/remarketing-lists/:id',
    {
      onRequest: requirePermission(app, 'remarketing.read'),
      schema: { tags, summary: 'One remarketing list', description: `CLI: lupa remarketing show ID. ${rolesNote('remarketing.read')}`, params, response: { 200: ListSchema, ...errorResponses(['NOT_FOUND']) } },
    },
    async (req) => view(await remarketingList(deps, req.params.id), actorOf(req).role),
  );

  server.post(
    '/v1/remarketing-lists',
    {
      onRequest: requirePermission(app, 'remarketing.manage'),
      schema: {
        tags,
        summary: 'Create a remarketing list',
        description: `Visitors with site_ads consent who did \`event\` (on pages under \`pagePrefix\`, on \`site\`) within \`withinDays\` days, and did not do \`notFollowedBy\` after it; a visitor signed in as a customer whose ledger refuses (site_ads withdrawn, an objection) is left out. Its members are computed at once, then every LUPA_REMARKETING_REFRESH_MINUTES. CLI: lupa remarketing create. ${rolesNote('remarketing.manage')}`,
        body: NewListBody,
        response: { 201: ListSchema, ...errorResponses(['VALIDATION_FAILED', 'REMARKETING_LIST_EXISTS']) },
      },
    },
    async (req, reply) => {
      const actor = actorOf(req);
      const list = await createRemarketingList(deps, req.body, `${actor.id} (${actor.name})`);
      return reply.code(201).send(view(list, actor.role));
    },
  );

  server.post(
    '/v1/remarketing-lists/:id/refresh',
    {
      onRequest: requirePermission(app, 'remarketing.manage'),
      schema: { tags, summary: 'Refresh a remarketing list now', description: `Recomputes its members from the site events in one statement. CLI: lupa remarketing refresh ID. ${rolesNote('remarketing.manage')}`, params, response: { 200: RefreshSchema, ...errorResponses(['NOT_FOUND']) } },
    },
    async (req) => {
      const done = await refreshRemarketingList(deps, req.params.id);
      return { listId: done.listId, ...counted(done.members, actorOf(req).role), refreshedAt: done.refreshedAt };
    },
  );

  server.delete(
    '/v1/remarketing-lists/:id',
    {
      onRequest: requirePermission(app, 'remarketing.manage'),
      schema: { tags, summary: 'Remove a remarketing list', description: `With its members; the sites' tags stop seeing it at once. ${rolesNote('remarketing.manage')}`, params, response: { 204: z.null(), ...errorResponses(['NOT_FOUND']) } },
    },
    async (req, reply) => {
      await removeRemarketingList(deps, req.params.id);
      return reply.code(204).send(null);
    },
  );

  const cors = siteCors(app);
  const ledgerDeps = { ...app.stores, settings: app.settings, now: app.now };
  server.get(
    '/v1/remarketing/lists',
    {
      onRequest: cors,
      logLevel: 'warn',
      schema: {
        tags,
        summary: "The lists a visitor is on (public; the browser SDK's lupa.remarketing())",
        description:
          "The ids and names of the remarketing lists the visitor (the lupa_vid cookie, which exists only with the visitor's site_ads consent) is on, for lists of `site` or of every site. Without `visitor`: an empty list. Empty too for a visitor signed in as a customer whose ledger refuses (a site_ads withdrawal, an objection). No key; CORS for LUPA_SITE_ORIGINS as POST /v1/events.",
        security: [],
        querystring: z.strictObject({
          visitor: z.string().max(100).optional().meta({ description: 'The visitor id (the lupa_vid cookie); absent without site_ads consent' }),
          site: z.string().max(100).optional().meta({ description: "The site asking (lupa.js's site)" }),
        }),
        response: { 200: z.object({ lists: z.array(z.object({ id: z.number().int(), name: z.string() })) }), ...errorResponses(['VALIDATION_FAILED'], { authenticated: false }) },
      },
    },
    async (req, reply) => {
      void reply.header('cache-control', 'no-store');
      return { lists: await visitorRemarketingLists(ledgerDeps, req.query.visitor, req.query.site ?? null) };
    },
  );
}
