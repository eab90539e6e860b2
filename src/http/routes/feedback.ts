/**
 * `/v1/feedback`: CSAT and NPS results per agent, queue and month (aggregates, no group of fewer
 * than LUPA_MIN_GROUP_SIZE answers), the comments (personal data: the DPO reads them, every read
 * audited), sending an NPS survey to a seeded sample, and a ticket's own feedback for those who
 * may read the ticket (an agent only for tickets assigned to them). docs/customer-service.md#feedback.
 */
import { z } from 'zod';
import { feedbackDeps, type App } from '../../composition-root.ts';
import type { MessageSender } from '../../core/email-message.ts';
import { DomainError } from '../../core/errors.ts';
import { FEEDBACK_CHANNELS, FEEDBACK_KINDS, REQUEST_STATES, type FeedbackRequest, type ResultsQuery } from '../../core/feedback/feedback.ts';
import { RESULT_GROUPINGS } from '../../core/feedback/results.ts';
import { feedbackResults } from '../../use-cases/feedback/results.ts';
import { MAX_SAMPLE, sendNpsSurvey } from '../../use-cases/feedback/nps.ts';
import { requireTicket } from '../../use-cases/tickets/tickets.ts';
import { auditEntries } from '../audit.ts';
import { actorOf, requirePermission, rolesNote } from '../auth.ts';
import { errorResponses } from '../errors.ts';
import type { ZodServer } from '../zod-provider.ts';

const MONTH = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/);

const ResultGroupSchema = z.object({
  key: z.string().meta({ description: 'The agent, queue or month (YYYY-MM); `all`; `(none)` for no agent or queue' }),
  sent: z.number().int(),
  answered: z.number().int(),
  responseRate: z.number().nullable().meta({ description: 'answered / sent, 0–1' }),
  distribution: z.record(z.string(), z.number().int()).nullable().meta({ description: 'Answers per score; null when withheld' }),
  average: z.number().nullable().meta({ description: 'CSAT: mean score 1–5' }),
  npsScore: z.number().int().nullable().meta({ description: 'NPS: % promoters (9–10) − % detractors (0–6), −100…100' }),
  withheld: z.boolean().meta({ description: 'Fewer answers than LUPA_MIN_GROUP_SIZE: no distribution, average or score' }),
});

const ResultsSchema = z.object({
  kind: z.enum(FEEDBACK_KINDS),
  by: z.enum(RESULT_GROUPINGS),
  total: ResultGroupSchema.nullable(),
  groups: z.array(ResultGroupSchema),
  minGroup: z.number().int(),
});

const FilterQuery = z.strictObject({
  kind: z.enum(FEEDBACK_KINDS).default('csat'),
  from: MONTH.optional().meta({ description: 'First month, YYYY-MM', example: '2026-01' }),
  to: MONTH.optional().meta({ description: 'Last month, YYYY-MM (included)', example: '2026-12' }),
  agent: z.string().max(200).optional(),
  queue: z.string().max(100).optional(),
});

const FeedbackSchema = z.object({
  id: z.number().int(),
  kind: z.enum(FEEDBACK_KINDS),
  ticketId: z.number().int().nullable(),
  surveyId: z.number().int().nullable(),
  customerId: z.string(),
  agent: z.string().nullable(),
  queue: z.string().nullable(),
  state: z.enum(REQUEST_STATES),
  basis: z.string().nullable(),
  channel: z.enum(FEEDBACK_CHANNELS),
  reasons: z.array(z.string()).meta({ description: 'The research decision’s reason codes (docs/reasons.md)' }),
  createdAt: z.string(),
  sentAt: z.string().nullable(),
  expiresAt: z.string(),
  score: z.number().int().nullable(),
  comment: z.string().nullable(),
  answeredAt: z.string().nullable(),
});

const NpsBody = z
  .strictObject({
    size: z.number().int().min(1).max(MAX_SAMPLE).optional().meta({ description: 'Customers to draw' }),
    fraction: z.number().gt(0).max(1).optional().meta({ description: 'Or the share of all customers to draw' }),
    seed: z.string().min(1).max(100).optional().meta({ description: 'The same seed draws the same customers; default random' }),
    channel: z.enum(FEEDBACK_CHANNELS).default('email').meta({ description: '`sms` needs the SMS gateway (LUPA_SMS_*)' }),
  })
  .meta({ example: { size: 100, seed: 'nps-2026-12' } });

const NpsOutcomeSchema = z.object({
  survey: z.object({ id: z.number().int(), seed: z.string(), drawn: z.number().int(), channel: z.string(), createdAt: z.string(), createdBy: z.string() }),
  sent: z.number().int(),
  skipped: z.number().int(),
  failed: z.number().int(),
  reasons: z.record(z.string(), z.number().int()).meta({ description: 'Skipped customers per reason code' }),
});

function view(r: FeedbackRequest): z.infer<typeof FeedbackSchema> {
  const { month: _month, ...rest } = r;
  return rest;
}

