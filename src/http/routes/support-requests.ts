/**
 * `POST /v1/support/requests`: the public support form (docs/customer-service.md). No key: anyone
 * may write to customer service. Taken as a form post (`application/x-www-form-urlencoded`, from a
 * web page) or as JSON; a honeypot field and the fill time tell bots (answered like anyone, kept
 * nowhere), and each IP may send LUPA_SUPPORT_FORM_PER_HOUR requests an hour (429 RATE_LIMITED).
 */
import { z } from 'zod';
import { ticketDeps, type App } from '../../composition-root.ts';
import { HourlyLimiter, receiveSupportForm } from '../../use-cases/tickets/support-form.ts';
import { errorResponses } from '../errors.ts';
import { firstValues, formFields } from '../form-body.ts';
import type { ZodServer, ZodTypeProvider } from '../zod-provider.ts';

/** A request's fields; a message of a few pages at most. */
const BODY_LIMIT = 64 * 1024;

const optionalText = (max: number) => z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), z.string().trim().max(max).optional());

const RequestBody = z
  .object({
    name: optionalText(200),
    email: optionalText(320).meta({ description: 'Where the answer goes (or `phone`)' }),
    phone: optionalText(40),
    subject: z.string().trim().min(1).max(500),
    message: z.string().trim().min(1).max(20_000),
    website: z.string().max(500).optional().meta({ description: 'The honeypot: hide it from people (CSS); a request with anything in it is dropped' }),
    startedAt: z.preprocess((v) => (v === '' || v === null ? undefined : v), z.coerce.number().int().optional()).meta({ description: 'When the page showed the form, ms since the epoch; a request sent sooner than LUPA_SUPPORT_FORM_MIN_SECONDS after it (or without it) is dropped' }),
  })
  .meta({ example: { name: 'Aino Virtanen', email: 'aino@example.fi', subject: 'Lehti ei tullut', message: 'Tämän aamun lehti ei tullut.', website: '', startedAt: 1764576000000 } });

export function supportRequestRoutes(server: ZodServer, app: App): void {
  const deps = { ...ticketDeps(app), spam: { minSeconds: app.config.LUPA_SUPPORT_FORM_MIN_SECONDS } };
  const limiter = new HourlyLimiter(app.config.LUPA_SUPPORT_FORM_PER_HOUR);
  void server.register(async (scope) => {
    const form = scope.withTypeProvider<ZodTypeProvider>();
    form.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: BODY_LIMIT }, (_req, body, done) => {
      done(null, Object.fromEntries(firstValues(formFields(typeof body === 'string' ? body : body.toString('utf8')))));
    });
    form.post(
      '/v1/support/requests',
      {
        bodyLimit: BODY_LIMIT,
        schema: {
          tags: ['tickets'],
          summary: 'Send a request to customer service (public)',
          description:
            'Opens a ticket (channel `web`), matched to a customer by the e-mail address or phone number. No key. A form post or JSON. ' +
            'Answered 202 `{"received": true}` also when the request is taken for spam (honeypot filled, sent too fast), which is kept nowhere. ' +
            'At most LUPA_SUPPORT_FORM_PER_HOUR requests an hour from one IP.',
          security: [],
          body: RequestBody,
          response: { 202: z.object({ received: z.literal(true) }), ...errorResponses(['VALIDATION_FAILED', 'RATE_LIMITED'], { authenticated: false }) },
        },
      },
      async (req, reply) => {
        limiter.take(req.ip, app.now());
        const b = req.body;
        await receiveSupportForm(deps, { name: b.name ?? '', email: b.email ?? null, phone: b.phone ?? null, subject: b.subject, message: b.message, website: b.website ?? '', startedAt: b.startedAt ?? null });
        return reply.code(202).send({ received: true as const });
      },
    );
  });
}
