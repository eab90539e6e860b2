/**
 * Own-product ads on the sites [S8, S14] (docs/sites-and-ads.md, "Own-product ads on the sites"):
 * the catalogue of ads (marketer writes, analyst and DPO read), their reports, and the public routes
 * lupa.js calls: filling a slot, reporting an impression, and the click redirect, which goes only
 * to the ad's stored target (a bad token: 404, never a redirect).
 */
import { z } from 'zod';
import { siteAdDeps, type App } from '../../composition-root.ts';
import { DomainError } from '../../core/errors.ts';
import type { Instant } from '../../core/records.ts';
import { PLACEMENT_PATTERN, reportWindow, summariseSiteAdReport, type SiteAd } from '../../core/site-ads/site-ads.ts';
import { createSiteAd, fillSlot, recordImpression, recordSiteAdClick, updateSiteAd, type SiteAdDeps } from '../../use-cases/site-ads.ts';
import { requirePermission, rolesNote } from '../auth.ts';
import { errorResponses } from '../errors.ts';
import type { ZodServer, ZodTypeProvider } from '../zod-provider.ts';
import { acceptBeaconBodies, siteCors } from './site-events.ts';

const placement = z.string().regex(PLACEMENT_PATTERN).meta({ description: 'A placement name: a-z, 0-9, - and _, at most 40', example: 'front-top' });
const instant = z.iso.datetime().transform((v) => new Date(v).toISOString() as Instant);

const adFields = {
  name: z.string().min(1).max(100).meta({ description: "The marketer's name for the ad (visitors never see it)" }),
  headline: z.string().min(1).max(80),
  text: z.string().min(1).max(300),
  imageUrl: z.string().max(500).nullable().meta({ description: 'An https URL or a path on the site (/img/x.png); null or left out: text only' }),
  targetUrl: z.string().max(500).meta({ description: "Where a click leads: a page of the company's own sites (LUPA_SITE_ORIGINS or this server)" }),
  sku: z.string().min(1).max(100).nullable().meta({ description: 'The product advertised (the catalogue), or null / left out' }),
  placements: z.array(placement).min(1).max(20),
  validFrom: instant.nullable().meta({ description: 'From when it runs; null or left out: at once' }),
  validUntil: instant.nullable().meta({ description: 'Until when it runs; null or left out: until stopped' }),
  active: z.boolean().meta({ description: 'Whether it runs (left out: true)' }),
};

// A new ad: the fields that may be null may also be left out, as the docs' examples read.
const AdBody = z.strictObject({
  ...adFields,
  imageUrl: adFields.imageUrl.default(null),
  sku: adFields.sku.default(null),
  validFrom: adFields.validFrom.default(null),
  validUntil: adFields.validUntil.default(null),
  active: adFields.active.default(true),
});

// A change: only the fields given (no defaults, which would overwrite what is stored).
const AdPatch = z.strictObject(adFields).partial();

const AdExample = {
  name: 'Print trial, autumn',
  headline: 'Uutisvirta on paper',
  text: 'Seven days a week, first month 9.90 €.',
  imageUrl: '/img/uv-print.png',
  targetUrl: 'http://127.0.0.1:8080/tilaa',
  sku: null,
  placements: ['front-top', 'article-side'],
  validFrom: null,
  validUntil: null,
  active: true,
};

const AdSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  headline: z.string(),
  text: z.string(),
  imageUrl: z.string().nullable(),
  targetUrl: z.string(),
  sku: z.string().nullable(),
  category: z.string().nullable().meta({ description: "The product's category (from the catalogue)" }),
  placements: z.array(z.string()),
  validFrom: z.string().nullable(),
  validUntil: z.string().nullable(),
  active: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

