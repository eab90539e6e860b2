/**
 * The suppression list over the API: search it (`suppressions.read`), add a manual entry and lift
 * an entry with a note (`suppressions.manage`). Each call is audited by the use case under the
 * caller's key or console user.
 */
import { z } from 'zod';
import type { App } from '../../composition-root.ts';
import { ADDRESS_MATCHES, MAX_NOTE_LENGTH, SUPPRESSION_STATES, type SuppressionEntry } from '../../core/suppression-list.ts';
import { actorNames } from '../../use-cases/register-reads.ts';
import { SUPPRESSION_REASONS } from '../../core/vocabulary.ts';
import { addManualSuppression, liftSuppression, searchSuppressions, type SuppressionDeps } from '../../use-cases/suppressions.ts';
import { actorOf, requirePermission, rolesNote } from '../auth.ts';
import { errorResponses } from '../errors.ts';
import { ChannelSchema, NextSchema, pageQuery } from '../schemas.ts';
import type { ZodServer } from '../zod-provider.ts';

const ReasonSchema = z.enum(SUPPRESSION_REASONS).meta({ example: 'manual' });

/** A time as stored: ISO-8601 UTC with milliseconds. */
const Time = z.string().meta({ example: '2026-11-03T08:00:00.000Z' });

const SuppressionEntrySchema = z.object({
  id: z.number().int().meta({ description: 'Paging key: entries are numbered in the order they were recorded' }),
  channel: ChannelSchema,
  address: z.string().meta({ description: 'The address as stored: e-mail lowercased, phone in E.164, post as `street|postcode`' }),
  reason: ReasonSchema,
  at: Time.meta({ description: 'From when it counts' }),
  validUntil: Time.nullable(),
  recordedAt: Time,
  source: z.string().meta({ description: 'Where it came from (dsn, import, sms_stop…); for a manual entry, who added it (console user id, API key id, `cli:USER`)' }),
  sourceName: z.string().nullable().meta({ description: "Who `source` is, when it names a console user (their e-mail) or an API key (`key \"NAME\"`); null otherwise" }),
  note: z.string().nullable().meta({ description: 'Why a person added it (manual entries)' }),
  liftedAt: Time.nullable().meta({ description: 'From when it no longer counts; null while it stands' }),
  lift: z
    .object({
      at: Time,
      recordedAt: Time,
      source: z.string().meta({ description: "Who lifted it (console user id, API key id, `cli:USER`), or what (`preference_centre`: the person's own consent)" }),
      sourceName: z.string().nullable().meta({ description: 'Who `source` is, as for the entry' }),
      note: z.string().nullable(),
    })
    .nullable(),
});

const NoteSchema = z.string().max(MAX_NOTE_LENGTH);

const SearchQuery = z.strictObject({
  address: z.string().max(320).optional().meta({ description: 'The address, or its start (see `match`)', example: 'anna@' }),
  match: z.enum(ADDRESS_MATCHES).optional().meta({ description: '`prefix` (default): addresses that start so; `exact`: the whole address, read as an entry is' }),
  channel: ChannelSchema.optional(),
  reason: ReasonSchema.optional(),
  state: z.enum(SUPPRESSION_STATES).optional().meta({ description: '`active`: never lifted; `lifted`: lifted' }),
  ...pageQuery(z.coerce.number().int().positive()),
});

const AddBody = z.strictObject({
  channel: ChannelSchema,
  address: z.string().min(1).max(320).meta({ description: 'E-mail address, phone number, or for post `street|postcode` or `Street 1 A 2, 00100 Helsinki`; stored in canonical form', example: 'anna@example.fi' }),
  note: NoteSchema.meta({ description: 'Why (required), e.g. "Asked by letter of 3.11.2026 never to be sent marketing"', example: 'Asked by letter not to be sent marketing' }),
});

const LiftBody = z.strictObject({
  note: NoteSchema.optional().meta({ description: 'Why it is lifted; required (SUPPRESSION_LIFT_NEEDS_NOTE without one)', example: 'Address confirmed working by the customer on the phone' }),
});

