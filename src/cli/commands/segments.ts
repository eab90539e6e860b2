/**
 * `lupa segments`: named rule trees over customers and their membership
 * (docs/segments-and-predictions.md). Counts only: who is in a segment is seen through a
 * campaign's audience or a customer's own view, never listed here.
 */
import type { Command } from 'commander';
import { DomainError } from '../../core/errors.ts';
import type { Segment } from '../../core/segments/ports.ts';
import { parseInstant, requireNotFuture } from '../../core/time.ts';
import { printJson, withApp } from '../context.ts';
import { readJsonFile } from '../json-file.ts';
import { counted } from '../counted.ts';
import { RFM_LANGUAGES } from '../../core/segments/rfm.ts';
import { oneOf, positive } from '../parse-options.ts';
import { printTable } from '../table.ts';

/** A rule tree from a JSON file (`-`: stdin). */
function ruleFromFile(file: string): unknown {
  return readJsonFile(file, 'rule');
}

const useCases = () => import('../../use-cases/segments/segments.ts');

function segmentLine(s: Segment): string {
  const members = s.computedAt === null ? 'not computed yet (lupa segments refresh)' : `${counted(s.memberCount, 'member')} as of ${s.computedAt}`;
  return `segment ${s.id} "${s.name}": ${members}${s.timeDependent ? ', recomputed whole at each refresh (it changes without writes to its customers)' : ''}`;
}

