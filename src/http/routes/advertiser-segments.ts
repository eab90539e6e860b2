/**
 * Audiences for advertisers [S28] (docs/sites-and-ads.md, "Audiences for advertisers"): which
 * segments are offered, under which name, and the catalogue page an advertiser opens from a signed
 * link, with sizes rounded to hundreds and hidden below 100 (never who is in a segment).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { App } from '../../composition-root.ts';
import { ADVERTISER_MIN_SIZE, advertiserSize, type AdvertiserSegment } from '../../core/advertiser-segments.ts';
import { DomainError } from '../../core/errors.ts';
import { visitorAdSegments } from '../../use-cases/ad-server.ts';
import { advertiserCatalogue, catalogueLink, catalogueLinkValid, offerSegment, withdrawSegment } from '../../use-cases/advertiser-segments.ts';
import { actorOf, requirePermission, rolesNote } from '../auth.ts';
import { errorResponses } from '../errors.ts';
import { ADVERTISER_TEXTS } from '../pages/advertiser-texts.ts';
import { escapeHtml, pageBrand, pageLayout } from '../pages/html.ts';
import { errorPageLocale } from '../pages/page-locale.ts';
import type { ZodServer } from '../zod-provider.ts';

const OfferedSchema = z.object({
  segmentId: z.number().int(),
  name: z.string().meta({ description: 'The name advertisers see' }),
  description: z.string(),
  size: z.number().int().nullable().meta({ description: `The size advertisers see: members rounded to hundreds; null below ${ADVERTISER_MIN_SIZE}` }),
  computedAt: z.string().nullable().meta({ description: 'When the members were last computed (null: not yet)' }),
  offeredAt: z.string(),
  offeredBy: z.string(),
});

const params = z.strictObject({ segmentId: z.coerce.number().int().positive() });

function offered(s: AdvertiserSegment): z.infer<typeof OfferedSchema> {
  return { segmentId: s.segmentId, name: s.name, description: s.description, size: advertiserSize(s.members), computedAt: s.computedAt, offeredAt: s.offeredAt, offeredBy: s.offeredBy };
}

export function advertiserSegmentRoutes(server: ZodServer, app: App): void {
  const tags = ['advertiser segments'];
  const deps = { advertiserSegments: app.stores.advertiserSegments, now: app.now };

  server.get(
    '/v1/advertiser-segments',
    {
      onRequest: requirePermission(app, 'segments.read'),
      schema: { tags, summary: 'Segments offered to advertisers', description: `Each with the name and rounded size advertisers see (CLI: lupa ads segments list). ${rolesNote('segments.read')}`, response: { 200: z.object({ segments: z.array(OfferedSchema) }) } },
    },
    async () => ({ segments: (await app.stores.advertiserSegments.list()).map(offered) }),
  );

  server.put(
    '/v1/advertiser-segments/:segmentId',
    {
      onRequest: requirePermission(app, 'advertiser_segments.manage'),
      schema: {
        tags,
        summary: 'Offer a segment to advertisers',
        description: `Under a name (1–100 characters) and a description (1–500) that advertisers see; again to change them. The ad server gets a visitor's offered segments only with site_ads consent. ${rolesNote('advertiser_segments.manage')}`,
        params,
        body: z.strictObject({ name: z.string(), description: z.string() }),
        response: { 200: OfferedSchema, ...errorResponses(['VALIDATION_FAILED', 'NOT_FOUND']) },
      },
    },
    async (req) => {
      const actor = actorOf(req);
      return offered(await offerSegment(deps, { segmentId: req.params.segmentId, ...req.body }, `${actor.id} (${actor.name})`));
    },
  );

  server.delete(
    '/v1/advertiser-segments/:segmentId',
    {
      onRequest: requirePermission(app, 'advertiser_segments.manage'),
      schema: { tags, summary: 'Withdraw a segment from advertisers', description: `From the catalogue and from the ad server's answers at once. ${rolesNote('advertiser_segments.manage')}`, params, response: { 204: z.null(), ...errorResponses(['NOT_FOUND']) } },
    },
    async (req, reply) => {
      await withdrawSegment(deps, req.params.segmentId);
      return reply.code(204).send(null);
    },
  );

  server.post(
    '/v1/advertiser-segments/links',
    {
      onRequest: requirePermission(app, 'advertiser_segments.manage'),
      schema: {
        tags,
        summary: 'A link to the catalogue for advertisers',
        description: `A signed link (no account needed) to a page in Finnish, Swedish or English that lists the offered segments' names, descriptions and rounded sizes, valid \`days\` days (default 30, at most 365). ${rolesNote('advertiser_segments.manage')}`,
        body: z.strictObject({ days: z.number().int().optional() }),
        response: { 200: z.object({ url: z.string(), expiresAt: z.string() }), ...errorResponses(['VALIDATION_FAILED']) },
      },
    },
    async (req) => catalogueLink(app, req.body.days),
  );

  const brand = pageBrand(app.config);
  server.get('/a/:token', { schema: { hide: true } }, async (req: FastifyRequest<{ Params: { token: string } }>, reply: FastifyReply) => {
    const lang = errorPageLocale(req);
    const t = ADVERTISER_TEXTS[lang];
    const page = (status: number, title: string, body: string) =>
      reply.code(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').header('referrer-policy', 'no-referrer').send(pageLayout(lang, title, body, brand));
    if (!catalogueLinkValid(app.signer, req.params.token, app.now())) return page(404, t.invalidTitle, `<h1>${escapeHtml(t.invalidTitle)}</h1><p>${escapeHtml(t.invalid)}</p>`);
    const catalogue = await advertiserCatalogue(deps);
    const rows = catalogue
      .map((s) => `<tr><th scope="row">${escapeHtml(s.name)}</th><td>${escapeHtml(s.description)}</td><td class="n">${escapeHtml(s.size === null ? t.fewer(ADVERTISER_MIN_SIZE) : t.about(s.size))}</td></tr>`)
      .join('');
    const table = catalogue.length === 0 ? `<p>${escapeHtml(t.none)}</p>` : `<table><caption>${escapeHtml(t.caption)}</caption><thead><tr><th scope="col">${escapeHtml(t.name)}</th><th scope="col">${escapeHtml(t.description)}</th><th scope="col">${escapeHtml(t.size)}</th></tr></thead><tbody>${rows}</tbody></table>`;
    return page(200, t.title, `<h1>${escapeHtml(t.title)}</h1><p>${escapeHtml(t.intro)}</p>${table}<p class="note">${escapeHtml(t.privacy)}</p>`);
  });
}

/**
 * `GET /v1/ad-server/segments?visitor=ID`: the ad server's question, answered for every ad shown
 * (p99 ≤ 10 ms at 2,000 requests a second is the target: bench/ad-server.ts). Authenticated by
 * `LUPA_AD_SERVER_TOKEN`, not an API key: the ad server is a machine with one question, and a key
 * of a role would let it ask others.
 */
