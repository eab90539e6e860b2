/** `lupa decide`: may we, for one customer? Prints the decision with its reasons and evidence. */
import type { Command } from 'commander';
import type { CustomerId } from '../../core/records.ts';
import { decideForCustomer } from '../../use-cases/decide-for-customer.ts';
import { cliActor, printJson, withApp } from '../context.ts';
import { parseQueryOptions, type QueryOptions } from '../parse-options.ts';

export function registerDecide(program: Command): void {
  program
    .command('decide')
    .description('decide whether a customer may be contacted for a purpose on a channel')
    .requiredOption('--customer <id>', 'customer id')
    .requiredOption('--purpose <purpose>', 'service, marketing, partner_marketing, profiling, ad_audience, site_ads, call_recording, research')
    .requiredOption('--channel <channel>', 'email, sms, phone, post, web')
    .option('--product <sku>', 'the marketed product (needed for soft opt-in)')
    .option('--at <iso-8601>', 'decide as of this time (default: now)')
    .option('--json', 'print one JSON object')
    .action(async (opts: QueryOptions & { customer: string; json?: boolean }, cmd: Command) => {
      await withApp(cmd, async (app) => {
        const query = parseQueryOptions(opts, app.now);
        const customerId = opts.customer as CustomerId;
        const decision = await decideForCustomer({ ...app.stores, settings: app.settings }, { customerId, ...query });
        await app.stores.audit.record({ at: app.now(), ...cliActor(), action: 'decide', customerId, detail: { purpose: query.purpose, channel: query.channel, allowed: decision.allowed } });
        if (opts.json === true) {
          printJson({ allowed: decision.allowed, basis: decision.basis, reasons: decision.reasons, evidence: decision.evidence });
          return;
        }
        process.stdout.write(
          `${decision.allowed ? 'ALLOWED' : 'NOT ALLOWED'} — ${query.purpose} by ${query.channel} for ${customerId} as of ${query.at}\n` +
            `basis:   ${decision.basis ?? '-'}\nreasons: ${decision.reasons.join(', ')}\n`,
        );
      });
    });
}
