/**
 * Zod as Fastify's schema language: routes declare zod schemas, Fastify validates with them (so a
 * handler sees typed, transformed input), and the OpenAPI document is generated from the same
 * schemas. One source for validation, types and docs; nothing can drift.
 */
import type {
  FastifyBaseLogger,
  FastifyInstance,
  FastifySchema,
  FastifySchemaCompiler,
  FastifyTypeProvider,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import { z } from 'zod';
import { DomainError } from '../core/errors.ts';
import { CHANNELS, PURPOSES } from '../core/vocabulary.ts';

export interface ZodTypeProvider extends FastifyTypeProvider {
  validator: this['schema'] extends z.ZodType ? z.output<this['schema']> : unknown;
  serializer: this['schema'] extends z.ZodType ? z.input<this['schema']> : unknown;
}

export type ZodServer = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;

/** What a refinement puts in `params.errorCode` to get a code other than VALIDATION_FAILED. */
export type IssueErrorCode = 'INVALID_DATE';

const PART_NAMES: Record<string, string> = { body: 'body', querystring: 'query', params: 'params', headers: 'headers' };

export const validatorCompiler: FastifySchemaCompiler<z.ZodType> =
  ({ schema, httpPart }) =>
  (data: unknown) => {
    const result = schema.safeParse(data);
    if (result.success) return { value: result.data };
    // A field not known is named first: {"rules": …} is told "rules is not a known field", not that
    // `rule` is missing, which left the caller to guess what was wrong with what they sent.
    const issues = result.error.issues;
    return { error: errorFromIssue(issues.find((i) => i.code === 'unrecognized_keys') ?? issues[0], PART_NAMES[httpPart ?? 'body'] ?? 'body') };
  };

/**
 * Responses are written with JSON.stringify: the response schemas document the contract (and the
 * tests check replies against them) but do not filter fields at run time.
 */
export const serializerCompiler = () => (data: unknown): string => JSON.stringify(data);

function sameValues(a: readonly unknown[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((v) => typeof v === 'string' && b.includes(v));
}

/** The first zod issue as the DomainError the API promises: stable code, field as a dotted path. */
export function errorFromIssue(issue: z.core.$ZodIssue | undefined, part: string): DomainError {
  if (issue === undefined) return new DomainError('VALIDATION_FAILED', `${part} is invalid`, { field: part });
  const path = issue.path.map(String);
  if (issue.code === 'unrecognized_keys' && issue.keys[0] !== undefined) path.push(issue.keys[0]);
  const field = path.length === 0 ? part : path.join('.');
  if (issue.code === 'invalid_value' && sameValues(issue.values, PURPOSES)) {
    return new DomainError('UNKNOWN_PURPOSE', `${field} must be one of ${PURPOSES.join(', ')}`, { field });
  }
  if (issue.code === 'invalid_value' && sameValues(issue.values, CHANNELS)) {
    return new DomainError('UNKNOWN_CHANNEL', `${field} must be one of ${CHANNELS.join(', ')}`, { field });
  }
  if (issue.code === 'custom' && issue.params?.['errorCode'] === 'INVALID_DATE') {
    return new DomainError('INVALID_DATE', `${field} ${issue.message}`, { field });
  }
  if (issue.code === 'unrecognized_keys') return new DomainError('VALIDATION_FAILED', `${field} is not a known field`, { field });
  // zod says "Invalid input: expected string, received undefined" of a field left out.
  if (issue.code === 'invalid_type' && / received undefined$/.test(issue.message)) return new DomainError('VALIDATION_FAILED', `${field} is required`, { field });
  return new DomainError('VALIDATION_FAILED', `${field}: ${issue.message}`, { field });
}

const REQUEST_PARTS = ['body', 'querystring', 'params', 'headers'] as const;

function toJsonSchema(schema: unknown, io: 'input' | 'output'): unknown {
  if (!(schema instanceof z.ZodType)) return schema;
  const { $schema: _dialect, ...json } = z.toJSONSchema(schema, { target: 'openapi-3.0', io, unrepresentable: 'any' });
  return json;
}

/** `@fastify/swagger` transform: zod schemas of a route become OpenAPI 3.0 schemas. */
export function zodToOpenApi({ schema, url }: { schema: FastifySchema; url: string }): { schema: FastifySchema; url: string } {
  if (schema === undefined || schema === null) return { schema, url };
  const out: Record<string, unknown> = { ...schema };
  for (const part of REQUEST_PARTS) {
    if (schema[part] !== undefined) out[part] = toJsonSchema(schema[part], 'input');
  }
  if (schema.response !== undefined && typeof schema.response === 'object' && schema.response !== null) {
    out['response'] = Object.fromEntries(Object.entries(schema.response).map(([code, s]) => [code, toJsonSchema(s, 'output')]));
  }
  return { schema: out, url };
}