export function registerSegments(program: Command): void {
  const segments = program.command('segments').description('segments: rule trees over customers, their members kept up to date (docs/segments-and-predictions.md)');

  segments
    .command('count')
    .description('how many customers a rule selects now, nothing stored')
    .option('--rule <file>', 'the rule tree as JSON (- for stdin)')
    .option('--segment <id>', 'a saved segment: count its rule now')
    .option('--at <iso-8601>', 'as of this time, not in the future (default: now)')
    .option('--json', 'print {"members": n, "asOf": …}')
    .action(async (opts: { rule?: string; segment?: string; at?: string; json?: boolean }, cmd: Command) => {
      if ((opts.rule === undefined) === (opts.segment === undefined)) throw new DomainError('VALIDATION_FAILED', 'give --rule FILE or --segment ID', { field: 'rule' });
      const at = opts.at === undefined ? undefined : parseInstant(opts.at, 'at');
      const { countRule, requireSegment } = await useCases();
      const result = await withApp(cmd, async (app) => {
        const deps = { segments: app.stores.segments, now: app.now };
        if (at !== undefined) requireNotFuture(at, app.now(), '--at', 'at');
        const rule = opts.rule !== undefined ? ruleFromFile(opts.rule) : (await requireSegment(deps, positive(opts.segment ?? '', 'segment'))).rule;
        return countRule(deps, rule, at);
      });
      if (opts.json === true) printJson(result);
      else process.stdout.write(`${counted(result.members, 'customer')} as of ${result.asOf} (nobody who objected to profiling or direct marketing)\n`);
    });

  segments
    .command('create')
    .description('save a rule as a named segment; its members are computed at the next refresh')
    .requiredOption('--name <name>', 'a name people recognise')
    .requiredOption('--rule <file>', 'the rule tree as JSON (- for stdin)')
    .option('--description <text>', 'what it is for')
    .option('--refresh', 'compute its members now')
    .option('--json', 'print the segment as JSON')
    .action(async (opts: { name: string; rule: string; description?: string; refresh?: boolean; json?: boolean }, cmd: Command) => {
      const rule = ruleFromFile(opts.rule);
      const { createSegment, refreshSegments, requireSegment } = await useCases();
      const segment = await withApp(cmd, async (app) => {
        const deps = { segments: app.stores.segments, now: app.now };
        const created = await createSegment(deps, { name: opts.name, description: opts.description ?? null, rule }, 'cli');
        if (opts.refresh !== true) return created;
        await refreshSegments(deps, created.id);
        return requireSegment(deps, created.id);
      });
      if (opts.json === true) printJson(segment);
      else process.stdout.write(`${segmentLine(segment)}\n`);
    });

  segments
    .command('update')
    .description('change a segment: a changed rule empties it until the next refresh')
    .argument('<id>', 'segment id')
    .option('--name <name>', 'a new name')
    .option('--rule <file>', 'a new rule tree as JSON (- for stdin)')
    .option('--description <text>', 'a new description')
    .option('--json', 'print the segment as JSON')
    .action(async (id: string, opts: { name?: string; rule?: string; description?: string; json?: boolean }, cmd: Command) => {
      const rule = opts.rule === undefined ? undefined : ruleFromFile(opts.rule);
      const { updateSegment } = await useCases();
      const segment = await withApp(cmd, (app) =>
        updateSegment({ segments: app.stores.segments, now: app.now }, positive(id, 'id'), {
          ...(opts.name === undefined ? {} : { name: opts.name }),
          ...(opts.description === undefined ? {} : { description: opts.description }),
          ...(rule === undefined ? {} : { rule }),
        }),
      );
      if (opts.json === true) printJson(segment);
      else process.stdout.write(`${segmentLine(segment)}\n`);
    });

  segments
    .command('remove')
    .description('remove a segment (refused while a campaign not finished selects it)')
    .argument('<id>', 'segment id')
    .action(async (id: string, _opts: unknown, cmd: Command) => {
      const { removeSegment } = await useCases();
      await withApp(cmd, (app) => removeSegment({ segments: app.stores.segments, now: app.now }, positive(id, 'id')));
      process.stdout.write(`removed segment ${id}\n`);
    });

  segments
    .command('list')
    .description('every segment with its member count as last computed')
    .option('--json', 'print one JSON object')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const list = await withApp(cmd, (app) => app.stores.segments.list());
      if (opts.json === true) {
        printJson({ segments: list });
        return;
      }
      if (list.length === 0) {
        process.stdout.write('no segments yet: lupa segments create --name NAME --rule FILE.json\n');
        return;
      }
      printTable(
        ['id', 'name', 'members', 'computed at', 'refresh'],
        list.map((s) => [s.id, s.name, s.computedAt === null ? '-' : s.memberCount, s.computedAt ?? 'never', s.timeDependent ? 'whole' : 'incremental']),
      );
    });

  segments
    .command('show')
    .description('one segment with its rule')
    .argument('<id>', 'segment id')
    .option('--json', 'print one JSON object')
    .action(async (id: string, opts: { json?: boolean }, cmd: Command) => {
      const { requireSegment } = await useCases();
      const segment = await withApp(cmd, (app) => requireSegment({ segments: app.stores.segments }, positive(id, 'id')));
      if (opts.json === true) printJson(segment);
      else process.stdout.write(`${segmentLine(segment)}\n${segment.description === null ? '' : `${segment.description}\n`}rule: ${JSON.stringify(segment.rule, null, 2)}\n`);
    });

  segments
    .command('rfm')
    .description('add the ready-made RFM segments (champions, loyal, new, at risk, hibernating) that do not exist yet, computed now')
    .option('--lang <lang>', 'the language of their names and descriptions: fi, sv or en', 'en')
    .option('--json', 'print one JSON object per segment created')
    .action(async (opts: { json?: boolean; lang: string }, cmd: Command) => {
      const lang = oneOf(opts.lang, RFM_LANGUAGES, 'lang');
      const { addRfmSegments } = await useCases();
      const created = await withApp(cmd, (app) => addRfmSegments({ segments: app.stores.segments, now: app.now }, 'cli', lang));
      for (const s of created) {
        if (opts.json === true) printJson(s);
        else process.stdout.write(`${segmentLine(s)}\n`);
      }
      if (created.length === 0 && opts.json !== true) process.stdout.write('the RFM segments exist already\n');
    });

  segments
    .command('refresh')
    .description('bring members up to date: every segment (incrementally where it can), or one recomputed whole')
    .argument('[id]', 'only this segment, recomputed whole')
    .option('--json', 'print one JSON object per segment')
    .action(async (id: string | undefined, opts: { json?: boolean }, cmd: Command) => {
      const { refreshSegments } = await useCases();
      const runs = await withApp(cmd, (app) => refreshSegments({ segments: app.stores.segments, now: app.now }, id === undefined ? undefined : positive(id, 'id')));
      for (const r of runs) {
        if (opts.json === true) printJson(r);
        else process.stdout.write(`segment ${r.segmentId}: ${counted(r.members, 'member')} (${r.mode}${r.mode === 'incremental' ? `, ${counted(r.recomputed, 'customer')} recomputed` : ''})\n`);
      }
      // One run refreshes every segment in one transaction: its time is the run's, said once.
      if (runs.length > 0 && opts.json !== true) process.stdout.write(`refreshed ${counted(runs.length, 'segment')} in ${runs[0]?.ms ?? 0} ms\n`);
      if (runs.length === 0 && opts.json !== true) process.stdout.write('no segments to refresh\n');
    });
}
