/**
 * Interests (docs/segments-and-predictions.md, "Interests"): the topics (`/v1/interests/topics`),
 * one customer's stated and inferred interests (`/v1/customers/{id}/interests`: read audited, a
 * stated interest recorded by an agent appended), and the inference run on demand.
 */
import { z } from 'zod';
import type { App } from '../../composition-root.ts';
import { INTEREST_SOURCES, INTEREST_VALUES, type CustomerInterests } from '../../core/interests/interests.ts';
import { addTopic, changeTopic, customerInterests, interestDeps, recordInterest, refreshInterests } from '../../use-cases/interests/interests.ts';
import { auditCustomers } from '../audit.ts';
import { actorOf, requirePermission, rolesNote } from '../auth.ts';
import { errorResponses } from '../errors.ts';
import { CustomerIdParams } from '../schemas.ts';
import type { ZodServer } from '../zod-provider.ts';

const NamesSchema = z.object({ fi: z.string(), sv: z.string(), en: z.string() });
const TopicSchema = z.object({
  code: z.string().meta({ example: 'home_garden' }),
  names: NamesSchema,
  categories: z.array(z.string()).meta({ description: 'Product categories whose trials count toward the topic' }),
});
const TopicCode = z.string().max(40).meta({ description: 'Topic code: lower-case letters, digits and _', example: 'sport' });

const InterestsSchema = z.object({
  customerId: z.string(),
  stated: z
    .array(
      z.object({
        topic: z.string(),
        value: z.enum(INTEREST_VALUES),
        source: z.enum(INTEREST_SOURCES),
        actor: z.string(),
        at: z.string(),
        recordedAt: z.string(),
      }),
    )
    .meta({ description: 'The latest stated record per topic (the earlier ones stay in the store)' }),
  inferred: z
    .array(z.object({ topic: z.string(), weight: z.number().meta({ description: '0–1, halved every LUPA_INTEREST_HALF_LIFE_DAYS since the trial' }), computedAt: z.string() }))
    .meta({ description: 'Inferred from trials; empty for a person who objected to profiling or direct marketing' }),
});

const RefreshSchema = z.object({ inferred: z.number().int(), customers: z.number().int(), computedAt: z.string(), ms: z.number().int() });

function view(i: CustomerInterests): z.infer<typeof InterestsSchema> {
  return {
    customerId: i.customerId,
    stated: i.stated.map(({ topic, value, source, actor, at, recordedAt }) => ({ topic, value, source, actor, at, recordedAt })),
    inferred: i.inferred.map((x) => ({ ...x, weight: Math.round(x.weight * 1000) / 1000 })),
  };
}

export function interestRoutes(server: ZodServer, app: App): void {
  const deps = interestDeps(app);

  server.get(
    '/v1/interests/topics',
    {
      onRequest: requirePermission(app, 'interests.topics'),
      schema: { tags: ['interests'], summary: 'Interest topics', description: `In the order the preference page offers them (CLI: lupa interests topics). ${rolesNote('interests.topics')}`, response: { 200: z.object({ topics: z.array(TopicSchema) }) } },
    },
    async () => ({ topics: await app.stores.interests.topics() }),
  );

  server.post(
    '/v1/interests/topics',
    {
      onRequest: requirePermission(app, 'interests.manage'),
      schema: {
        tags: ['interests'],
        summary: 'Add an interest topic',
        description: `Offered on the preference page from now on; its categories' trials count toward it from the next inference (CLI: lupa interests add-topic). ${rolesNote('interests.manage')}`,
        body: z.strictObject({ code: TopicCode, names: z.strictObject({ fi: z.string().max(100), sv: z.string().max(100), en: z.string().max(100) }), categories: z.array(z.string().max(100)).max(100).optional() }),
        response: { 201: TopicSchema, ...errorResponses(['VALIDATION_FAILED', 'TOPIC_EXISTS']) },
      },
    },
    async (req, reply) => reply.code(201).send(await addTopic(deps, req.body)),
  );

  server.patch(
    '/v1/interests/topics/:code',
    {
      onRequest: requirePermission(app, 'interests.manage'),
      schema: {
        tags: ['interests'],
        summary: 'Rename an interest topic or change its categories',
        description: `Names not given are kept; categories, when given, replace the list (CLI: lupa interests change-topic). ${rolesNote('interests.manage')}`,
        params: z.strictObject({ code: TopicCode }),
        body: z.strictObject({
          names: z.strictObject({ fi: z.string().max(100).optional(), sv: z.string().max(100).optional(), en: z.string().max(100).optional() }).optional(),
          categories: z.array(z.string().max(100)).max(100).optional(),
        }),
        response: { 200: TopicSchema, ...errorResponses(['VALIDATION_FAILED', 'UNKNOWN_TOPIC']) },
      },
    },
    async (req) => changeTopic(deps, req.params.code, req.body),
  );

  server.get(
    '/v1/customers/:id/interests',
    {
      onRequest: requirePermission(app, 'interests.read'),
      schema: {
        tags: ['interests'],
        summary: "A customer's interests",
        description: `Stated (the latest record per topic) and inferred (with weights). Audited as a read of the customer's data (CLI: lupa interests show ID). ${rolesNote('interests.read')}`,
        params: CustomerIdParams,
        response: { 200: InterestsSchema, ...errorResponses(['UNKNOWN_CUSTOMER']) },
      },
    },
    async (req) => {
      const interests = await customerInterests(deps, req.params.id);
      await auditCustomers(app, req, 'interests.read', [req.params.id]);
      return view(interests);
    },
  );

  server.post(
    '/v1/customers/:id/interests',
    {
      onRequest: requirePermission(app, 'interests.record'),
      schema: {
        tags: ['interests'],
        summary: "Record a customer's stated interest",
        description:
          'What the customer told an agent: appended with source `agent` and the caller as actor, never edited. `not_interested` also takes an inferred ' +
          `interest in the topic away at once (CLI: lupa interests record ID TOPIC --value …). ${rolesNote('interests.record')}`,
        params: CustomerIdParams,
        body: z.strictObject({ topic: TopicCode, value: z.enum(INTEREST_VALUES) }),
        response: { 201: InterestsSchema, ...errorResponses(['UNKNOWN_CUSTOMER', 'UNKNOWN_TOPIC']) },
      },
    },
    async (req, reply) => {
      const actor = actorOf(req);
      const after = await recordInterest(deps, { customerId: req.params.id, topic: req.body.topic, value: req.body.value, source: 'agent', actor: `${actor.id} (${actor.name})` });
      await auditCustomers(app, req, 'interests.record', [req.params.id], { topic: req.body.topic, value: req.body.value });
      return reply.code(201).send(view(after));
    },
  );

  server.post(
    '/v1/interests/refresh',
    {
      onRequest: requirePermission(app, 'interests.refresh'),
      schema: {
        tags: ['interests'],
        summary: 'Recompute the inferred interests',
        description: `Every customer who may be profiled, from their trials, as of now; the server also does it before each segment refresh (CLI: lupa interests refresh). ${rolesNote('interests.refresh')}`,
        response: { 200: RefreshSchema },
      },
    },
    async () => refreshInterests(deps),
  );
}
