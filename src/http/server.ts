/**
 * The HTTP API: Fastify with zod schemas, OpenAPI at /docs. Routes are thin (validate, call one use
 * case, audit, reply); the server is built here but started by the CLI, so tests can inject requests.
 */
import http from 'node:http';
import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance } from 'fastify';
import { z } from 'zod';
import { createEmailSender, type App } from '../composition-root.ts';
import type { MessageSender } from '../core/email-message.ts';
import { PERMISSIONS } from '../core/access.ts';
import { requireStorable } from '../core/storable-values.ts';
import { bodyKnownStorable, markStorableJsonBodies } from './storable-bodies.ts';
import { registerErrorHandling } from './errors.ts';
import { pageBrand } from './pages/html.ts';
import { loggerOptions } from './logger-options.ts';
import type { DevInbox } from '../channels/email/dev-inbox.ts';
import { audienceRoutes } from './routes/audience.ts';
import { customerRoutes } from './routes/customers.ts';
import { decideRoutes } from './routes/decide.ts';
import { permissionRoutes } from './routes/permissions.ts';
import { inboxRoutes } from './routes/inbox.ts';
import { homeRoutes } from './routes/home.ts';
import { consoleBuildDir, consoleRoutes } from './routes/console.ts';
import { faviconRoutes } from './routes/favicon.ts';
import { linkLocale, preferenceRoutes } from './routes/preferences.ts';
import { trackingRoutes } from './routes/tracking.ts';
import { bounceWebhookRoutes } from './routes/bounce-webhook.ts';
import { campaignRoutes } from './routes/campaigns.ts';
import { campaignChangeRoutes } from './routes/campaign-changes.ts';
import { segmentRoutes } from './routes/segments.ts';
import { interestRoutes } from './routes/interests.ts';
import { adAudienceRoutes } from './routes/ad-audiences.ts';
import { adServerRoutes, advertiserSegmentRoutes } from './routes/advertiser-segments.ts';
import { smsWebhookRoutes } from './routes/sms-webhook.ts';
import { callRoutes } from './routes/calls.ts';
import { callRecordRoutes } from './routes/call-records.ts';
import { phoneSaleRoutes } from './routes/phone-sales.ts';
import { templateRoutes } from './routes/templates.ts';
import { catalogueRoutes } from './routes/catalogue.ts';
import { campaignRecipientRoutes } from './routes/campaign-recipients.ts';
import { registerReadRoutes } from './routes/register-reads.ts';
import { supportMailWebhookRoutes } from './routes/support-mail-webhook.ts';
import { supportRequestRoutes } from './routes/support-requests.ts';
import { ticketRoutes } from './routes/tickets.ts';
import { feedbackRoutes } from './routes/feedback.ts';
import { feedbackPageRoutes } from './routes/feedback-pages.ts';
import { customerHistoryRoutes } from './routes/customer-history.ts';
import { customerTimelineRoutes } from './routes/customer-timeline.ts';
import { ledgerRoutes } from './routes/ledger.ts';
import { suppressionRoutes } from './routes/suppressions.ts';
import { adminRoutes } from './routes/admin.ts';
import { campaignTestRoutes } from './routes/campaign-tests.ts';
import { contactListRoutes } from './routes/contact-lists.ts';
import { adminAccessRoutes } from './routes/admin-access.ts';
import { sessionRoutes } from './routes/session.ts';
import { predictionRoutes } from './routes/predictions.ts';
import { offerRoutes } from './routes/offers.ts';
import { siteAdRoutes } from './routes/site-ads.ts';
import { siteEventRoutes } from './routes/site-events.ts';
import { remarketingRoutes } from './routes/remarketing.ts';
import { sdkRoutes } from './routes/sdk.ts';
import { serializerCompiler, validatorCompiler, zodToOpenApi, type ZodTypeProvider } from './zod-provider.ts';

export interface ServerOptions {
  /** Log requests with pino at the configured level (personal data redacted). Default false. */
  logger?: boolean;
  /** Where log lines go instead of stdout (tests read them from here). */
  logStream?: { write(line: string): void };
  /** The local development inbox to show at /inbox and /v1/inbox (when `npm start` runs one). */
  devInbox?: DevInbox;
  /** The built console to serve at / (default: web/dist when built; null: none, `GET /` says what this server is). */
  consoleDir?: string | null;
  /**
   * Sends the fresh preference links people ask for on an expired link's page. Default: the
   * configured sender (LUPA_SMTP_URL), made on first use and closed with the server.
   */
  mailer?: MessageSender;
}

const rolesTable = Object.entries(PERMISSIONS)
  .map(([action, roles]) => `| \`${action}\` | ${roles.join(', ')} |`)
  .join('\n');

const API_DESCRIPTION = `Lupa decides, per message, whether a customer may be contacted, and proves why.

Authenticate with an API key: \`Authorization: Bearer <key>\` (or \`X-Api-Key: <key>\`).
Errors are \`{"error": CODE, "message", "field"?}\`; \`field\` is the input at fault as a dotted path.

| permission | roles |
|---|---|
${rolesTable}`;

