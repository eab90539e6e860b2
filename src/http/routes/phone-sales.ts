/**
 * Telesales over HTTP (docs/calls-and-recordings.md#telesales-and-written-acceptance): the agent's
 * call list page (the export's audience, as JSON), phone sales with their evidence, and the public
 * acceptance page a written offer links to. Agents make and read sales; the DPO reads them; every
 * read is audited; a marketer reaches none of it.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { phoneSaleDeps, type App } from '../../composition-root.ts';
import { OFFER_DELIVERIES, SALE_BASES, SALE_STATES, SUBSCRIPTION_KINDS } from '../../core/calls/phone-sale.ts';
import { offerLocale, offerTexts, formatDate, termLines } from '../../core/calls/written-offer.ts';
import type { MessageSender } from '../../core/email-message.ts';
import { DomainError } from '../../core/errors.ts';
import type { CustomerId, Sku } from '../../core/records.ts';
import type { CallActor } from '../../use-cases/calls/calls.ts';
import { acceptPhoneSale, createPhoneSale, listPhoneSales, MAX_SALES, phoneSaleEvidence, saleOfLink } from '../../use-cases/calls/phone-sales.ts';
import { callListPage } from '../../use-cases/contact-lists.ts';
import { actorOf, requirePermission, rolesNote } from '../auth.ts';
import { errorResponses } from '../errors.ts';
import { escapeHtml, pageBrand, pageLayout } from '../pages/html.ts';
import { pageLocale } from '../pages/page-locale.ts';
import { CustomerIdSchema } from '../schemas.ts';
import type { ZodServer } from '../zod-provider.ts';
import { filterOf, oneAttribute, SelectionFields } from './audience.ts';
import { CallSchema } from './call-records.ts';

const tags = ['calls'];
const SaleIdParams = z.strictObject({ id: z.coerce.number().int().positive().meta({ description: 'Phone sale id', example: 1 }) });

const TermsSchema = z.object({
  sku: z.string(),
  productName: z.string(),
  offerId: z.number().nullable(),
  offerCode: z.string().nullable(),
  kind: z.enum(SUBSCRIPTION_KINDS).meta({ description: '`fixed_term` ends by itself; `continuous` continues until cancelled' }),
  periodMonths: z.number(),
  priceCents: z.number().meta({ description: 'The price of the (introductory) period, in cents' }),
  currency: z.string(),
  regularMonthlyCents: z.number().nullable().meta({ description: 'A continuous subscription: the full monthly price after the period, in cents' }),
});

const SaleSchema = z.object({
  id: z.number(),
  callId: z.number(),
  customerId: z.string(),
  agent: z.string(),
  terms: TermsSchema,
  basis: z.enum(SALE_BASES).meta({ description: '`written_acceptance`, or an exception of the law: `inbound_call` (the customer called), `requested_call` (the customer explicitly asked to be called)' }),
  requestEvidence: z.string().nullable(),
  delivery: z.enum(OFFER_DELIVERIES),
  deliveredTo: z.string(),
  createdAt: z.string(),
  acceptBy: z.string().meta({ description: 'A pending sale not accepted before this lapses and never becomes an order' }),
  state: z.enum(SALE_STATES).meta({ description: 'As stored' }),
  stateNow: z.enum(SALE_STATES).meta({ description: 'At the time of reading: a pending sale past `acceptBy` is `lapsed`' }),
  offerSentAt: z.string().nullable(),
  offerMessageId: z.string().nullable(),
  acceptedAt: z.string().nullable(),
  orderId: z.string().nullable().meta({ description: 'The order the sale became: only once accepted, or bound under an exception' }),
  lapsedAt: z.string().nullable(),
  writtenOffer: z.object({ subject: z.string(), text: z.string() }).meta({ description: 'The written offer as sent (a service message)' }),
});

const SaleBody = z.strictObject({
  callId: z.number().int().positive().meta({ description: 'The telesales call that ended in a sale (outcome `sale`)', example: 2 }),
  offerId: z.number().int().positive().optional().meta({ description: 'The offer presented (made on the phone channel): its product, price and period' }),
  sku: z.string().min(1).max(64).optional().meta({ description: 'Without an offer: the product…' }),
  priceCents: z.number().int().min(0).max(100_000_000).optional().meta({ description: '…the price of the period in cents…' }),
  periodMonths: z.number().int().min(1).max(120).optional().meta({ description: '…and the period in months' }),
  currency: z.string().regex(/^[A-Z]{3}$/).optional(),
  kind: z.enum(SUBSCRIPTION_KINDS),
  regularMonthlyCents: z.number().int().min(0).max(100_000_000).optional().meta({ description: 'Required for `continuous`: the full monthly price after the period' }),
  basis: z.enum(SALE_BASES).default('written_acceptance'),
  requestEvidence: z.string().trim().min(1).max(1000).optional().meta({ description: 'Required for `requested_call`: where and when the customer asked to be called' }),
  delivery: z.enum(OFFER_DELIVERIES).default('email'),
  to: z.string().trim().min(1).max(320).optional().meta({ description: "Where to send the written offer; default: the customer's first e-mail address or number" }),
});

const CallListRowSchema = z.object({ customerId: z.string(), name: z.string(), phone: z.string(), locale: z.string(), basis: z.string(), callableNow: z.boolean(), quietReason: z.string() });

const who = (req: FastifyRequest): CallActor => {
  const actor = actorOf(req);
  return { actor: actor.id, role: actor.role };
};

export function phoneSaleRoutes(server: ZodServer, app: App, mailer: () => MessageSender): void {
  const deps = phoneSaleDeps(app, mailer);

  server.get(
    '/v1/call-lists/work',
    {
      onRequest: requirePermission(app, 'call_lists.work'),
      schema: {
        tags,
        summary: 'A page of a call list to work',
        description:
          'The customers `GET /v1/exports/calls.csv` lists for the same selection (phone marketing allowed: opt-outs, objections and the Robinson register applied, rule 5), in id order from `after`, with whether a call is allowed now (quiet hours). ' +
          `Every customer on the page is audited as read. ${rolesNote('call_lists.work')}`,
        querystring: z
          .strictObject({
            ...SelectionFields,
            after: CustomerIdSchema.optional().meta({ description: 'The `next` of the previous page' }),
            limit: z.coerce.number().int().min(1).max(100).default(20),
          })
          .superRefine(oneAttribute),
        response: { 200: z.object({ rows: z.array(CallListRowSchema), next: z.string().nullable().meta({ description: 'Where the next page starts; null at the end' }), seller: z.string().meta({ description: 'The seller the call script names (LUPA_SENDER_NAME)' }) }), ...errorResponses(['VALIDATION_FAILED', 'UNKNOWN_PRODUCT', 'INVALID_DATE', 'NOT_FOUND']) },
      },
    },
    async (req) => {
      const { product, at, after, limit, ...selection } = req.query;
      const input = { sku: product === undefined ? null : (product as Sku), at: at ?? app.now(), filter: filterOf(selection), actor: who(req), after: (after ?? null) as CustomerId | null, limit };
      return { ...(await callListPage({ ...app.stores, settings: app.settings }, input)), seller: deps.settings.from.name };
    },
  );

  server.post(
    '/v1/phone-sales',
    {
      onRequest: requirePermission(app, 'phone_sales.write'),
      schema: {
        tags,
        summary: 'Make a phone sale',
        description:
          'From a telesales call that ended in a sale. With `basis` `written_acceptance` (the default) the sale is pending: the written offer goes to the customer by e-mail or SMS as a service message with a signed link to accept it, and the sale becomes an order only when accepted within `LUPA_PHONE_SALE_ACCEPT_DAYS`; otherwise it lapses. ' +
          'Under an exception of the law (`inbound_call`: the customer called; `requested_call`: the customer explicitly asked to be called, with `requestEvidence`) it binds at once and the terms are sent as the confirmation. ' +
          `Audited. ${rolesNote('phone_sales.write')}`,
        body: SaleBody,
        response: { 201: SaleSchema, ...errorResponses(['VALIDATION_FAILED', 'UNKNOWN_CALL', 'UNKNOWN_CUSTOMER', 'UNKNOWN_PRODUCT', 'NOT_FOUND', 'PHONE_SALE_STATE', 'CONFIG_INVALID']) },
      },
    },
    async (req, reply) => {
      const b = req.body;
      const sale = await createPhoneSale(
        deps,
        {
          callId: b.callId,
          offerId: b.offerId ?? null,
          sku: b.sku ?? null,
          priceCents: b.priceCents ?? null,
          periodMonths: b.periodMonths ?? null,
          currency: b.currency ?? null,
          kind: b.kind,
          regularMonthlyCents: b.regularMonthlyCents ?? null,
          basis: b.basis,
          requestEvidence: b.requestEvidence ?? null,
          delivery: b.delivery,
          to: b.to ?? null,
        },
        who(req),
      );
      return reply.code(201).send(sale);
    },
  );

  server.get(
    '/v1/phone-sales',
    {
      onRequest: requirePermission(app, 'phone_sales.read'),
      schema: {
        tags,
        summary: 'Phone sales',
        description: `Newest first; by customer or by state at the time of reading. Each customer listed is audited. ${rolesNote('phone_sales.read')}`,
        querystring: z.strictObject({
          customerId: CustomerIdSchema.optional(),
          state: z.enum(SALE_STATES).optional(),
          beforeId: z.coerce.number().int().positive().optional().meta({ description: 'The id of the last sale of the previous page' }),
          limit: z.coerce.number().int().min(1).max(MAX_SALES).default(50),
        }),
        response: { 200: z.object({ sales: z.array(SaleSchema) }), ...errorResponses(['VALIDATION_FAILED']) },
      },
    },
    async (req) => {
      const q = req.query;
      return { sales: await listPhoneSales(deps, { ...(q.customerId === undefined ? {} : { customerId: q.customerId }), ...(q.state === undefined ? {} : { state: q.state }), ...(q.beforeId === undefined ? {} : { beforeId: q.beforeId }), limit: q.limit }, who(req)) };
    },
  );

  server.get(
    '/v1/phone-sales/:id',
    {
      onRequest: requirePermission(app, 'phone_sales.read'),
      schema: {
        tags,
        summary: 'A phone sale and its evidence',
        description: `The sale, the call with its recordings' metadata, the written offer as sent, the acceptance and the order. Audited. ${rolesNote('phone_sales.read')}`,
        params: SaleIdParams,
        response: { 200: SaleSchema.extend({ call: CallSchema }), ...errorResponses(['VALIDATION_FAILED', 'UNKNOWN_PHONE_SALE', 'UNKNOWN_CALL']) },
      },
    },
    async (req) => phoneSaleEvidence(deps, req.params.id, who(req)),
  );

  acceptancePages(server, app, deps);
}

type TokenRequest = FastifyRequest<{ Params: { token: string } }>;

/**
 * The public page a written offer links to, in the customer's language (fi/sv/en): GET shows the
 * terms and an Accept button (a link scanner's GET accepts nothing); POST accepts, once.
 */
