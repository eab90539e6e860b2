/**
 * Request bodies known to be storable from their JSON text. The edge refuses text either store
 * cannot hold (core/storable-values.ts) by walking every parsed body; a body whose JSON text has
 * no NUL, no lone surrogate and no escape that could make one cannot hold such text, and is not
 * walked again: a regular expression over the text instead of an object per value (a batch of
 * site events spent a sixth of its CPU time in the walk).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { storableJsonText } from '../core/storable-values.ts';

const known = new WeakSet<object>();

/** Marks `value` (parsed from `text`) as storable when its text shows it is; returns `value`. */
export function parsedFrom<T>(value: T, text: string): T {
  if (typeof value === 'object' && value !== null && storableJsonText(text)) known.add(value);
  return value;
}

/** True when the request's body was parsed from text that cannot hold unstorable strings. */
export function bodyKnownStorable(req: FastifyRequest): boolean {
  const body = req.body;
  return typeof body === 'object' && body !== null && known.has(body);
}

/**
 * Replaces the JSON body parser with Fastify's own (prototype-poisoning checks included) that also
 * marks what it parsed (parsedFrom).
 */
export function markStorableJsonBodies(server: FastifyInstance): void {
  const parseJson = server.getDefaultJsonParser('error', 'error');
  server.removeContentTypeParser('application/json');
  server.addContentTypeParser('application/json', { parseAs: 'string' }, (req, text, done) => {
    parseJson(req, text as string, (err, value) => (err === null ? done(null, parsedFrom(value, text as string)) : done(err, undefined)));
  });
}
