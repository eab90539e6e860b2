/**
 * `lupa remarketing`: remarketing lists of site visitors [S20] (docs/sites-and-ads.md,
 * "Remarketing lists"): visitors with site_ads consent who did an event within N days, and did not
 * do another after it. The CLI is the operator's: sizes are exact. Nobody lists who is on a list.
 */
import type { Command } from 'commander';
import type { RemarketingList } from '../../core/remarketing.ts';
import { printJson, withApp } from '../context.ts';
import { counted } from '../counted.ts';
import { positive } from '../parse-options.ts';
import { printTable } from '../table.ts';

const useCases = () => import('../../use-cases/remarketing.ts');

/** The rule in a line: `subscription_started on /tilaa within 30 days, not followed by subscription_completed (uutisvirta.fi)`. */
function ruleText(l: RemarketingList): string {
  const page = l.pagePrefix === null ? '' : ` on ${l.pagePrefix}`;
  const not = l.notFollowedBy === null ? '' : `, not followed by ${l.notFollowedBy}`;
  return `${l.event}${page} within ${l.withinDays} days${not}${l.site === null ? '' : ` (${l.site})`}`;
}

export function registerRemarketing(program: Command): void {
  const remarketing = program.command('remarketing').description('remarketing lists of site visitors with site_ads consent (docs/sites-and-ads.md)');

  remarketing
    .command('list')
    .description('every list with its rule and size as last refreshed')
    .option('--json', 'print one JSON object per list')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const lists = await withApp(cmd, (app) => app.stores.remarketing.list());
      if (opts.json === true) for (const l of lists) printJson(l);
      else if (lists.length === 0) process.stdout.write('no remarketing list yet (lupa remarketing create)\n');
      else printTable(['id', 'name', 'rule', 'members', 'refreshed'], lists.map((l) => [l.id, l.name, ruleText(l), l.members, l.refreshedAt ?? 'never']));
    });

  remarketing
    .command('create')
    .description('a list: visitors who did --event within --days days (and did not do --not-followed-by after it); members computed at once')
    .argument('<name>', 'the name the site\'s tag sees (letters, digits, _ . -)')
    .requiredOption('--event <name>', 'the event (page_view for a page view)')
    .requiredOption('--days <n>', 'within this many days (1–540)')
    .option('--page <prefix>', 'only on pages whose path starts with this, e.g. /tilaa')
    .option('--not-followed-by <name>', 'and did not do this event after it, e.g. subscription_completed')
    .option('--site <site>', 'only this site\'s events (default: every site)')
    .option('--json', 'print the list as JSON')
    .action(async (name: string, opts: { event: string; days: string; page?: string; notFollowedBy?: string; site?: string; json?: boolean }, cmd: Command) => {
      const { createRemarketingList } = await useCases();
      // "7days" is no number of days: left as text, refused naming the field.
      const withinDays = /^\d+$/.test(opts.days) ? Number(opts.days) : opts.days;
      const input = { name, event: opts.event, withinDays, pagePrefix: opts.page, notFollowedBy: opts.notFollowedBy, site: opts.site };
      const list = await withApp(cmd, (app) => createRemarketingList({ remarketing: app.stores.remarketing, now: app.now }, input, 'cli'));
      if (opts.json === true) printJson(list);
      else process.stdout.write(`remarketing list ${list.id} "${list.name}": ${ruleText(list)}; ${counted(list.members, 'visitor')} now\n`);
    });

  remarketing
    .command('refresh')
    .description('recompute a list\'s members now (without an id: every list)')
    .argument('[id]', 'list id (lupa remarketing list)')
    .option('--json', 'print one JSON object per list refreshed')
    .action(async (id: string | undefined, opts: { json?: boolean }, cmd: Command) => {
      const { refreshAllRemarketingLists, refreshRemarketingList } = await useCases();
      const done = await withApp(cmd, async (app) => {
        const deps = { remarketing: app.stores.remarketing, now: app.now };
        return id === undefined ? refreshAllRemarketingLists(deps, (listId, err) => process.stderr.write(`remarketing list ${listId} refresh failed: ${err instanceof Error ? err.message : String(err)}\n`)) : [await refreshRemarketingList(deps, positive(id, 'id'))];
      });
      for (const r of done) {
        if (opts.json === true) printJson(r);
        else process.stdout.write(`remarketing list ${r.listId}: ${counted(r.members, 'visitor')} (${r.refreshedAt})\n`);
      }
    });

  remarketing
    .command('show')
    .description('one list: its rule, size and when it was refreshed')
    .argument('<id>', 'list id')
    .option('--json', 'print the list as JSON')
    .action(async (id: string, opts: { json?: boolean }, cmd: Command) => {
      const { remarketingList } = await useCases();
      const list = await withApp(cmd, (app) => remarketingList({ remarketing: app.stores.remarketing }, positive(id, 'id')));
      if (opts.json === true) printJson(list);
      else process.stdout.write(`${list.id} ${list.name}\n  rule:      ${ruleText(list)}\n  members:   ${list.members}\n  refreshed: ${list.refreshedAt ?? 'never'}\n  created:   ${list.createdAt} by ${list.createdBy}\n`);
    });
}