const Figures = z.object({ impressions: z.number().int(), clicks: z.number().int(), ctr: z.number().nullable().meta({ description: 'clicks / impressions (0–1); null without impressions' }) });
const Split = { people: Figures, aggregate: Figures };
const ReportSchema = z.object({
  adId: z.number().int(),
  from: z.string(),
  to: z.string(),
  total: Figures,
  people: Figures.meta({ description: 'Visitors with site_ads consent (also kept per visitor as site events)' }),
  aggregate: Figures.meta({ description: 'Visitors without it: only counted' }),
  byPlacement: z.array(z.object({ placement: z.string(), ...Split })),
  byDay: z.array(z.object({ day: z.string(), ...Split })),
});

const FillSchema = z.object({
  ad: z.object({ id: z.number().int(), headline: z.string(), text: z.string(), imageUrl: z.string().nullable() }),
  clickUrl: z.string().meta({ description: "The signed redirect to the ad's target" }),
  impressionToken: z.string().meta({ description: 'POST it to /v1/site-ads/impressions once half the ad was visible for a second (valid an hour)' }),
  personalised: z.boolean(),
});

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/).meta({ description: 'YYYY-MM-DD (UTC)' });
const params = z.strictObject({ id: z.coerce.number().int().positive().meta({ example: 1 }) });

function shown(ad: SiteAd): z.infer<typeof AdSchema> {
  return ad;
}

export function siteAdRoutes(server: ZodServer, app: App): void {
  const tags = ['site ads'];
  const deps = siteAdDeps(app);

  server.get(
    '/v1/site-ads',
    { onRequest: requirePermission(app, 'site_ads.read'), schema: { tags, summary: 'Own-product ads on the sites', description: `Newest first (CLI: lupa ads list). ${rolesNote('site_ads.read')}`, response: { 200: z.object({ ads: z.array(AdSchema) }) } } },
    async () => ({ ads: (await app.stores.siteAds.list()).map(shown) }),
  );

  server.post(
    '/v1/site-ads',
    {
      onRequest: requirePermission(app, 'site_ads.manage'),
      schema: {
        tags,
        summary: 'Create an own-product ad',
        description: `The target must be a page of the company's own sites (LUPA_SITE_ORIGINS or this server): a click redirects there only. ${rolesNote('site_ads.manage')}`,
        body: AdBody.meta({ example: AdExample }),
        response: { 201: AdSchema, ...errorResponses(['VALIDATION_FAILED', 'UNKNOWN_PRODUCT']) },
      },
    },
    async (req, reply) => reply.code(201).send(shown(await createSiteAd(deps, req.body))),
  );

  server.get(
    '/v1/site-ads/:id',
    { onRequest: requirePermission(app, 'site_ads.read'), schema: { tags, summary: 'One own-product ad', description: rolesNote('site_ads.read'), params, response: { 200: AdSchema, ...errorResponses(['NOT_FOUND']) } } },
    async (req) => {
      const ad = await app.stores.siteAds.get(req.params.id);
      if (ad === null) throw new DomainError('NOT_FOUND', `no site ad ${req.params.id}`, { field: 'id' });
      return shown(ad);
    },
  );

  server.patch(
    '/v1/site-ads/:id',
    {
      onRequest: requirePermission(app, 'site_ads.manage'),
      schema: {
        tags,
        summary: 'Change an own-product ad',
        description: `The fields given; \`{"active": false}\` stops it at once. ${rolesNote('site_ads.manage')}`,
        params,
        body: AdPatch.meta({ example: { active: false } }),
        response: { 200: AdSchema, ...errorResponses(['VALIDATION_FAILED', 'NOT_FOUND', 'UNKNOWN_PRODUCT']) },
      },
    },
    async (req) => shown(await updateSiteAd(deps, req.params.id, req.body)),
  );

  server.get(
    '/v1/site-ads/:id/report',
    {
      onRequest: requirePermission(app, 'site_ads.read'),
      schema: {
        tags,
        summary: "An ad's impressions, clicks and click-through rate",
        description: `By placement and day, people (visitors with site_ads consent) and aggregate (without) apart; \`from\`..\`to\` inclusive, default the last 30 days (CLI: lupa ads report). ${rolesNote('site_ads.read')}`,
        params,
        querystring: z.strictObject({ from: day.optional(), to: day.optional() }),
        response: { 200: ReportSchema, ...errorResponses(['VALIDATION_FAILED', 'INVALID_DATE', 'NOT_FOUND']) },
      },
    },
    async (req) => {
      if ((await app.stores.siteAds.get(req.params.id)) === null) throw new DomainError('NOT_FOUND', `no site ad ${req.params.id}`, { field: 'id' });
      const w = reportWindow(app.now(), req.query);
      return { adId: req.params.id, from: w.fromDay, to: w.toDay, ...summariseSiteAdReport(await app.stores.siteAds.report(req.params.id, w)) };
    },
  );

  siteAdPublicRoutes(server, app, deps);
}

