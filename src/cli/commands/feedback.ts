/**
 * `lupa feedback` (docs/customer-service.md#feedback): the CSAT and NPS results per agent, queue or
 * month (aggregates only: no group of fewer than LUPA_MIN_GROUP_SIZE answers is shown), and
 * sending an NPS survey to a seeded sample of customers, decided as research (rule 11).
 */
import type { Command } from 'commander';
import { DomainError } from '../../core/errors.ts';
import { FEEDBACK_CHANNELS, FEEDBACK_KINDS, type FeedbackKind } from '../../core/feedback/feedback.ts';
import { RESULT_GROUPINGS, type ResultGrouping } from '../../core/feedback/results.ts';
import { isOneOf } from '../../core/vocabulary.ts';
import { cliActor, printJson, withApp } from '../context.ts';
import { positive } from '../parse-options.ts';
import { printTable } from '../table.ts';

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

function month(value: string | undefined, field: string): string | undefined {
  if (value !== undefined && !MONTH.test(value)) throw new DomainError('VALIDATION_FAILED', `${field} must be a month as YYYY-MM (got ${JSON.stringify(value)})`, { field });
  return value;
}

interface ResultsOptions {
  kind: string;
  by: string;
  from?: string;
  to?: string;
  agent?: string;
  queue?: string;
  json?: boolean;
}

export function registerFeedback(program: Command): void {
  const feedback = program.command('feedback').description('customer feedback: CSAT after solved tickets, NPS surveys, results (docs/customer-service.md#feedback)');

  feedback
    .command('results')
    .description('questions sent and answered, response rate, CSAT average or NPS score, per agent, queue or month')
    .option('--kind <kind>', FEEDBACK_KINDS.join(' | '), 'csat')
    .option('--by <grouping>', RESULT_GROUPINGS.join(' | '), 'month')
    .option('--from <YYYY-MM>', 'first month')
    .option('--to <YYYY-MM>', 'last month (included)')
    .option('--agent <id>', 'only this agent')
    .option('--queue <name>', 'only this queue')
    .option('--json', 'print the results as JSON')
    .action(async (opts: ResultsOptions, cmd: Command) => {
      if (!isOneOf(FEEDBACK_KINDS, opts.kind)) throw new DomainError('VALIDATION_FAILED', `kind must be one of ${FEEDBACK_KINDS.join(', ')}`, { field: 'kind' });
      if (!isOneOf(RESULT_GROUPINGS, opts.by)) throw new DomainError('VALIDATION_FAILED', `by must be one of ${RESULT_GROUPINGS.join(', ')}`, { field: 'by' });
      const kind: FeedbackKind = opts.kind;
      const by: ResultGrouping = opts.by;
      const query = { kind, fromMonth: month(opts.from, 'from'), toMonth: month(opts.to, 'to'), agent: opts.agent, queue: opts.queue };
      const { feedbackResults } = await import('../../use-cases/feedback/results.ts');
      const results = await withApp(cmd, (app) => feedbackResults({ feedback: app.stores.feedback, minGroup: app.config.LUPA_MIN_GROUP_SIZE }, query, by));
      if (opts.json === true) return printJson(results);
      const score = (g: (typeof results.groups)[number]): string => (g.withheld ? `(fewer than ${results.minGroup})` : String((kind === 'csat' ? g.average : g.npsScore) ?? '–'));
      const rate = (r: number | null): string => (r === null ? '–' : `${(r * 100).toFixed(1)} %`);
      printTable(
        [by, 'sent', 'answered', 'response rate', kind === 'csat' ? 'average (1–5)' : 'NPS'],
        [...results.groups, ...(results.total === null || by === 'all' ? [] : [{ ...results.total, key: 'all' }])].map((g) => [g.key, String(g.sent), String(g.answered), rate(g.responseRate), score(g)]),
      );
    });

  const nps = feedback.command('nps').description('NPS surveys');
  nps
    .command('send')
    .description('draw a seeded sample of customers and send the 0–10 question to those research on the channel allows (rule 11)')
    .option('--size <n>', 'customers to draw')
    .option('--fraction <f>', 'or the share of all customers to draw (0–1)')
    .option('--seed <text>', 'the same seed draws the same customers (default: random)')
    .option('--channel <channel>', `${FEEDBACK_CHANNELS.join(' | ')} (sms through the SMS gateway, LUPA_SMS_*)`, 'email')
    .option('--json', 'print the outcome as JSON')
    .action(async (opts: { size?: string; fraction?: string; seed?: string; channel: string; json?: boolean }, cmd: Command) => {
      if (!isOneOf(FEEDBACK_CHANNELS, opts.channel)) throw new DomainError('VALIDATION_FAILED', `channel must be one of ${FEEDBACK_CHANNELS.join(', ')}`, { field: 'channel' });
      const channel = opts.channel;
      const size = opts.size === undefined ? undefined : positive(opts.size, 'size');
      const fraction = opts.fraction === undefined ? undefined : Number(opts.fraction);
      if (fraction !== undefined && !Number.isFinite(fraction)) throw new DomainError('VALIDATION_FAILED', 'fraction must be a number over 0 and at most 1', { field: 'fraction' });
      const [{ createEmailSender, feedbackDeps }, { sendNpsSurvey }] = await Promise.all([import('../../composition-root.ts'), import('../../use-cases/feedback/nps.ts')]);
      const outcome = await withApp(cmd, async (app) => {
        let sender: ReturnType<typeof createEmailSender> | undefined;
        try {
          return await sendNpsSurvey(feedbackDeps(app, () => (sender ??= createEmailSender(app))), { size, fraction, seed: opts.seed, channel, by: cliActor().actor });
        } finally {
          await sender?.close();
        }
      });
      if (opts.json === true) return printJson(outcome);
      const reasons = Object.entries(outcome.reasons).map(([r, n]) => `${r} ${n}`).join(', ');
      process.stdout.write(`survey ${outcome.survey.id} (seed ${outcome.survey.seed}): drawn ${outcome.survey.drawn}, sent ${outcome.sent}, skipped ${outcome.skipped}${reasons === '' ? '' : ` (${reasons})`}, failed ${outcome.failed}\n`);
    });
}
