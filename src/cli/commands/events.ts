/**
 * `lupa events stats`: the sites' events (docs/sites-and-ads.md) over a time range, per site, page,
 * ad slot and event name, kept per visitor (with site_ads consent) beside only counted (without).
 */
import type { Command } from 'commander';
import { DomainError } from '../../core/errors.ts';
import type { Instant } from '../../core/records.ts';
import { printJson, withApp } from '../context.ts';
import { printTable } from '../table.ts';

function instantOption(value: string | undefined, fallback: number, field: string): Instant {
  const ms = value === undefined ? fallback : Date.parse(value);
  if (Number.isNaN(ms)) throw new DomainError('INVALID_DATE', `${field} must be an ISO-8601 time (2026-11-30T00:00:00Z)`, { field });
  return new Date(ms).toISOString() as Instant;
}

export function registerEvents(program: Command): void {
  const events = program.command('events').description('events from the sites: the browser SDK lupa.js (docs/sites-and-ads.md)');
  events
    .command('stats')
    .description('events per site, page, ad slot and name: kept per visitor (site_ads consent) and only counted (without); counts only')
    .option('--since <time>', 'from this time (default: 24 hours ago)')
    .option('--until <time>', 'until this time (default: now)')
    .option('--site <site>', 'one site only')
    .option('--json', 'print [{"site", "page", "slot", "name", "withConsent", "withoutConsent"}]')
    .action(async (opts: { since?: string; until?: string; site?: string; json?: boolean }, cmd: Command) => {
      const { eventStats } = await import('../../use-cases/site-events/event-stats.ts');
      await withApp(cmd, async (app) => {
        const now = Date.parse(app.now());
        const q = { from: instantOption(opts.since, now - 24 * 3600_000, 'since'), to: instantOption(opts.until, now + 1, 'until'), ...(opts.site === undefined ? {} : { site: opts.site }) };
        const rows = await eventStats(app.stores.siteEvents, q);
        if (opts.json === true) printJson(rows);
        else if (rows.length === 0) process.stdout.write(`no site events between ${q.from} and ${q.to}\n`);
        else printTable(['site', 'page', 'slot', 'event', 'with consent', 'counted only'], rows.map((r) => [r.site, r.page, r.slot, r.name, r.withConsent, r.withoutConsent]));
      });
    });
}
