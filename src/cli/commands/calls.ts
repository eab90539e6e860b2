/**
 * `lupa calls` and `lupa recordings` (docs/calls-and-recordings.md): record a call and list a
 * customer's calls; attach a recording from a file, and delete the recordings whose retention
 * ended. Reads are audited under the operating-system user, as every CLI read of a customer.
 */
import { createReadStream } from 'node:fs';
import type { Command } from 'commander';
import { CALL_DIRECTIONS, CALL_OUTCOMES, CALL_PURPOSES } from '../../core/calls/call.ts';
import { DomainError } from '../../core/errors.ts';
import { parseInstant } from '../../core/time.ts';
import { isOneOf } from '../../core/vocabulary.ts';
import { cliActor, printJson, withApp } from '../context.ts';
import { counted } from '../counted.ts';
import { positive } from '../parse-options.ts';
import { printTable } from '../table.ts';
import { registerPhoneSales } from './phone-sales.ts';

function oneOf<T extends string>(values: readonly T[], value: string, field: string): T {
  if (!isOneOf(values, value)) throw new DomainError('VALIDATION_FAILED', `${field} must be one of ${values.join(', ')} (got ${JSON.stringify(value)})`, { field });
  return value;
}

const instantOrNull = (value: string | undefined, field: string) => (value === undefined ? null : parseInstant(value, field));

interface RecordOptions {
  customer: string;
  number: string;
  direction: string;
  agent: string;
  startedAt: string;
  endedAt?: string;
  queue?: string;
  callList?: string;
  purpose: string;
  outcome: string;
  callbackAt?: string;
  externalId?: string;
  json?: boolean;
}

