/**
 * `lupa ads list|create|update|report`: own-product ads on the company's sites [S8, S14]
 * (docs/sites-and-ads.md, "Own-product ads on the sites"). The same use cases as `/v1/site-ads`.
 */
import type { Command } from 'commander';
import { DomainError } from '../../core/errors.ts';
import type { Instant } from '../../core/records.ts';
import { reportWindow, summariseSiteAdReport, type AdFigures, type SiteAd, type SiteAdInput } from '../../core/site-ads/site-ads.ts';
import { printJson, withApp } from '../context.ts';
import { positive } from '../parse-options.ts';
import { printTable } from '../table.ts';

interface AdOptions {
  name?: string;
  headline?: string;
  text?: string;
  image?: string;
  target?: string;
  sku?: string;
  placement?: string[];
  from?: string;
  until?: string;
  active?: boolean;
  json?: boolean;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Loaded when a command runs, not for `--help`: the composition root pulls in the mail and HTTP libraries. */
const writing = async () => {
  const [{ siteAdDeps }, { createSiteAd, updateSiteAd }] = await Promise.all([import('../../composition-root.ts'), import('../../use-cases/site-ads.ts')]);
  return { siteAdDeps, createSiteAd, updateSiteAd };
};

function instant(value: string | undefined, field: string): Instant | null | undefined {
  if (value === undefined) return undefined;
  if (value === '' || value === 'none') return null;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new DomainError('VALIDATION_FAILED', `${field} is not a date (2026-12-01 or 2026-12-01T08:00:00Z)`, { field });
  return new Date(ms).toISOString() as Instant;
}

/** The fields the options give (an ad's patch); `none` clears the image, product and dates. */
function fields(o: AdOptions): Partial<SiteAdInput> {
  const orNull = (v: string | undefined) => (v === undefined ? undefined : v === 'none' ? null : v);
  const patch: Partial<SiteAdInput> = {
    name: o.name,
    headline: o.headline,
    text: o.text,
    imageUrl: orNull(o.image),
    targetUrl: o.target,
    sku: orNull(o.sku),
    placements: o.placement?.flatMap((p) => p.split(',')).map((p) => p.trim()).filter((p) => p !== ''),
    validFrom: instant(o.from, 'validFrom'),
    validUntil: instant(o.until, 'validUntil'),
    active: o.active,
  };
  return Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
}

function withAdOptions(command: Command, required: boolean): Command {
  const option = (flags: string, description: string) => (required ? command.requiredOption(flags, description) : command.option(flags, description));
  option('--name <text>', "the marketer's name for the ad (visitors never see it)");
  option('--headline <text>', 'the headline (at most 80 characters)');
  option('--text <text>', 'the text (at most 300 characters)');
  option('--target <url>', "where a click leads: a page of the company's own sites (LUPA_SITE_ORIGINS)");
  option('--placement <names...>', 'placements it may appear in (front-top article-side, or comma-separated)');
  return command
    .option('--image <url>', 'an https URL or a path on the site (none: text only)')
    .option('--sku <sku>', 'the product advertised (none: no product)')
    .option('--from <date>', 'shown from (ISO date or time; none: at once)')
    .option('--until <date>', 'shown until, not including (none: no end)')
    .option('--json', 'print the ad as JSON');
}

/** When an ad runs, as a person reads it: "always", "from …", "until …" or "… – …". */
function validity(ad: Pick<SiteAd, 'validFrom' | 'validUntil'>): string {
  if (ad.validFrom === null && ad.validUntil === null) return 'always';
  if (ad.validUntil === null) return `from ${ad.validFrom}`;
  if (ad.validFrom === null) return `until ${ad.validUntil}`;
  return `${ad.validFrom} – ${ad.validUntil}`;
}

function printAd(ad: SiteAd, json: boolean | undefined, verb: string): void {
  if (json === true) printJson(ad);
  else process.stdout.write(`site ad ${ad.id} "${ad.name}" ${verb}: ${ad.active ? 'active' : 'stopped'} in ${ad.placements.join(', ')}, runs ${validity(ad)}, leads to ${ad.targetUrl}\n`);
}

const pct = (f: AdFigures) => (f.ctr === null ? '–' : `${(f.ctr * 100).toFixed(2)} %`);

export function registerSiteAds(ads: Command): void {
  ads
    .command('list')
    .description('the own-product ads on the sites, newest first')
    .option('--json', 'print one JSON object per ad')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const list = await withApp(cmd, (app) => app.stores.siteAds.list());
      if (opts.json === true) for (const ad of list) printJson(ad);
      else if (list.length === 0) process.stdout.write('no own-product ads yet (lupa ads create)\n');
      else printTable(['id', 'name', 'state', 'runs', 'placements', 'product', 'target'], list.map((a) => [a.id, a.name, a.active ? 'active' : 'stopped', validity(a), a.placements.join(','), a.sku ?? '', a.targetUrl]));
    });

  withAdOptions(ads.command('create').description('create an own-product ad (active at once unless --inactive)'), true)
    .option('--inactive', 'create it stopped')
    .action(async (opts: AdOptions & { inactive?: boolean }, cmd: Command) => {
      const given = fields(opts);
      const input: SiteAdInput = {
        name: opts.name ?? '',
        headline: opts.headline ?? '',
        text: opts.text ?? '',
        targetUrl: opts.target ?? '',
        placements: given.placements ?? [],
        imageUrl: given.imageUrl ?? null,
        sku: given.sku ?? null,
        validFrom: given.validFrom ?? null,
        validUntil: given.validUntil ?? null,
        active: opts.inactive !== true,
      };
      const { siteAdDeps, createSiteAd } = await writing();
      printAd(await withApp(cmd, (app) => createSiteAd(siteAdDeps(app), input)), opts.json, 'created');
    });

  withAdOptions(ads.command('update').description('change the given fields of an ad; --stop and --start switch it').argument('<id>', 'the ad (lupa ads list)'), false)
    .option('--stop', 'stop showing it')
    .option('--start', 'show it again')
    .action(async (id: string, opts: AdOptions & { stop?: boolean; start?: boolean }, cmd: Command) => {
      const patch = { ...fields(opts), ...(opts.stop === true ? { active: false } : {}), ...(opts.start === true ? { active: true } : {}) };
      const { siteAdDeps, updateSiteAd } = await writing();
      printAd(await withApp(cmd, (app) => updateSiteAd(siteAdDeps(app), positive(id, 'id'), patch)), opts.json, 'updated');
    });

  ads
    .command('report')
    .description("an ad's impressions, clicks and click-through rate by placement and day, people (site_ads consent) and aggregate apart")
    .argument('<id>', 'the ad (lupa ads list)')
    .option('--from <day>', 'first day (YYYY-MM-DD, UTC; default: 30 days ending with --to)')
    .option('--to <day>', 'last day (default today)')
    .option('--json', 'print the report as JSON')
    .action(async (id: string, opts: { from?: string; to?: string; json?: boolean }, cmd: Command) => {
      for (const [field, v] of [['from', opts.from], ['to', opts.to]] as const) if (v !== undefined && !DAY.test(v)) throw new DomainError('VALIDATION_FAILED', `--${field} must be a day, YYYY-MM-DD`, { field });
      const adId = positive(id, 'id');
      const report = await withApp(cmd, async (app) => {
        if ((await app.stores.siteAds.get(adId)) === null) throw new DomainError('NOT_FOUND', `no site ad ${adId}`, { field: 'id' });
        const { fromDay, toDay } = reportWindow(app.now(), opts);
        return { adId, from: fromDay, to: toDay, ...summariseSiteAdReport(await app.stores.siteAds.report(adId, { fromDay, toDay })) };
      });
      if (opts.json === true) {
        printJson(report);
        return;
      }
      process.stdout.write(`site ad ${adId}, ${report.from} – ${report.to}: ${report.total.impressions} impressions, ${report.total.clicks} clicks, CTR ${pct(report.total)}\n`);
      process.stdout.write(`  people (site_ads consent): ${report.people.impressions} impressions, ${report.people.clicks} clicks, CTR ${pct(report.people)}\n`);
      process.stdout.write(`  aggregate (no consent):    ${report.aggregate.impressions} impressions, ${report.aggregate.clicks} clicks, CTR ${pct(report.aggregate)}\n`);
      if (report.byPlacement.length > 0) {
        printTable(
          ['placement', 'people impr.', 'people clicks', 'aggr. impr.', 'aggr. clicks'],
          report.byPlacement.map((p) => [p.placement, p.people.impressions, p.people.clicks, p.aggregate.impressions, p.aggregate.clicks]),
        );
      }
      if (report.byDay.length > 0) {
        printTable(
          ['day', 'people impr.', 'people clicks', 'aggr. impr.', 'aggr. clicks'],
          report.byDay.map((d) => [d.day, d.people.impressions, d.people.clicks, d.aggregate.impressions, d.aggregate.clicks]),
        );
      }
    });
}
