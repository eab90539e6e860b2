/**
 * Call records and recordings over HTTP (docs/calls-and-recordings.md): the telephony system or an
 * agent records a call and attaches its recording; agents and the DPO read a customer's calls and
 * play recordings, each read and playback audited. A marketer reaches none of it.
 */
import { Readable } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { App } from '../../composition-root.ts';
import { CALL_DIRECTIONS, CALL_OUTCOMES, CALL_PURPOSES } from '../../core/calls/call.ts';
import { RECORDING_FORMATS } from '../../core/calls/recording.ts';
import { DomainError } from '../../core/errors.ts';
import type { Instant } from '../../core/records.ts';
import { parseInstant } from '../../core/time.ts';
import { recordingSetup } from '../../recordings-setup.ts';
import { callsOfCustomer, getCall, MAX_CALLS, recordCall, type CallActor } from '../../use-cases/calls/calls.ts';
import { attachRecording, playRecording } from '../../use-cases/calls/recordings.ts';
import { actorOf, requirePermission, rolesNote } from '../auth.ts';
import { errorResponses } from '../errors.ts';
import { CustomerIdParams, CustomerIdSchema, InstantSchema } from '../schemas.ts';
import type { ZodServer } from '../zod-provider.ts';

const tags = ['calls'];
/** Where the upload's stream is kept on the request body. */
const AUDIO = Symbol('audio');
const text = (max: number) => z.string().trim().min(1).max(max);
const CallIdParams = z.strictObject({ id: z.coerce.number().int().positive().meta({ description: 'Call id', example: 1 }) });
const RecordingIdParams = z.strictObject({ id: z.coerce.number().int().positive().meta({ description: 'Recording id', example: 1 }) });

const RecordingSchema = z.object({
  id: z.number(),
  callId: z.number(),
  customerId: z.string(),
  format: z.enum(['wav', 'mp3', 'opus']),
  bytes: z.number().meta({ description: 'Size of the audio (before encryption)' }),
  startedAt: z.string(),
  noticePlayedAt: z.string(),
  retentionEndsAt: z.string().meta({ description: 'The recording and its metadata are deleted after this time' }),
  attachedAt: z.string(),
  attachedBy: z.string(),
});

export const CallSchema = z.object({
  id: z.number(),
  externalId: z.string().nullable(),
  direction: z.enum(CALL_DIRECTIONS),
  agent: z.string(),
  customerId: z.string(),
  number: z.string(),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
  queue: z.string().nullable(),
  callList: z.string().nullable(),
  purpose: z.enum(CALL_PURPOSES),
  outcome: z.enum(CALL_OUTCOMES),
  callbackAt: z.string().nullable(),
  recordedAt: z.string(),
  recordedBy: z.string(),
  optedOut: z.boolean().meta({ description: "The call recorded a phone-marketing opt-out (outcome `do_not_call`)" }),
  recordings: z.array(RecordingSchema),
});

const CallBody = z.strictObject({
  direction: z.enum(CALL_DIRECTIONS),
  agent: text(100).meta({ description: 'The agent who took or made the call', example: 'agent-17' }),
  customerId: CustomerIdSchema,
  number: text(40).meta({ description: "The customer's number; without a country code it is Finnish", example: '+358401234567' }),
  startedAt: InstantSchema,
  endedAt: InstantSchema.optional(),
  queue: text(100).optional().meta({ description: 'The inbound queue' }),
  callList: text(100).optional().meta({ description: 'The call list an outbound call came from' }),
  purpose: z.enum(CALL_PURPOSES),
  outcome: z.enum(CALL_OUTCOMES),
  callbackAt: InstantSchema.optional().meta({ description: 'When to call back: exactly with the outcome `callback`' }),
  externalId: text(200).optional().meta({ description: "The telephony system's id of the call: the same id sent again is the same call" }),
});

const who = (req: FastifyRequest): CallActor => {
  const actor = actorOf(req);
  return { actor: actor.id, role: actor.role };
};