function acceptancePages(server: ZodServer, app: App, deps: ReturnType<typeof phoneSaleDeps>): void {
  const brand = pageBrand(app.config);
  const html = (reply: FastifyReply, code: number, lang: string, title: string, body: string): FastifyReply =>
    reply.code(code).type('text/html; charset=utf-8').header('cache-control', 'no-store').header('referrer-policy', 'no-referrer').send(pageLayout(lang, title, body, brand));

  const page = async (req: TokenRequest, reply: FastifyReply, accept: boolean): Promise<FastifyReply> => {
    let found;
    try {
      found = accept ? await acceptPhoneSale(deps, req.params.token) : { ...(await saleOfLink(deps, req.params.token)), acceptedNow: false };
    } catch (err) {
      if (!(err instanceof DomainError) || err.code !== 'LINK_INVALID') throw err;
      const lang = pageLocale(req, null);
      const t = offerTexts(lang);
      return html(reply, 410, lang, t.pageTitle, `<h1>${escapeHtml(t.pageTitle)}</h1><p role="status">${escapeHtml(t.invalid)}</p>`);
    }
    const lang = pageLocale(req, found.locale);
    const t = offerTexts(offerLocale(lang));
    const sale = found.sale;
    const outcome = found.stateNow;
    const terms = `<ul>${termLines(sale.terms, offerLocale(lang)).map((l) => `<li>${escapeHtml(l)}</li>`).join('')}</ul>`;
    const status = (text: string): string => `<p role="status"><strong>${escapeHtml(text)}</strong></p>`;
    let body: string;
    if (found.acceptedNow) body = status(t.accepted(formatDate(sale.acceptedAt ?? app.now(), offerLocale(lang))));
    else if (outcome === 'accepted') body = status(t.alreadyAccepted);
    else if (outcome === 'lapsed') body = status(t.lapsed);
    else if (outcome === 'bound') body = status(t.bound);
    else body = `<form method="post"><button type="submit">${escapeHtml(t.acceptButton)}</button></form><p class="note">${escapeHtml(t.noAcceptNoContract)}</p>`;
    return html(reply, outcome === 'lapsed' ? 410 : 200, lang, t.pageTitle, `<h1>${escapeHtml(t.pageTitle)}</h1>${terms}${body}`);
  };

  void server.register(async (pages) => {
    // The Accept button's POST carries no fields that matter: any body is read and ignored.
    pages.removeAllContentTypeParsers();
    pages.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, _body, done) => done(null, null));
    pages.get('/s/:token', { schema: { hide: true } }, async (req: TokenRequest, reply) => page(req, reply, false));
    pages.post('/s/:token', { schema: { hide: true }, bodyLimit: 4096 }, async (req: TokenRequest, reply) => page(req, reply, true));
  });
}