export function adServerRoutes(server: ZodServer, app: App): void {
  const token = app.config.LUPA_AD_SERVER_TOKEN;
  const expected = token === undefined ? null : createHash('sha256').update(token).digest();
  const deps = { ...app.stores, settings: app.settings, now: app.now };
  server.get(
    '/v1/ad-server/segments',
    {
      schema: {
        tags: ['advertiser segments'],
        summary: "A visitor's segments offered to advertisers (the ad server)",
        description:
          'The ids of the offered segments the visitor (the lupa.js visitor id, which exists only with the visitor’s site_ads consent) is in; an empty list for a visitor who never signed in or whose ledger says no (a site_ads withdrawal, an objection). `Authorization: Bearer LUPA_AD_SERVER_TOKEN`; 503 AD_SERVER_NOT_CONFIGURED while it is unset.',
        security: [{ bearer: [] }],
        querystring: z.strictObject({ visitor: z.string().min(1).max(100).meta({ description: 'The visitor id (the lupa_vid cookie)' }) }),
        response: { 200: z.object({ segments: z.array(z.number().int()) }), ...errorResponses(['VALIDATION_FAILED', 'UNAUTHENTICATED', 'AD_SERVER_NOT_CONFIGURED']) },
      },
    },
    async (req, reply) => {
      if (expected === null) throw new DomainError('AD_SERVER_NOT_CONFIGURED', 'the ad server route is not set up: set LUPA_AD_SERVER_TOKEN');
      const given = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      // Compared as digests of equal length, in constant time: the token's length tells nothing either.
      if (given === undefined || !timingSafeEqual(createHash('sha256').update(given).digest(), expected)) throw new DomainError('UNAUTHENTICATED', 'the ad server token is missing or wrong');
      void reply.header('cache-control', 'no-store');
      return { segments: await visitorAdSegments(deps, req.query.visitor) };
    },
  );
}
