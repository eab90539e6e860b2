/**
 * `lupa suppressions list|add|lift`: the suppression list from the command line, as the console and
 * `/v1/suppressions` work it. Every command is audited under the OS user (`cli:USER`).
 */
import type { Command } from 'commander';
import { DomainError } from '../../core/errors.ts';
import { SUPPRESSION_STATES, type SuppressionEntry } from '../../core/suppression-list.ts';
import { CHANNELS, isOneOf, SUPPRESSION_REASONS, type Channel } from '../../core/vocabulary.ts';
import { cliActor, printJson, withApp } from '../context.ts';
import { printTable } from '../table.ts';

function channelOf(value: string): Channel {
  if (!isOneOf(CHANNELS, value)) throw new DomainError('UNKNOWN_CHANNEL', `channel must be one of ${CHANNELS.join(', ')}`, { field: 'channel' });
  return value;
}

function oneOf<T extends string>(values: readonly T[], value: string | undefined, field: string): T | undefined {
  if (value === undefined) return undefined;
  if (!isOneOf(values, value)) throw new DomainError('VALIDATION_FAILED', `${field} must be one of ${values.join(', ')}`, { field });
  return value;
}

function positive(value: string, field: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1) throw new DomainError('VALIDATION_FAILED', `${field} must be a positive whole number`, { field });
  return n;
}

function actor() {
  const { actor: id, role } = cliActor();
  return { id, role };
}

async function suppressionDeps() {
  return import('../../use-cases/suppressions.ts');
}

function printEntry(e: SuppressionEntry): void {
  process.stdout.write(`${e.id}  ${e.channel}  ${e.address}  ${e.reason}  from ${e.at}${e.lift === null ? '' : `  lifted ${e.lift.at} (${e.lift.note ?? ''})`}\n`);
}

export function registerSuppressions(program: Command): void {
  const suppressions = program.command('suppressions').description('the suppression list: search it, add a manual suppression, lift one with a note (audited)');
  suppressions
    .command('list')
    .description('suppressions newest first, filtered; one page (--limit) after --after')
    .option('--address <text>', 'addresses that start with this (with --exact: this whole address)')
    .option('--exact', 'match --address whole, read as an entry is read')
    .option('--channel <channel>', CHANNELS.join(', '))
    .option('--reason <reason>', SUPPRESSION_REASONS.join(', '))
    .option('--state <state>', SUPPRESSION_STATES.join(', '))
    .option('--limit <n>', 'rows (1–1000)', '50')
    .option('--after <id>', 'the `next` a page before printed')
    .option('--json', 'print one JSON object: {suppressions, next}')
    .action(async (opts: { address?: string; exact?: boolean; channel?: string; reason?: string; state?: string; limit: string; after?: string; json?: boolean }, cmd: Command) => {
      const { searchSuppressions } = await suppressionDeps();
      const page = await withApp(cmd, (app) =>
        searchSuppressions({ ...app.stores, now: app.now }, actor(), {
          address: opts.address,
          match: opts.exact === true ? 'exact' : 'prefix',
          channel: opts.channel === undefined ? undefined : channelOf(opts.channel),
          reason: oneOf(SUPPRESSION_REASONS, opts.reason, 'reason'),
          state: oneOf(SUPPRESSION_STATES, opts.state, 'state'),
          limit: positive(opts.limit, 'limit'),
          after: opts.after === undefined ? undefined : positive(opts.after, 'after'),
        }),
      );
      if (opts.json === true) return printJson(page);
      printTable(
        ['id', 'channel', 'address', 'reason', 'from', 'source', 'note', 'lifted', 'lift note'],
        page.suppressions.map((e) => [e.id, e.channel, e.address, e.reason, e.at, e.source, e.note, e.lift?.at, e.lift?.note]),
      );
      if (page.next !== null) process.stdout.write(`more: --after ${page.next}\n`);
    });
  suppressions
    .command('add')
    .description('suppress a channel address from now on (reason manual): marketing stops, service messages still go')
    .requiredOption('--channel <channel>', 'email, sms, phone or post')
    .requiredOption('--address <address>', 'e-mail, phone number, or for post "street|postcode" or "Street 1, 00100 City"')
    .requiredOption('--note <text>', 'why, e.g. "asked by letter of 3.11.2026"')
    .option('--json', 'print the entry as JSON')
    .action(async (opts: { channel: string; address: string; note: string; json?: boolean }, cmd: Command) => {
      const { addManualSuppression } = await suppressionDeps();
      const entry = await withApp(cmd, (app) => addManualSuppression({ ...app.stores, now: app.now }, actor(), { channel: channelOf(opts.channel), address: opts.address, note: opts.note }));
      if (opts.json === true) printJson(entry);
      else printEntry(entry);
    });
  suppressions
    .command('lift')
    .description('lift a manual suppression, hard bounce or complaint from now on, with a note (never an unsubscribe or a Robinson entry)')
    .argument('<id>', 'suppression id (see list)')
    .requiredOption('--note <text>', 'why it is lifted')
    .option('--json', 'print the entry as JSON')
    .action(async (id: string, opts: { note: string; json?: boolean }, cmd: Command) => {
      const { liftSuppression } = await suppressionDeps();
      const entry = await withApp(cmd, (app) => liftSuppression({ ...app.stores, now: app.now }, actor(), { id: positive(id, 'id'), note: opts.note }));
      if (opts.json === true) printJson(entry);
      else printEntry(entry);
    });
}
