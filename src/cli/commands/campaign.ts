/** `lupa campaign`: create a campaign and launch it (deliveries decided set-based at launch). */
import type { Command } from 'commander';
import { DomainError } from '../../core/errors.ts';
import { createCampaign, launchCampaign } from '../../use-cases/campaigns.ts';
import { printJson, withApp } from '../context.ts';
import { parseFilterOptions, parseQueryOptions, type FilterOptions, type QueryOptions } from '../parse-options.ts';

export function registerCampaign(program: Command): void {
  const campaign = program.command('campaign').description('create, launch and follow campaigns');
  campaign
    .command('create')
    .requiredOption('--name <name>', 'what the campaign is called')
    .requiredOption('--purpose <purpose>', 'marketing, partner_marketing, service, …')
    .requiredOption('--channel <channel>', 'email, sms, phone, post')
    .option('--product <sku>', 'the marketed product (soft opt-in needs it)')
    .option('--where <name=value>', 'only customers whose kind, locale, postalCode, city or country equals the value')
    .option('--ordered-sku <sku>', 'only customers who ordered this product')
    .option('--ordered-category <category>', 'only customers who ordered something in this category')
    .option('--ordered-since <iso-8601>', 'only customers with an order started since then')
    .option('--json', 'print one JSON object')
    .action(async (opts: QueryOptions & FilterOptions & { name: string; json?: boolean }, cmd: Command) => {
      const created = await withApp(cmd, async (app) => {
        const query = parseQueryOptions(opts, app.now);
        return createCampaign(
          { ...app.stores, settings: app.settings, now: app.now },
          { name: opts.name, purpose: query.purpose, channel: query.channel, sku: query.sku, filter: parseFilterOptions(opts), templateId: null },
        );
      });
      if (opts.json === true) printJson(created);
      else process.stdout.write(`created campaign ${created.id} (${created.status})\n`);
    });
  campaign
    .command('launch')
    .argument('<id>', 'campaign id')
    .option('--json', 'print one JSON object')
    .action(async (id: string, opts: { json?: boolean }, cmd: Command) => {
      const result = await withApp(cmd, (app) => launchCampaign({ ...app.stores, settings: app.settings, now: app.now }, { campaignId: campaignId(id) }));
      if (opts.json === true) {
        printJson(result);
        return;
      }
      const lines = [
        `launched campaign ${result.campaign.id} as of ${result.campaign.asOf}: ${result.deliveries} deliveries`,
        ...Object.entries(result.counts.byState).map(([state, n]) => `  ${state}: ${n}`),
        ...Object.entries(result.counts.skippedBy).map(([reason, n]) => `  skipped by ${reason}: ${n}`),
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
    });
  campaign
    .command('status')
    .argument('<id>', 'campaign id')
    .action(async (id: string, _opts: unknown, cmd: Command) => {
      const status = await withApp(cmd, async (app) => {
        const found = await app.stores.campaigns.get(campaignId(id));
        if (found === null) throw new DomainError('NOT_FOUND', `no campaign ${id}`, { field: 'campaign' });
        return { campaign: found, counts: await app.stores.campaigns.deliveryCounts(found.id) };
      });
      printJson(status);
    });
}

function campaignId(value: string): number {
  const id = Number(value);
  if (!Number.isSafeInteger(id) || id <= 0) throw new DomainError('VALIDATION_FAILED', 'campaign id must be a positive whole number', { field: 'campaign' });
  return id;
}
