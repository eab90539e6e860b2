/**
 * The sites' routes (docs/sites-and-ads.md): `POST /v1/events`, where the browser SDK sends its
 * batches (public; CORS for LUPA_SITE_ORIGINS; `text/plain` bodies, as `navigator.sendBeacon` sends
 * them), and `POST /v1/sites/identify-tokens`, where the site's back end gets a sign-in token for
 * `lupa.identify`. An event batch is answered only after it is committed.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { App } from '../../composition-root.ts';
import { siteOrigins } from '../../config.ts';
import { DomainError } from '../../core/errors.ts';
import { MAX_EVENTS_PER_REQUEST } from '../../core/site-events/site-event-batch.ts';
import { issueIdentifyToken } from '../../use-cases/site-events/identify-tokens.ts';
import { ingestEvents } from '../../use-cases/site-events/ingest-events.ts';
import { requirePermission, rolesNote } from '../auth.ts';
import { errorResponses } from '../errors.ts';
import { parsedFrom } from '../storable-bodies.ts';
import type { ZodServer } from '../zod-provider.ts';
import { customerRefusesSiteAds } from '../../use-cases/ad-server.ts';

/** 100 events of a few hundred bytes each, with room to spare. */
const EVENTS_BODY_LIMIT = 256 * 1024;

const EVENTS_DESCRIPTION = `The browser SDK's batches (lupa.js); no key. Sent as JSON in a \`text/plain\` body (a beacon's) or \`application/json\`:
\`{"site": "uutisvirta.fi", "consent": {"site_ads": true, "ad_audience": false, "analytics": true}, "visitorId": "…", "events": [{"type": "page", "page": "/urheilu"}, {"type": "track", "name": "subscription_started", "page": "/tilaa", "props": {"product": "UV-PRINT-7"}}, {"type": "identify", "token": "…"}]}\`.
At most ${MAX_EVENTS_PER_REQUEST} events. \`visitorId\` is required with \`site_ads\` consent and refused without it: events without consent are only counted per site, page, slot, name and hour.
A batch with any fault is refused whole: 400 VALIDATION_FAILED with \`details.errors\` = [{index, field, message}]. Answered 200 only after the batch is committed (durable).
CORS: pages of LUPA_SITE_ORIGINS (and this server's own); a request with another \`Origin\` is refused (403).`;

const IngestAnswer = z.object({
  stored: z.number().int().meta({ description: 'Events kept per visitor (site_ads consent)' }),
  counted: z.number().int().meta({ description: 'Events only counted (no site_ads consent)' }),
  identified: z.number().int().meta({ description: 'Sign-ins recorded' }),
});

/** Whether a page of this server itself sent the request (the demo page, behind any public name). */
function sameOrigin(origin: string, host: string | undefined): boolean {
  try {
    return host !== undefined && new URL(origin).host === host;
  } catch {
    return false;
  }
}

/**
 * CORS for the sites' public routes (events, remarketing lists, ad slots): the pages of
 * LUPA_SITE_ORIGINS and of this server are answered with their own origin; any other origin is
 * refused (403 FORBIDDEN).
 */
export function siteCors(app: App): (req: FastifyRequest, reply: FastifyReply) => Promise<void> {
  const allowed = new Set([...(siteOrigins(app.config.LUPA_SITE_ORIGINS) ?? []), new URL(app.publicUrl).origin]);
  return async (req, reply) => {
    const origin = req.headers.origin;
    if (origin === undefined) return; // not a browser's cross-origin request (a site's server, a test)
    if (!allowed.has(origin) && !sameOrigin(origin, req.headers.host)) throw new DomainError('FORBIDDEN', 'this origin may not use the sites\' routes (LUPA_SITE_ORIGINS)');
    void reply.header('access-control-allow-origin', origin).header('vary', 'Origin');
  };
}

/**
 * A beacon's body is text/plain: read as JSON text in the given (encapsulated) context only; the
 * API elsewhere takes JSON only. Not JSON: 400 VALIDATION_FAILED, field `body`.
 */
export function acceptBeaconBodies(context: FastifyInstance, bodyLimit: number): void {
  context.addContentTypeParser('text/plain', { parseAs: 'string', bodyLimit }, (_req, body, done) => {
    try {
      done(null, parsedFrom(JSON.parse(body as string) as unknown, body as string));
    } catch {
      done(new DomainError('VALIDATION_FAILED', 'the body is not valid JSON', { field: 'body' }), undefined);
    }
  });
}

export function siteEventRoutes(server: ZodServer, app: App): void {
  const ledgerDeps = { decisionRecords: app.stores.decisionRecords, settings: app.settings, now: app.now };
  const deps = {
    events: app.stores.siteEvents,
    signer: app.signer,
    now: app.now,
    ttlSeconds: app.config.LUPA_IDENTIFY_TOKEN_SECONDS,
    refusesSiteAds: (customerId: string) => customerRefusesSiteAds(ledgerDeps, customerId),
  };
  const cors = siteCors(app);

  void server.register(async (events) => {
    acceptBeaconBodies(events, EVENTS_BODY_LIMIT);
    events.options('/v1/events', { schema: { hide: true }, onRequest: cors }, async (_req, reply) =>
      reply.code(204).header('access-control-allow-methods', 'POST').header('access-control-allow-headers', 'content-type').header('access-control-max-age', '86400').send(),
    );
    events.post(
      '/v1/events',
      {
        bodyLimit: EVENTS_BODY_LIMIT,
        onRequest: cors,
        logLevel: 'warn',
        schema: {
          tags: ['sites'],
          summary: 'Send site events (public; the browser SDK)',
          description: EVENTS_DESCRIPTION,
          security: [],
          response: { 200: IngestAnswer, ...errorResponses(['VALIDATION_FAILED', 'INPUT_TOO_LARGE'], { authenticated: false }) },
        },
      },
      async (req) => ingestEvents(deps, req.body),
    );
  });

  server.post(
    '/v1/sites/identify-tokens',
    {
      onRequest: requirePermission(app, 'sites.identify'),
      schema: {
        tags: ['sites'],
        summary: 'A sign-in token for lupa.identify',
        description: `For the site's back end, once a visitor has signed in: a token naming the customer, signed by Lupa, for the page to pass to \`lupa.identify(token)\`. It works for LUPA_IDENTIFY_TOKEN_SECONDS; a token for another customer or past its time is refused at POST /v1/events. ${rolesNote('sites.identify')}`,
        body: z.object({ customerId: z.string().min(1).max(100).meta({ example: 'C0000001' }) }).meta({ example: { customerId: 'C0000001' } }),
        response: { 201: z.object({ token: z.string(), expiresAt: z.string() }), ...errorResponses(['VALIDATION_FAILED', 'UNKNOWN_CUSTOMER']) },
      },
    },
    async (req, reply) => reply.code(201).send(await issueIdentifyToken({ ...deps, customers: app.stores.customers }, req.body.customerId)),
  );
}