export function callRecordRoutes(server: ZodServer, app: App): void {
  const deps = { calls: app.stores.calls, customers: app.stores.customers, audit: app.stores.audit, now: app.now };

  server.post(
    '/v1/calls',
    {
      onRequest: requirePermission(app, 'calls.write'),
      schema: {
        tags,
        summary: 'Record a call',
        description:
          'From the telephony system or an agent. The outcome `do_not_call` ("don\'t call me") records a phone-marketing opt-out in the ledger in the same transaction (source `call`, evidence `call:<id>`): the next call list leaves the person out. ' +
          `A call with an \`externalId\` already recorded is answered 200 with the stored call. Audited. ${rolesNote('calls.write')}`,
        body: CallBody,
        response: { 201: CallSchema, 200: CallSchema, ...errorResponses(['VALIDATION_FAILED', 'INVALID_DATE', 'UNKNOWN_CUSTOMER']) },
      },
    },
    async (req, reply) => {
      const b = req.body;
      const { call, created } = await recordCall(
        deps,
        { ...b, endedAt: b.endedAt ?? null, queue: b.queue ?? null, callList: b.callList ?? null, callbackAt: b.callbackAt ?? null, externalId: b.externalId ?? null },
        who(req),
      );
      return reply.code(created ? 201 : 200).send(call);
    },
  );

  server.get(
    '/v1/calls/:id',
    {
      onRequest: requirePermission(app, 'calls.read'),
      schema: { tags, summary: 'Read a call', description: `With its recordings' metadata. Audited. ${rolesNote('calls.read')}`, params: CallIdParams, response: { 200: CallSchema, ...errorResponses(['VALIDATION_FAILED', 'UNKNOWN_CALL']) } },
    },
    async (req) => getCall(deps, req.params.id, who(req)),
  );

  server.get(
    '/v1/customers/:id/calls',
    {
      onRequest: requirePermission(app, 'calls.read'),
      schema: {
        tags,
        summary: "A customer's calls",
        description: `Newest first, each with its recordings' metadata. Audited. ${rolesNote('calls.read')}`,
        params: CustomerIdParams,
        querystring: z.strictObject({ limit: z.coerce.number().int().min(1).max(MAX_CALLS).default(50) }),
        response: { 200: z.object({ customerId: z.string(), calls: z.array(CallSchema) }), ...errorResponses(['VALIDATION_FAILED', 'UNKNOWN_CUSTOMER']) },
      },
    },
    async (req) => ({ customerId: req.params.id, calls: await callsOfCustomer(deps, req.params.id, req.query.limit, who(req)) }),
  );

  server.get(
    '/v1/recordings/:id/audio',
    {
      onRequest: requirePermission(app, 'recordings.play'),
      schema: {
        tags,
        summary: 'Play a recording',
        description: `The audio, decrypted as it is sent; a \`Range: bytes=…\` request is answered 206 with that part. Every playback is audited. ${rolesNote('recordings.play')}`,
        params: RecordingIdParams,
        produces: ['audio/wav', 'audio/mpeg', 'audio/ogg'],
        response: { 200: z.string().meta({ description: 'the audio' }), 206: z.string().meta({ description: 'part of the audio' }), 416: z.string().meta({ description: 'The range is outside the recording; `Content-Range` names its size' }), ...errorResponses(['VALIDATION_FAILED', 'UNKNOWN_RECORDING']) },
      },
    },
    async (req, reply) => {
      const setup = recordingSetup(app);
      const range = parseRange(req.headers.range);
      let playback;
      try {
        playback = await playRecording({ ...deps, files: setup.files, key: setup.key }, { id: req.params.id, range }, who(req));
      } catch (err) {
        if (err instanceof DomainError && err.field === 'range') {
          return reply.code(416).header('content-range', `bytes */${String(err.details?.['size'] ?? '*')}`).send('');
        }
        throw err;
      }
      const { start, end, size } = playback;
      void reply
        .code(playback.partial ? 206 : 200)
        .type(playback.mediaType)
        .header('accept-ranges', 'bytes')
        .header('cache-control', 'no-store')
        .header('content-length', String(size === 0 ? 0 : end - start + 1));
      if (playback.partial) void reply.header('content-range', `bytes ${start}-${end}/${size}`);
      return reply.send(Readable.from(playback.audio) as unknown as string); // a stream is sent as it is
    },
  );

  // The audio arrives as its own bytes, not JSON: read as a stream in this route's own context,
  // whatever its type (the use case refuses a type it does not take, by its code).
  void server.register(async (audio) => {
    // Under a symbol key: the server's check of stored text walks a body's own fields, not a stream's.
    audio.addContentTypeParser('*', (_req, payload, done) => done(null, { [AUDIO]: payload }));
    recordingUploadRoute(audio, app);
  });
}