/** The routes lupa.js calls from the sites' pages: no key, CORS for LUPA_SITE_ORIGINS. */
function siteAdPublicRoutes(server: ZodServer, app: App, deps: SiteAdDeps): void {
  const cors = siteCors(app);
  const tags = ['sites'];
  server.get(
    '/v1/site-ads/fill',
    {
      onRequest: cors,
      logLevel: 'warn',
      schema: {
        tags,
        summary: 'Fill an ad slot (public; the browser SDK)',
        description:
          "The ad for a placement: chosen from the customer's orders only when `visitor` is given (lupa.js sends it only with site_ads consent), the visitor signed in, and the customer's ledger does not refuse (a site_ads withdrawal, an objection); otherwise the placement's default order. 204: no ad runs there. CORS as POST /v1/events.",
        security: [],
        querystring: z.strictObject({ site: z.string().min(1).max(100).meta({ description: "The site's name as lupa.init names it", example: 'uutisvirta.fi' }), placement, visitor: z.string().min(16).max(64).optional() }),
        response: { 200: FillSchema, 204: z.null(), ...errorResponses(['VALIDATION_FAILED'], { authenticated: false }) },
      },
    },
    async (req, reply) => {
      void reply.header('cache-control', 'no-store');
      const filled = await fillSlot(deps, { site: req.query.site, placement: req.query.placement, visitor: req.query.visitor ?? null });
      return filled === null ? reply.code(204).send(null) : filled;
    },
  );

  void server.register(async (context) => {
    acceptBeaconBodies(context, 4096);
    context.withTypeProvider<ZodTypeProvider>().post(
      '/v1/site-ads/impressions',
      {
        onRequest: cors,
        logLevel: 'warn',
        schema: {
          tags,
          summary: 'Report an ad impression (public; the browser SDK)',
          description:
            'Sent by lupa.js once at least half the ad was visible for one continuous second, with the token the fill gave (`text/plain` or JSON). Kept per visitor (a site event) only when the ad was filled for the same `visitorId` (site_ads consent); otherwise only counted per ad, placement and day. 404: a bad or expired token (nothing counted).',
          security: [],
          body: z.strictObject({ token: z.string().min(1).max(600), visitorId: z.string().min(16).max(64).optional(), page: z.string().startsWith('/').max(300).optional() }),
          response: { 204: z.null(), ...errorResponses(['VALIDATION_FAILED', 'NOT_FOUND'], { authenticated: false }) },
        },
      },
      async (req, reply) => {
        const counted = await recordImpression(deps, { token: req.body.token, visitorId: req.body.visitorId ?? null, page: (req.body.page ?? '/').split(/[?#]/)[0] ?? '/' });
        if (!counted) throw new DomainError('NOT_FOUND', 'the impression token is not valid or has expired');
        return reply.code(204).send(null);
      },
    );
  });

  server.get<{ Params: { token: string } }>('/a/click/:token', { schema: { hide: true }, logLevel: 'warn' }, async (req, reply) => {
    const target = await recordSiteAdClick(deps, req.params.token);
    // A person clicked: the 404 is the error page in their language (src/http/errors.ts).
    if (target === null) throw new DomainError('NOT_FOUND', 'this link is not valid');
    return reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer').redirect(target, 302);
  });
}