function resultsQuery(q: z.infer<typeof FilterQuery>): ResultsQuery & { kind: (typeof FEEDBACK_KINDS)[number] } {
  return { kind: q.kind, ...(q.from === undefined ? {} : { fromMonth: q.from }), ...(q.to === undefined ? {} : { toMonth: q.to }), ...(q.agent === undefined ? {} : { agent: q.agent }), ...(q.queue === undefined ? {} : { queue: q.queue }) };
}

export function feedbackRoutes(server: ZodServer, app: App, mailer: () => MessageSender): void {
  const minGroup = app.config.LUPA_MIN_GROUP_SIZE;

  server.get(
    '/v1/feedback/results',
    {
      onRequest: requirePermission(app, 'feedback.results'),
      schema: {
        tags: ['feedback'],
        summary: 'CSAT and NPS results',
        description: `Questions sent and answered, the response rate, the distribution, the CSAT average or the NPS score, in all and grouped by agent, queue or month (CLI: lupa feedback results). A group with fewer answers than LUPA_MIN_GROUP_SIZE shows no scores. ${rolesNote('feedback.results')}`,
        querystring: FilterQuery.extend({ by: z.enum(RESULT_GROUPINGS).default('month') }),
        response: { 200: ResultsSchema, ...errorResponses(['VALIDATION_FAILED']) },
      },
    },
    async (req) => feedbackResults({ feedback: app.stores.feedback, minGroup }, resultsQuery(req.query), req.query.by),
  );

  server.get(
    '/v1/feedback/comments',
    {
      onRequest: requirePermission(app, 'feedback.comments'),
      schema: {
        tags: ['feedback'],
        summary: 'Answers with a comment',
        description: `Newest first. A comment is the customer's own words (personal data): every answer listed is audited as a read of its customer. ${rolesNote('feedback.comments')}`,
        querystring: FilterQuery.extend({ limit: z.coerce.number().int().min(1).max(200).default(50) }),
        response: { 200: z.object({ answers: z.array(FeedbackSchema) }), ...errorResponses(['VALIDATION_FAILED']) },
      },
    },
    async (req) => {
      const answers = await app.stores.feedback.comments({ ...resultsQuery(req.query), limit: req.query.limit });
      await auditEntries(app, req, 'feedback.comments', answers.map((a) => ({ customerId: a.customerId, detail: { feedbackId: a.id } })));
      return { answers: answers.map(view) };
    },
  );

  server.post(
    '/v1/feedback/nps-surveys',
    {
      onRequest: requirePermission(app, 'feedback.send'),
      schema: {
        tags: ['feedback'],
        summary: 'Send an NPS survey to a sample',
        description: `Draws \`size\` customers (or \`fraction\` of all) in the order of md5(seed:id), decides research on the channel for each (rule 11: an existing customer on legitimate interest, unless they said no to research or to research on that channel) and sends the 0–10 question to those allowed (CLI: lupa feedback nps send). ${rolesNote('feedback.send')}`,
        body: NpsBody,
        response: { 201: NpsOutcomeSchema, ...errorResponses(['VALIDATION_FAILED', 'CONFIG_INVALID']) },
      },
    },
    async (req, reply) => {
      const b = req.body;
      const outcome = await sendNpsSurvey(feedbackDeps(app, mailer), { size: b.size, fraction: b.fraction, seed: b.seed, channel: b.channel, by: actorOf(req).id });
      return reply.code(201).send(outcome);
    },
  );

  server.get(
    '/v1/tickets/:id/feedback',
    {
      onRequest: requirePermission(app, 'tickets.read'),
      schema: {
        tags: ['tickets', 'feedback'],
        summary: "A ticket's CSAT question and answer",
        description: `Null when no question was asked (no customer, or not solved yet). An agent sees the feedback of tickets assigned to them. Audited. ${rolesNote('tickets.read')}`,
        params: z.strictObject({ id: z.coerce.number().int().positive().meta({ description: 'Ticket id', example: 1 }) }),
        response: { 200: z.object({ feedback: FeedbackSchema.nullable() }), ...errorResponses(['NOT_FOUND', 'FORBIDDEN']) },
      },
    },
    async (req) => {
      const ticket = await requireTicket({ tickets: app.stores.tickets }, req.params.id);
      const actor = actorOf(req);
      if (actor.role === 'agent' && ticket.assignee !== actor.id) {
        throw new DomainError('FORBIDDEN', `ticket ${ticket.id} is not assigned to you: an agent sees the feedback of their own tickets`, { field: 'id' });
      }
      const feedback = await app.stores.feedback.ofTicket(ticket.id);
      if (feedback !== null) await auditEntries(app, req, 'feedback.read', [{ customerId: feedback.customerId, detail: { ticketId: ticket.id, feedbackId: feedback.id } }]);
      return { feedback: feedback === null ? null : view(feedback) };
    },
  );
}
