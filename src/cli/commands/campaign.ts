/** `lupa campaign`: create a campaign, schedule or launch it (deliveries decided set-based at launch), send and follow it. */
import type { Command } from 'commander';
import { DomainError } from '../../core/errors.ts';
import { hostname } from 'node:os';
import { parseInstant } from '../../core/time.ts';
import type { AudienceFilter } from '../../core/ports.ts';
import { describeRecentSend, type RecentSend } from '../../core/recent-campaigns.ts';
import { cliActor, printJson, withApp } from '../context.ts';
import { counted } from '../counted.ts';
import { registerCampaignReads } from './campaign-reads.ts';
import { nothingSentReason } from '../send-text.ts';
import { parseFilterOptions, parseQueryOptions, positive, withFilterOptions, type FilterOptions, type QueryOptions } from '../parse-options.ts';

/** The campaign use cases compile templates (MJML): loaded when a command runs, not for `lupa --help` (so is scheduling, which uses them). */
const campaignUseCases = () => import('../../use-cases/campaigns.ts');

export function registerCampaign(program: Command): void {
  const campaign = program.command('campaign').description('create, launch and follow campaigns');
  withFilterOptions(
    campaign
      .command('create')
      .requiredOption('--name <name>', 'what the campaign is called')
      .requiredOption('--purpose <purpose>', 'marketing, partner_marketing, service, …')
      .requiredOption('--channel <channel>', 'email, sms, phone, post')
      .option('--product <sku>', 'the marketed product (soft opt-in needs it)'),
  )
    .option('--template <id>', 'the message template (see lupa template add)')
    .option('--brand <name>', 'the brand it sends as: its From (unless --from-address) and DKIM key (default: the brand "default", LUPA_SENDER_* and LUPA_DKIM_*; others in LUPA_BRANDS_FILE)')
    .option('--from-name <name>', 'sender name shown to recipients')
    .option('--from-address <address>', "sender address (default: the brand's)")
    .option('--allow-unaligned-from <reason>', "send even though the sender's domain does not align with the DKIM signature (DMARC); the reason is recorded with who and when")
    .option('--per-second <n>', 'send at most this many messages a second')
    .option('--send-at <time>', 'ISO-8601 time at which a worker launches it (lupa worker); must be in the future')
    .option('--exclude-recipients-of <ids>', 'leave out whoever got these campaigns (ids: repeat it or give a comma list), so that the same offer does not reach them twice', collect, [])
    .option('--link <name=url>', 'a URL the template reads as links.NAME (repeat for more)', collect, [])
    .option('--var <name=value>', 'a value the template reads as vars.NAME (repeat for more; numbers and true/false are read as such)', collect, [])
    .option('--json', 'print one JSON object')
    .action(async (opts: QueryOptions & FilterOptions & CreateOptions, cmd: Command) => {
      const created = await withApp(cmd, async (app) => {
        const query = parseQueryOptions(opts, app.now);
        const { createCampaign, recentSendsOf } = await campaignUseCases();
        const campaign = await createCampaign(
          { ...app.stores, sending: app.sending, now: app.now },
          {
            name: opts.name,
            purpose: query.purpose,
            channel: query.channel,
            sku: query.sku,
            filter: withExcluded(parseFilterOptions(opts), campaignIds(opts.excludeRecipientsOf, 'exclude-recipients-of')),
            templateId: opts.template ?? null,
            from: opts.fromAddress === undefined ? null : { name: opts.fromName ?? opts.fromAddress, address: opts.fromAddress },
            brand: opts.brand ?? null,
            allowUnalignedFrom: opts.allowUnalignedFrom === undefined ? null : { reason: opts.allowUnalignedFrom, by: cliActor().actor },
            perSecond: opts.perSecond === undefined ? null : positive(opts.perSecond, 'per-second'),
            sendAt: opts.sendAt === undefined ? null : parseInstant(opts.sendAt, 'send-at'),
            links: namedValues(opts.link, 'link'),
            vars: Object.fromEntries(Object.entries(namedValues(opts.var, 'var')).map(([k, v]) => [k, typedValue(v)])),
          },
        );
        // The same offer to the same people lately: said now, refused at the launch by hand until confirmed.
        return { campaign, recentSends: await recentSendsOf(app.stores, campaign, app.config.LUPA_RECENT_CAMPAIGN_DAYS, app.now()) };
      });
      if (opts.json === true) printJson({ ...created.campaign, recentSends: created.recentSends });
      else {
        const made = created.campaign;
        process.stdout.write(`created campaign ${made.id} (${made.status}${made.sendAt === null ? '' : `, scheduled for ${made.sendAt}`})\n`);
        process.stderr.write(recentSendsWarning(made.id, created.recentSends, made.sendAt !== null));
      }
    });
  campaign
    .command('schedule')
    .description('set the time at which a worker launches a draft (lupa worker), or clear it')
    .argument('<id>', 'campaign id')
    .option('--at <time>', 'ISO-8601 start time, in the future')
    .option('--clear', 'unschedule: the draft waits for a launch by hand')
    .option('--json', 'print one JSON object')
    .action(async (id: string, opts: { at?: string; clear?: boolean; json?: boolean }, cmd: Command) => {
      if ((opts.at === undefined) === (opts.clear !== true)) throw new DomainError('VALIDATION_FAILED', 'give either --at TIME or --clear', { field: 'at' });
      const at = opts.at === undefined ? null : parseInstant(opts.at, 'at');
      const scheduled = await withApp(cmd, async (app) => (await import('../../use-cases/campaign-schedule.ts')).scheduleCampaign({ campaigns: app.stores.campaigns, now: app.now }, { campaignId: campaignId(id), at }));
      if (opts.json === true) printJson(scheduled);
      else process.stdout.write(`campaign ${scheduled.id}: ${scheduled.sendAt === null ? 'not scheduled' : `scheduled for ${scheduled.sendAt}`}\n`);
    });
  campaign
    .command('launch')
    .argument('<id>', 'campaign id')
    .option('--now', 'launch a draft that is scheduled for later now')
    .option('--despite-recent <ids>', 'launch although these campaigns, launched recently, sent the same template or product to people this one selects (RECENT_DUPLICATE names them); repeat it or give a comma list', collect, [])
    .option('--json', 'print one JSON object')
    .action(async (id: string, opts: { now?: boolean; despiteRecent: string[]; json?: boolean }, cmd: Command) => {
      const despite = campaignIds(opts.despiteRecent, 'despite-recent');
      const result = await withApp(cmd, async (app) =>
        (await campaignUseCases()).launchCampaign(
          { ...app.stores, settings: app.settings, sending: app.sending, now: app.now },
          { campaignId: campaignId(id), ignoreSchedule: opts.now === true, recent: { days: app.config.LUPA_RECENT_CAMPAIGN_DAYS, despite } },
        ),
      );
      if (opts.json === true) {
        printJson(result);
        return;
      }
      const lines = [
        `launched campaign ${result.campaign.id} as of ${result.campaign.asOf}: ${counted(result.deliveries, 'delivery', 'deliveries')}`,
        `  decided for: ${(result.campaign.purposes ?? []).join(' + ')}`,
        ...Object.entries(result.counts.byState).map(([state, n]) => `  ${state}: ${n}`),
        ...Object.entries(result.counts.skippedBy).map(([reason, n]) => `  skipped by ${reason}: ${n}`),
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
    });
  campaign
    .command('send')
    .description('send the queued deliveries of a running campaign (run several at once to share the work)')
    .argument('<id>', 'campaign id')
    .option('--worker <name>', 'this worker\'s name', `${hostname()}-${process.pid}`)
    .option('--batch <n>', 'deliveries claimed at a time', '200')
    .option('--json', 'print one JSON object')
    .action(async (id: string, opts: { worker: string; batch: string; json?: boolean }, cmd: Command) => {
      const summary = await withApp(cmd, async (app) => {
        // Loaded when sending, so that the other campaign commands start without the channel and template libraries.
        const [{ createEmailSender, sendDeps }, { sendCampaign }] = await Promise.all([import('../../composition-root.ts'), import('../../use-cases/send-campaign.ts')]);
        const sender = createEmailSender(app);
        let done;
        try {
          done = await sendCampaign(sendDeps(app, sender), { campaignId: campaignId(id), workerId: opts.worker, batchSize: positive(opts.batch, 'batch'), leaseSeconds: app.config.LUPA_CLAIM_LEASE_SECONDS });
        } finally {
          await sender.close();
        }
        // A send that did nothing says why: not launched, paused, cancelled, or sent already by a worker.
        const [found, counts] = await Promise.all([app.stores.campaigns.get(campaignId(id)), app.stores.campaigns.deliveryCounts(campaignId(id))]);
        const why = found === null ? null : nothingSentReason(found, counts, done);
        return why === null ? done : { ...done, nothingSent: why };
      });
      if (opts.json === true) printJson(summary);
      else {
        const next = summary.nextRetryAt === undefined ? '' : `; retries of soft bounces are due from ${summary.nextRetryAt}: run send again then`;
        // Paused by this call: why, as `campaign status` shows it, and what to do.
        const paused = summary.pausedBecause === undefined ? '' : `: ${summary.pausedBecause}; fix it, then lupa campaign resume ${id}`;
        process.stdout.write(`sent ${summary.sent}, skipped at re-check ${summary.skipped}, failed ${summary.failed} (${summary.stoppedBecause}${paused}${next})\n`);
        if ('nothingSent' in summary) process.stdout.write(`${summary.nothingSent}\n`);
      }
    });
  for (const [name, status, description] of [
    ['pause', 'paused', 'stop sending after the current batch'],
    ['resume', 'running', 'let a paused campaign send again'],
    ['cancel', 'cancelled', 'stop for good; queued deliveries stay unsent'],
  ] as const) {
    campaign
      .command(name)
      .description(description)
      .argument('<id>', 'campaign id')
      .action(async (id: string, _opts: unknown, cmd: Command) => {
        const now = await withApp(cmd, async (app) => (await campaignUseCases()).setCampaignStatus({ ...app.stores }, { campaignId: campaignId(id), status }));
        // A scheduled draft held at its start goes back to being a draft, due at once.
        process.stdout.write(now === 'draft' ? `campaign ${id}: draft again, due now (a worker launches it in its next round, checking again; or: lupa campaign launch ${id})\n` : `campaign ${id}: ${now}\n`);
      });
  }
  campaign
    .command('allow-unaligned-from')
    .description("let a campaign not launched yet send from a domain its DKIM signature does not align with; the reason is recorded with who and when")
    .argument('<id>', 'campaign id')
    .argument('<reason>', 'why (e.g. "the relay signs for uutisvirta.fi")')
    .option('--json', 'print one JSON object')
    .action(async (id: string, reason: string, opts: { json?: boolean }, cmd: Command) => {
      const updated = await withApp(cmd, async (app) => (await campaignUseCases()).allowUnalignedFrom({ campaigns: app.stores.campaigns, now: app.now }, { campaignId: campaignId(id), reason, by: cliActor().actor }));
      if (opts.json === true) printJson(updated);
      else process.stdout.write(`campaign ${updated.id}: may send from an unaligned domain (${updated.unalignedFrom?.by ?? ''} at ${updated.unalignedFrom?.at ?? ''})\n`);
    });
  registerCampaignReads(campaign, campaignId);
  campaign
    .command('status')
    .argument('<id>', 'campaign id')
    .action(async (id: string, _opts: unknown, cmd: Command) => {
      const status = await withApp(cmd, async (app) => {
        const found = await app.stores.campaigns.get(campaignId(id));
        if (found === null) throw new DomainError('NOT_FOUND', `no campaign ${id}`, { field: 'campaign' });
        const results = await (await campaignUseCases()).campaignResults(app.stores, { campaignId: found.id });
        if (found.channel !== 'sms') return { campaign: found, results };
        // An SMS campaign: how many segments its message takes, and whether names can make it more.
        const { campaignSmsEstimate } = await import('../../use-cases/sms-size.ts');
        return { campaign: found, results, sms: await campaignSmsEstimate({ ...app.stores, signer: app.signer, publicUrl: app.publicUrl }, found) };
      });
      printJson(status);
    });
}

/** The warning after a create: each earlier campaign that sent the same offer to people this one selects, and what to do. */
function recentSendsWarning(id: number, recent: readonly RecentSend[], scheduled: boolean): string {
  if (recent.length === 0) return '';
  const ids = recent.map((r) => r.campaignId).join(',');
  const launch = scheduled
    ? 'it is scheduled: a worker launches it without asking again'
    : `lupa campaign launch ${id} refuses it until you confirm with --despite-recent ${ids}`;
  return [
    `warning: the same offer went out recently to people this campaign selects:`,
    ...recent.map((r) => `  ${describeRecentSend(r)}`),
    `  ${launch}; to leave them out, cancel this draft and create it again with --exclude-recipients-of ${ids}`,
    '',
  ].join('\n');
}

/** The filter with the recipients of these campaigns left out (none given: unchanged). */
function withExcluded(filter: AudienceFilter, ids: number[]): AudienceFilter {
  return ids.length === 0 ? filter : { ...filter, excludeRecipientsOf: ids };
}

/** Campaign ids of a repeated option, each a comma list (`--despite-recent 1,3`). */
function campaignIds(values: readonly string[], option: string): number[] {
  return [...new Set(values.flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v !== '').map((v) => campaignId(v, option)))];
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** `name=value` pairs of a repeated option; the first `=` separates (a URL may hold more). */
function namedValues(pairs: readonly string[], option: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0) throw new DomainError('VALIDATION_FAILED', `--${option} takes NAME=VALUE, got "${pair.slice(0, 40)}"`, { field: option });
    const name = pair.slice(0, at);
    if (name in out) throw new DomainError('VALIDATION_FAILED', `--${option} ${name} is given twice`, { field: option });
    out[name] = pair.slice(at + 1);
  }
  return out;
}

/** `30` → 30, `true`/`false` → booleans, anything else stays text. */
function typedValue(value: string): string | number | boolean {
  if (value === 'true' || value === 'false') return value === 'true';
  return /^-?\d+(\.\d+)?$/.test(value) && value.length <= 15 ? Number(value) : value;
}

interface CreateOptions {
  link: string[];
  var: string[];
  name: string;
  sendAt?: string;
  template?: string;
  fromName?: string;
  fromAddress?: string;
  brand?: string;
  allowUnalignedFrom?: string;
  perSecond?: string;
  excludeRecipientsOf: string[];
  json?: boolean;
}

function campaignId(value: string, field = 'campaign'): number {
  const id = Number(value);
  if (!Number.isSafeInteger(id) || id <= 0) throw new DomainError('VALIDATION_FAILED', `${field === 'campaign' ? 'campaign id' : `--${field}`} must be a positive whole number`, { field });
  return id;
}