const IdParams = z.strictObject({ id: z.coerce.number().int().positive().meta({ description: 'Suppression id' }) });

/** Entries with the names of the people and keys their sources are, as the audit log names actors. */
async function withNames(app: App, entries: readonly SuppressionEntry[]) {
  const names = await actorNames(app.stores, entries.flatMap((e) => [e.source, ...(e.lift === null ? [] : [e.lift.source])]));
  const name = (source: string): string | null => names.get(source) ?? null;
  return entries.map((e) => ({ ...e, sourceName: name(e.source), lift: e.lift === null ? null : { ...e.lift, sourceName: name(e.lift.source) } }));
}

async function oneWithNames(app: App, entry: SuppressionEntry) {
  const [named] = await withNames(app, [entry]);
  return named ?? { ...entry, sourceName: null, lift: entry.lift === null ? null : { ...entry.lift, sourceName: null } };
}

export function suppressionRoutes(server: ZodServer, app: App): void {
  const deps: SuppressionDeps = { suppressions: app.stores.suppressions, audit: app.stores.audit, now: app.now };
  const tags = ['suppressions'];

  server.get(
    '/v1/suppressions',
    {
      onRequest: requirePermission(app, 'suppressions.read'),
      schema: {
        tags,
        summary: 'Search the suppression list',
        description:
          'Suppressions newest first, filtered by address (prefix or exact, read in canonical form), channel, reason and state; keyset-paged: pass `next` as `after`. ' +
          `Audited (\`suppressions.search\`, naming the filters used, not their values). ${rolesNote('suppressions.read')}`,
        querystring: SearchQuery,
        response: { 200: z.object({ suppressions: z.array(SuppressionEntrySchema), next: NextSchema }), ...errorResponses(['VALIDATION_FAILED', 'UNKNOWN_CHANNEL']) },
      },
    },
    async (req) => {
      const page = await searchSuppressions(deps, actorOf(req), req.query);
      return { ...page, suppressions: await withNames(app, page.suppressions) };
    },
  );

  server.post(
    '/v1/suppressions',
    {
      onRequest: requirePermission(app, 'suppressions.manage'),
      schema: {
        tags,
        summary: 'Add a manual suppression',
        description:
          'Suppresses one channel address from now on (reason `manual`) with a note saying why. It blocks marketing uses as an unsubscribe does; service messages still go. ' +
          `Audited (\`suppressions.add\`). ${rolesNote('suppressions.manage')}`,
        body: AddBody,
        response: { 201: SuppressionEntrySchema, ...errorResponses(['VALIDATION_FAILED', 'UNKNOWN_CHANNEL']) },
      },
    },
    async (req, reply) => reply.code(201).send(await oneWithNames(app, await addManualSuppression(deps, actorOf(req), req.body))),
  );

  server.post(
    '/v1/suppressions/:id/lift',
    {
      onRequest: requirePermission(app, 'suppressions.manage'),
      schema: {
        tags,
        summary: 'Lift a suppression',
        description:
          'Ends a manual suppression, hard bounce or complaint from now on, with a note saying why; the lift is appended and the entry stays. ' +
          'An unsubscribe is lifted only by the person\'s own consent and a Robinson entry never (`SUPPRESSION_NOT_LIFTABLE`). ' +
          `Audited (\`suppressions.lift\`). ${rolesNote('suppressions.manage')}`,
        params: IdParams,
        body: LiftBody,
        response: {
          200: SuppressionEntrySchema,
          ...errorResponses(['VALIDATION_FAILED', 'NOT_FOUND', 'SUPPRESSION_NOT_LIFTABLE', 'SUPPRESSION_LIFT_NEEDS_NOTE', 'SUPPRESSION_ALREADY_LIFTED']),
        },
      },
    },
    async (req) => oneWithNames(app, await liftSuppression(deps, actorOf(req), { id: req.params.id, note: req.body.note })),
  );
}
