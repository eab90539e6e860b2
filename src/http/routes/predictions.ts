/**
 * Purchase predictions over the API (docs/segments-and-predictions.md, "Predictions"): train a model
 * as of a time, list the models and read one with its calibration, (re)compute its scores. Scores
 * are written for customers who may be profiled only, and no route exports them with names.
 */
import { z } from 'zod';
import type { App } from '../../composition-root.ts';
import { MAX_HORIZON_DAYS, MODEL_KINDS, type PredictionModel } from '../../core/predictions/model.ts';
import { getModel, listModels, scoreModel, trainModel } from '../../use-cases/predictions/predictions.ts';
import { requirePermission, rolesNote } from '../auth.ts';
import { errorResponses } from '../errors.ts';
import { InstantSchema } from '../schemas.ts';
import type { ZodServer } from '../zod-provider.ts';

const WindowSchema = z.object({ featuresAt: z.string(), labelsUntil: z.string() });

const CalibrationSchema = z.object({
  decile: z.number().int().meta({ description: '1 = the tenth with the lowest scores' }),
  customers: z.number().int(),
  predicted: z.number().meta({ description: 'Mean predicted probability in the decile' }),
  observed: z.number().meta({ description: 'Share of the decile for whom it happened' }),
});

const ModelSummarySchema = z.object({
  id: z.number().int(),
  kind: z.enum(MODEL_KINDS),
  category: z.string().nullable(),
  horizonDays: z.number().int(),
  asOf: z.string().meta({ description: 'Nothing recorded or started after this was read' }),
  trainedAt: z.string(),
  auc: z.number().nullable().meta({ description: 'ROC AUC on the held-out period (null: one outcome only)' }),
  trainedOn: z.number().int(),
  evaluatedOn: z.number().int(),
  scoredAt: z.string().nullable(),
});

const ListedModelSchema = ModelSummarySchema.extend({
  usedForOffers: z.boolean().meta({ description: 'Its scores rank offers: the latest propensity model of its category with scores computed' }),
});

const ModelSchema = ModelSummarySchema.extend({
  features: z.array(z.string()),
  coefficients: z.array(z.number()).meta({ description: 'Intercept first, then one per feature (standardised features)' }),
  calibration: z.array(CalibrationSchema),
  windows: z.object({ train: WindowSchema, heldOut: WindowSchema, scoreAt: z.string() }),
});

function summary(m: PredictionModel): z.infer<typeof ModelSummarySchema> {
  return {
    id: m.id,
    kind: m.kind,
    category: m.category,
    horizonDays: m.horizonDays,
    asOf: m.asOf,
    trainedAt: m.trainedAt,
    auc: m.auc,
    trainedOn: m.trainedOn,
    evaluatedOn: m.evaluatedOn,
    scoredAt: m.scoredAt,
  };
}

function full(m: PredictionModel): z.infer<typeof ModelSchema> {
  return { ...summary(m), features: m.features, coefficients: m.model.coefficients, calibration: m.calibration, windows: m.windows };
}

const params = z.strictObject({ id: z.coerce.number().int().positive().meta({ description: 'Model id', example: 1 }) });

const TrainBody = z.strictObject({
  model: z.enum(MODEL_KINDS).meta({ description: 'propensity: a new order in the category within the horizon; churn: a running subscription ends within it' }),
  category: z.string().min(1).optional().meta({ description: 'Product category (propensity: required; churn: optional)', example: 'daily' }),
  horizonDays: z.number().int().min(1).max(MAX_HORIZON_DAYS).meta({ example: 90 }),
  asOf: InstantSchema.optional().meta({ description: 'Read nothing recorded or started after this (default: now)' }),
});

export function predictionRoutes(server: ZodServer, app: App): void {
  const deps = { predictions: app.stores.predictions, now: app.now };
  server.post(
    '/v1/predictions/models',
    {
      onRequest: requirePermission(app, 'predictions.manage'),
      schema: {
        tags: ['predictions'],
        summary: 'Train a model',
        description:
          'Learns from the records known at `asOf` (features at asOf − 2·horizon, outcomes in the next horizon) and measures ROC AUC and calibration on the held-out period after it (features at asOf − horizon, outcomes until asOf); only customers who may be profiled now are read. ' +
          `CLI: lupa predict train. ${rolesNote('predictions.manage')}`,
        body: TrainBody,
        response: { 201: ModelSchema, ...errorResponses(['VALIDATION_FAILED', 'INVALID_DATE']) },
      },
    },
    async (req, reply) => {
      const model = await trainModel(deps, { kind: req.body.model, category: req.body.category, horizonDays: req.body.horizonDays, asOf: req.body.asOf });
      return reply.code(201).send(full(model));
    },
  );
  server.get(
    '/v1/predictions/models',
    {
      onRequest: requirePermission(app, 'predictions.read'),
      schema: {
        tags: ['predictions'],
        summary: 'List models',
        description: `Newest first, with the held-out AUC. CLI: lupa predict models. ${rolesNote('predictions.read')}`,
        response: { 200: z.object({ models: z.array(ListedModelSchema) }), ...errorResponses([]) },
      },
    },
    async () => ({ models: (await listModels(deps)).map((m) => ({ ...summary(m), usedForOffers: m.usedForOffers })) }),
  );
  server.get(
    '/v1/predictions/models/:id',
    {
      onRequest: requirePermission(app, 'predictions.read'),
      schema: {
        tags: ['predictions'],
        summary: 'One model',
        description: `With its features, coefficients, windows and the calibration deciles of the held-out period. ${rolesNote('predictions.read')}`,
        params,
        response: { 200: ModelSchema, ...errorResponses(['NOT_FOUND']) },
      },
    },
    async (req) => full(await getModel(deps, req.params.id)),
  );
  server.post(
    '/v1/predictions/models/:id/score',
    {
      onRequest: requirePermission(app, 'predictions.manage'),
      schema: {
        tags: ['predictions'],
        summary: "Compute a model's scores",
        description:
          "Scores every customer who may be profiled now (from the records as of the model's asOf), replacing the model's earlier scores; nobody else gets one. Answers with the count only: scores are not exported over the API. " +
          `CLI: lupa predict score. ${rolesNote('predictions.manage')}`,
        params,
        response: { 200: z.object({ model: z.number().int(), scored: z.number().int(), computedAt: z.string() }), ...errorResponses(['NOT_FOUND']) },
      },
    },
    async (req) => scoreModel(deps, req.params.id),
  );
}