export function registerCalls(program: Command): void {
  const calls = program.command('calls').description('call records: outcomes, "don\'t call me" as a phone opt-out (docs/calls-and-recordings.md)');

  calls
    .command('record')
    .description('record a call; the outcome do_not_call records a phone-marketing opt-out with it')
    .requiredOption('--customer <id>', 'customer id')
    .requiredOption('--number <phone>', "the customer's number (without a country code: Finnish)")
    .requiredOption('--direction <direction>', CALL_DIRECTIONS.join(' | '))
    .requiredOption('--agent <agent>', 'the agent who took or made the call')
    .requiredOption('--started-at <iso-8601>', 'when the call started')
    .option('--ended-at <iso-8601>', 'when it ended')
    .option('--queue <name>', 'the inbound queue')
    .option('--call-list <name>', 'the call list an outbound call came from')
    .requiredOption('--purpose <purpose>', CALL_PURPOSES.join(' | '))
    .requiredOption('--outcome <outcome>', CALL_OUTCOMES.join(' | '))
    .option('--callback-at <iso-8601>', 'when to call back (outcome callback)')
    .option('--external-id <id>', "the telephony system's id of the call (recorded once)")
    .option('--json', 'print the call as JSON')
    .action(async (opts: RecordOptions, cmd: Command) => {
      const input = {
        customerId: opts.customer,
        number: opts.number,
        direction: oneOf(CALL_DIRECTIONS, opts.direction, 'direction'),
        agent: opts.agent,
        startedAt: parseInstant(opts.startedAt, 'startedAt'),
        endedAt: instantOrNull(opts.endedAt, 'endedAt'),
        queue: opts.queue ?? null,
        callList: opts.callList ?? null,
        purpose: oneOf(CALL_PURPOSES, opts.purpose, 'purpose'),
        outcome: oneOf(CALL_OUTCOMES, opts.outcome, 'outcome'),
        callbackAt: instantOrNull(opts.callbackAt, 'callbackAt'),
        externalId: opts.externalId ?? null,
      };
      const { recordCall } = await import('../../use-cases/calls/calls.ts');
      const { call } = await withApp(cmd, (app) => recordCall({ ...app.stores, now: app.now }, input, cliActor()));
      if (opts.json === true) printJson(call);
      else process.stdout.write(`call ${call.id}: ${call.outcome}${call.optedOut ? ' (phone marketing opt-out recorded in the ledger)' : ''}\n`);
    });

  calls
    .command('list')
    .description("a customer's calls, newest first, with their recordings (audited)")
    .requiredOption('--customer <id>', 'customer id')
    .option('--limit <n>', 'at most this many', '50')
    .option('--json', 'print one JSON object')
    .action(async (opts: { customer: string; limit: string; json?: boolean }, cmd: Command) => {
      const { callsOfCustomer } = await import('../../use-cases/calls/calls.ts');
      const list = await withApp(cmd, (app) => callsOfCustomer({ ...app.stores, now: app.now }, opts.customer, positive(opts.limit, 'limit'), cliActor()));
      if (opts.json === true) {
        printJson({ customerId: opts.customer, calls: list });
        return;
      }
      if (list.length === 0) {
        process.stdout.write(`no calls recorded for ${opts.customer}\n`);
        return;
      }
      printTable(
        ['id', 'started', 'direction', 'purpose', 'outcome', 'agent', 'recordings'],
        list.map((c) => [c.id, c.startedAt, c.direction, c.purpose, c.outcome, c.agent, c.recordings.map((r) => `${r.id} (${r.format}, kept until ${r.retentionEndsAt})`).join(', ')]),
      );
    });

  registerPhoneSales(calls);

  const recordings = program.command('recordings').description('call recordings: attach, and delete when their retention ends (docs/calls-and-recordings.md)');

  recordings
    .command('attach')
    .description("attach a recording file to a call (refused unless the notice was played before it started)")
    .requiredOption('--call <id>', 'call id')
    .requiredOption('--file <path>', 'the audio: .wav, .mp3 or .opus/.ogg')
    .requiredOption('--started-at <iso-8601>', 'when the recording started')
    .option('--notice-played-at <iso-8601>', 'when the recording notice was played to the caller')
    .option('--json', 'print the recording as JSON')
    .action(async (opts: { call: string; file: string; startedAt: string; noticePlayedAt?: string; json?: boolean }, cmd: Command) => {
      const [{ attachRecording }, { recordingSetup }, { mediaTypeOfFile }] = await Promise.all([
        import('../../use-cases/calls/recordings.ts'),
        import('../../recordings-setup.ts'),
        import('../../jobs/recordings-inbox.ts'),
      ]);
      const input = {
        callId: positive(opts.call, 'call'),
        mediaType: mediaTypeOfFile(opts.file),
        startedAt: parseInstant(opts.startedAt, 'startedAt'),
        noticePlayedAt: instantOrNull(opts.noticePlayedAt, 'noticePlayedAt'),
      };
      const recording = await withApp(cmd, (app) =>
        attachRecording({ ...app.stores, now: app.now, ...recordingSetup(app) }, { ...input, audio: createReadStream(opts.file) }, cliActor()),
      );
      if (opts.json === true) printJson(recording);
      else process.stdout.write(`recording ${recording.id} of call ${recording.callId}: ${recording.bytes} bytes, kept until ${recording.retentionEndsAt}\n`);
    });

  recordings
    .command('purge')
    .description('delete every recording (file and metadata) whose retention ended before --now, and record the purge')
    .option('--now <iso-8601>', 'the time to purge as of (default: now)')
    .option('--json', 'print {"deleted": n}')
    .action(async (opts: { now?: string; json?: boolean }, cmd: Command) => {
      const [{ purgeRecordings }, { recordingSetup }] = await Promise.all([import('../../use-cases/calls/recordings.ts'), import('../../recordings-setup.ts')]);
      const { result, dueBefore } = await withApp(cmd, async (app) => {
        const at = opts.now === undefined ? app.now() : parseInstant(opts.now, 'now');
        return { dueBefore: at, result: await purgeRecordings({ ...app.stores, now: app.now, files: recordingSetup(app).files }, at, cliActor()) };
      });
      if (opts.json === true) printJson({ deleted: result.deleted });
      else process.stdout.write(`deleted ${counted(result.deleted, 'recording')} whose retention ended before ${dueBefore}\n`);
    });

  recordings
    .command('purges')
    .description('the purge runs, newest first: when, up to which time, how many, by whom')
    .option('--limit <n>', 'at most this many', '20')
    .option('--json', 'print one JSON object')
    .action(async (opts: { limit: string; json?: boolean }, cmd: Command) => {
      const list = await withApp(cmd, (app) => app.stores.calls.purges(positive(opts.limit, 'limit')));
      if (opts.json === true) printJson({ purges: list });
      else if (list.length === 0) process.stdout.write('no purge has run yet: lupa recordings purge\n');
      else printTable(['at', 'retention ended before', 'deleted', 'by'], list.map((p) => [p.at, p.dueBefore, p.deleted, p.actor]));
    });
}
