/**
 * `lupa customers timeline ID` (docs/customer-service.md#the-customers-history): the customer's
 * history, newest first, every page read audited under the operating-system user as every CLI read
 * of a customer is. `--json` prints one entry per line; otherwise a table.
 */
import type { Command } from 'commander';
import { parseInstant } from '../../core/time.ts';
import { cliActor, printJsonLine, withApp } from '../context.ts';
import { positive } from '../parse-options.ts';
import { printTable } from '../table.ts';

interface TimelineOptions {
  kinds?: string;
  after?: string;
  before?: string;
  limit: string;
  json?: boolean;
}

export function registerCustomers(program: Command): void {
  const customers = program.command('customers').description("one customer's records (docs/customer-service.md)");

  customers
    .command('timeline')
    .description("the customer's history across orders, ledger, suppressions, messages, calls, tickets, offers and interests, newest first (audited)")
    .argument('<id>', 'customer id')
    .option('--kinds <kinds>', 'kinds separated by commas (default: every kind; the API lists them)')
    .option('--after <iso-8601>', 'entries at or after this time')
    .option('--before <iso-8601>', 'entries before this time')
    .option('--limit <n>', 'at most this many entries', '1000')
    .option('--json', 'print one JSON object per entry, one per line')
    .action(async (id: string, opts: TimelineOptions, cmd: Command) => {
      const { customerTimeline, MAX_TIMELINE_PAGE, TIMELINE_AUDIT_ACTION, timelineAuditDetail } = await import('../../use-cases/customer-timeline.ts');
      const wanted = positive(opts.limit, 'limit');
      const base = {
        customerId: id,
        kinds: opts.kinds?.split(',').filter((k) => k !== ''),
        from: opts.after === undefined ? undefined : parseInstant(opts.after, 'after'),
        before: opts.before === undefined ? undefined : parseInstant(opts.before, 'before'),
      };
      const rows: string[][] = [];
      await withApp(cmd, async (app) => {
        let cursor: string | undefined;
        let printed = 0;
        // Page by page as the API does, each page audited; printed as it is read.
        while (printed < wanted) {
          const input = { ...base, cursor, limit: Math.min(MAX_TIMELINE_PAGE, wanted - printed) };
          const page = await customerTimeline(app.stores, input);
          const by = cliActor();
          await app.stores.audit.record({ at: app.now(), ...by, action: TIMELINE_AUDIT_ACTION, customerId: id, detail: timelineAuditDetail(input, page) });
          for (const entry of page.entries) {
            if (opts.json === true) await printJsonLine(entry);
            else rows.push([entry.at, entry.kind, entry.id, summaryText(entry.summary)]);
          }
          printed += page.entries.length;
          if (page.next === null) break;
          cursor = page.next;
        }
      });
      if (opts.json === true) return;
      if (rows.length === 0) process.stdout.write(`no history for ${id}\n`);
      else printTable(['at', 'kind', 'id', 'summary'], rows);
    });
}

/** The summary's fields as `name=value`, the empty ones left out. */
function summaryText(summary: Record<string, unknown>): string {
  return Object.entries(summary)
    .filter(([, v]) => v !== null && !(Array.isArray(v) && v.length === 0))
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(',') : String(v)}`)
    .join(' ');
}