function recordingUploadRoute(server: ZodServer, app: App): void {
  server.post(
    '/v1/calls/:id/recording',
    {
      onRequest: requirePermission(app, 'recordings.attach'),
      schema: {
        tags,
        summary: "Attach a call's recording",
        description:
          `The audio as the request body (\`Content-Type\`: ${Object.keys(RECORDING_FORMATS).join(', ')} for Opus); its first bytes must be that format. ` +
          'When the recording started and when the call\'s recording notice was played: query `startedAt` and `noticePlayedAt` (or headers `Recording-Started-At`, `Notice-Played-At`). ' +
          'Refused (422 `RECORDING_BEFORE_NOTICE`) without a notice time or when the recording started before it (compliance rule 10). Encrypted at rest; kept until its retention ends. ' +
          `Audited. ${rolesNote('recordings.attach')}`,
        params: CallIdParams,
        querystring: z.strictObject({ startedAt: InstantSchema.optional(), noticePlayedAt: InstantSchema.optional() }),
        response: { 201: RecordingSchema, ...errorResponses(['VALIDATION_FAILED', 'INVALID_DATE', 'UNKNOWN_CALL', 'RECORDING_BEFORE_NOTICE', 'RECORDING_FORMAT_INVALID', 'INPUT_TOO_LARGE', 'CONFIG_INVALID']) },
      },
    },
    async (req, reply) => {
      const setup = recordingSetup(app);
      const startedAt = req.query.startedAt ?? headerInstant(req, 'recording-started-at', 'startedAt');
      const noticePlayedAt = req.query.noticePlayedAt ?? headerInstant(req, 'notice-played-at', 'noticePlayedAt');
      const recording = await attachRecording(
        { calls: app.stores.calls, audit: app.stores.audit, now: app.now, ...setup },
        { callId: req.params.id, mediaType: req.headers['content-type'] ?? '', startedAt, noticePlayedAt, audio: (req.body as { [AUDIO]: AsyncIterable<Uint8Array> })[AUDIO] },
        who(req),
      );
      return reply.code(201).send(recording);
    },
  );
}

function headerInstant(req: FastifyRequest, name: string, field: string): Instant | null {
  const value = req.headers[name];
  return typeof value === 'string' && value !== '' ? parseInstant(value, field) : null;
}

/**
 * One byte range of a `Range` header (`bytes=0-99`, `bytes=100-`, `bytes=-500` as the last 500), or
 * null to send the whole (no header, several ranges, or a form not understood: RFC 9110 §14.2 lets
 * a server ignore it). A suffix range is given as its start from the end, resolved against the size.
 */
export function parseRange(header: string | undefined): { start: number; end: number | null } | null {
  const m = header === undefined ? null : /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (m === null) return null;
  const [, from = '', to = ''] = m;
  if (from === '' && to === '') return null;
  if (from === '') return { start: -Number(to), end: null };
  return { start: Number(from), end: to === '' ? null : Number(to) };
}
