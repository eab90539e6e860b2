/**
 * `lupa calls sales list|show|lapse` (docs/calls-and-recordings.md#telesales-and-written-acceptance):
 * phone sales with their state at the time of reading, one sale with its evidence, and the lapse of
 * written offers not accepted in time. Reads are audited under the operating-system user.
 */
import type { Command } from 'commander';
import { SALE_STATES, type SaleState } from '../../core/calls/phone-sale.ts';
import { DomainError } from '../../core/errors.ts';
import { parseInstant } from '../../core/time.ts';
import { isOneOf } from '../../core/vocabulary.ts';
import { cliActor, printJson, withApp } from '../context.ts';
import { positive } from '../parse-options.ts';
import { printTable } from '../table.ts';

export function registerPhoneSales(calls: Command): void {
  const sales = calls.command('sales').description('phone sales: pending until accepted in writing, lapsed, accepted or bound under an exception');

  sales
    .command('list')
    .description('phone sales, newest first, with their state now (each customer listed is audited)')
    .option('--customer <id>', "only this customer's")
    .option('--state <state>', SALE_STATES.join(' | '))
    .option('--limit <n>', 'at most this many', '50')
    .option('--json', 'print one JSON object per line')
    .action(async (opts: { customer?: string; state?: string; limit: string; json?: boolean }, cmd: Command) => {
      const state = opts.state;
      if (state !== undefined && !isOneOf(SALE_STATES, state)) throw new DomainError('VALIDATION_FAILED', `state must be one of ${SALE_STATES.join(', ')}`, { field: 'state' });
      const { listPhoneSales } = await import('../../use-cases/calls/phone-sales.ts');
      const { phoneSaleDeps, createEmailSender } = await import('../../composition-root.ts');
      const list = await withApp(cmd, (app) =>
        listPhoneSales(phoneSaleDeps(app, () => createEmailSender(app)), { ...(opts.customer === undefined ? {} : { customerId: opts.customer }), ...(state === undefined ? {} : { state: state as SaleState }), limit: positive(opts.limit, 'limit') }, cliActor()),
      );
      if (opts.json === true) {
        for (const { writtenOffer: _text, ...sale } of list) process.stdout.write(`${JSON.stringify(sale)}\n`);
        return;
      }
      if (list.length === 0) {
        process.stdout.write('no phone sales\n');
        return;
      }
      printTable(
        ['id', 'customer', 'call', 'product', 'basis', 'state', 'accept by', 'order'],
        list.map((s) => [s.id, s.customerId, s.callId, s.terms.sku, s.basis, s.stateNow, s.acceptBy, s.orderId ?? '']),
      );
    });

  sales
    .command('show')
    .description('one phone sale with its evidence: the call and its recordings, the written offer, the acceptance and the order (audited)')
    .argument('<id>', 'phone sale id')
    .option('--json', 'print it as JSON')
    .action(async (id: string, opts: { json?: boolean }, cmd: Command) => {
      const { phoneSaleEvidence } = await import('../../use-cases/calls/phone-sales.ts');
      const { phoneSaleDeps, createEmailSender } = await import('../../composition-root.ts');
      const sale = await withApp(cmd, (app) => phoneSaleEvidence(phoneSaleDeps(app, () => createEmailSender(app)), positive(id, 'id'), cliActor()));
      if (opts.json === true) {
        printJson(sale);
        return;
      }
      const lines = [
        `phone sale ${sale.id}: ${sale.stateNow} (basis ${sale.basis}${sale.requestEvidence === null ? '' : `: ${sale.requestEvidence}`})`,
        `call ${sale.call.id}: ${sale.call.direction} ${sale.call.startedAt}, agent ${sale.call.agent}, recordings ${sale.call.recordings.map((r) => r.id).join(', ') || 'none'}`,
        `written offer: by ${sale.delivery} ${sale.offerSentAt === null ? 'not sent' : `sent ${sale.offerSentAt}`}, accept by ${sale.acceptBy}`,
        `accepted: ${sale.acceptedAt ?? 'no'}; order: ${sale.orderId ?? 'none'}`,
        '',
        sale.writtenOffer.text,
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
    });

  sales
    .command('lapse')
    .description('mark every pending sale whose acceptance time has ended lapsed (reads show them lapsed already; none ever becomes an order)')
    .option('--now <iso-8601>', 'as of this time, not later than the present (default: now)')
    .option('--json', 'print {"lapsed": n}')
    .action(async (opts: { now?: string; json?: boolean }, cmd: Command) => {
      const { lapseDueSales } = await import('../../use-cases/calls/phone-sales.ts');
      const lapsed = await withApp(cmd, (app) => {
        const given = opts.now === undefined ? null : parseInstant(opts.now, 'now');
        // A later --now would lapse sales whose customers may still accept them: it may only look back.
        if (given !== null && given > app.now()) throw new DomainError('VALIDATION_FAILED', '--now must not be later than the present: a sale lapses only when its acceptance time has ended', { field: 'now' });
        return lapseDueSales({ ...app.stores, now: given === null ? app.now : () => given }, cliActor());
      });
      if (opts.json === true) printJson({ lapsed });
      else process.stdout.write(`${lapsed} phone sales lapsed\n`);
    });
}