export async function buildServer(app: App, opts: ServerOptions = {}): Promise<FastifyInstance> {
  const server = Fastify({
    logger: opts.logger === true ? loggerOptions(app.config.LUPA_LOG_LEVEL, opts.logStream) : false,
    // The largest legitimate body is a customer record; anything bigger is a mistake or an attack.
    bodyLimit: 64 * 1024,
    // Signed tokens travel as path parameters (/a/click/…, /u/…) and may be up to 512 characters
    // (security/signed-tokens.ts); Fastify's default of 100 answered 414 to a click link made for
    // a visitor on a site with a long name or placement.
    // (Fastify 5 reads it from routerOptions; at the top level it warns FSTDEP022 on every start.)
    routerOptions: { maxParamLength: 600 },
    // A request whose body never finishes would hold its socket and memory: it is cut off (408).
    // Node looks for such requests every `connectionsCheckingInterval` (30 s by default): checked
    // at a quarter of the limit, a slow request is cut off within 1.25 times it.
    serverFactory: (handler) => {
      const requestTimeout = app.config.LUPA_REQUEST_TIMEOUT_SECONDS * 1000;
      return http.createServer({ requestTimeout, connectionsCheckingInterval: Math.max(250, Math.min(30_000, requestTimeout / 4)) }, handler);
    },
    // A HEAD would run the GET handler, and so audit a read of data that is never sent.
    exposeHeadRoutes: false,
  });
  server.setValidatorCompiler(validatorCompiler);
  server.setSerializerCompiler(serializerCompiler);
  registerErrorHandling(server, { brand: pageBrand(app.config), linkLocale: linkLocale({ signer: app.signer, customers: app.stores.customers }) });
  // What either store could not hold (NUL, lone surrogates) is refused here for every route, with
  // the field named, before any route or store sees it (core/storable-values.ts).
  markStorableJsonBodies(server);
  server.addHook('preValidation', async (req) => {
    requireStorable(req.params);
    requireStorable(req.query);
    if (!bodyKnownStorable(req)) requireStorable(req.body);
  });

  await server.register(cookie);
  await server.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: 'Lupa API', version: '1', description: API_DESCRIPTION },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'API key as a bearer token' },
          apiKey: { type: 'apiKey', in: 'header', name: 'X-Api-Key' },
        },
      },
      security: [{ bearer: [] }, { apiKey: [] }],
      tags: [
        { name: 'customers', description: 'Customer records (audited)' },
        { name: 'ledger', description: 'Consents, withdrawals and objections: append-only' },
        { name: 'suppressions', description: 'The suppression list: search, manual entries, lifts with a note; append-only' },
        { name: 'decide', description: 'May we? For one customer, with evidence' },
        { name: 'audience', description: 'May we? Counted over a selection' },
        { name: 'campaigns', description: 'Campaigns, their results, and why each recipient was or was not sent to' },
        { name: 'templates', description: 'Message templates' },
        { name: 'catalogue', description: 'Products' },
        { name: 'inbox', description: 'The local development inbox (when running)' },
        { name: 'session', description: 'Console sign-in: a session cookie for people (programs use API keys)' },
        { name: 'tickets', description: 'Support tickets: the inbox, threads, replies (audited); the public support form' },
        { name: 'predictions', description: 'Purchase predictions: models and their measured quality (profiling: only where allowed)' },
        { name: 'calls', description: 'Call records and call recordings (recordings encrypted at rest, every playback audited)' },
        { name: 'sites', description: 'Events from the sites (the browser SDK) and sign-in tokens for it' },
        { name: 'audit', description: 'Who read or changed personal data' },
        { name: 'system', description: 'Health and the installation\'s sending readiness' },
      ],
    },
    transform: zodToOpenApi,
  });
  await server.register(swaggerUi, { routePrefix: '/docs' });

  const typed = server.withTypeProvider<ZodTypeProvider>();
  typed.get(
    '/health',
    {
      schema: {
        tags: ['system'],
        summary: 'Liveness',
        description: 'Needs no key.',
        security: [],
        response: { 200: z.object({ status: z.literal('ok') }) },
      },
    },
    async () => ({ status: 'ok' as const }),
  );
  faviconRoutes(server);
  if (!(await consoleRoutes(server, opts.consoleDir === undefined ? consoleBuildDir() : opts.consoleDir))) homeRoutes(typed, app);
  sessionRoutes(typed, app);
  customerRoutes(typed, app);
  customerHistoryRoutes(typed, app);
  customerTimelineRoutes(typed, app);
  ledgerRoutes(typed, app);
  decideRoutes(typed, app);
  permissionRoutes(typed, app);
  audienceRoutes(typed, app);
  let ownMailer: MessageSender | null = null;
  server.addHook('onClose', async () => ownMailer?.close());
  const mailer = (): MessageSender => opts.mailer ?? (ownMailer ??= createEmailSender(app));
  preferenceRoutes(typed, app, mailer);
  trackingRoutes(typed, app);
  bounceWebhookRoutes(typed, app);
  campaignRoutes(typed, app);
  campaignChangeRoutes(typed, app);
  campaignTestRoutes(typed, app, mailer);
  contactListRoutes(typed, app);
  campaignRecipientRoutes(typed, app);
  registerReadRoutes(typed, app);
  suppressionRoutes(typed, app);
  smsWebhookRoutes(typed, app);
  callRoutes(typed, app);
  callRecordRoutes(typed, app);
  phoneSaleRoutes(typed, app, mailer);
  templateRoutes(typed, app);
  catalogueRoutes(typed, app);
  segmentRoutes(typed, app);
  adAudienceRoutes(typed, app);
  advertiserSegmentRoutes(typed, app);
  adServerRoutes(typed, app);
  adminRoutes(typed, app);
  adminAccessRoutes(typed, app);
  predictionRoutes(typed, app);
  interestRoutes(typed, app);
  ticketRoutes(typed, app, mailer);
  feedbackRoutes(typed, app, mailer);
  feedbackPageRoutes(typed, app, mailer);
  supportRequestRoutes(typed, app);
  supportMailWebhookRoutes(typed, app);
  offerRoutes(typed, app);
  siteEventRoutes(typed, app);
  remarketingRoutes(typed, app);
  siteAdRoutes(typed, app);
  sdkRoutes(server);
  if (opts.devInbox !== undefined) inboxRoutes(typed, app, opts.devInbox);
  await server.ready();
  return server;
}
