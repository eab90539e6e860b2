/**
 * `lupa ads`: ads on the company's own sites (docs/sites-and-ads.md). `lupa ads list|create|update|
 * report` keeps the own-product ads [S8, S14] (src/cli/commands/site-ads.ts); `lupa ads segments`
 * offers segments to advertisers [S28]: under a public name, with sizes rounded to hundreds and
 * hidden below 100, never who is in them.
 */
import type { Command } from 'commander';
import { ADVERTISER_MIN_SIZE, advertiserSize } from '../../core/advertiser-segments.ts';
import { printJson, withApp } from '../context.ts';
import { localLinkNote } from '../local-link-note.ts';
import { positive } from '../parse-options.ts';
import { printTable } from '../table.ts';
import { registerSiteAds } from './site-ads.ts';

const useCases = () => import('../../use-cases/advertiser-segments.ts');

export function registerAds(program: Command): void {
  const ads = program.command('ads').description('ads on the sites: own-product ads and segments offered to advertisers (docs/sites-and-ads.md)');
  registerSiteAds(ads);
  const segments = ads.command('segments').description('segments offered to advertisers [S28]: public name, rounded size, never members');

  segments
    .command('list')
    .description('the offered segments with the size advertisers see')
    .option('--json', 'print one JSON object per segment')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const list = await withApp(cmd, (app) => app.stores.advertiserSegments.list());
      const rows = list.map((s) => ({ segmentId: s.segmentId, name: s.name, description: s.description, size: advertiserSize(s.members), computedAt: s.computedAt }));
      if (opts.json === true) for (const r of rows) printJson(r);
      else if (rows.length === 0) process.stdout.write('no segment is offered to advertisers (lupa ads segments offer)\n');
      else printTable(['segment', 'name', 'size'], rows.map((r) => [r.segmentId, r.name, r.size === null ? `fewer than ${ADVERTISER_MIN_SIZE}` : `about ${r.size}`]));
    });

  segments
    .command('offer')
    .description('offer a segment to advertisers under a public name (again: change the name)')
    .argument('<segment>', 'segment id (lupa segments list)')
    .requiredOption('--name <text>', 'the name advertisers see (1–100 characters)')
    .requiredOption('--description <text>', 'what advertisers read about it (1–500 characters)')
    .option('--json', 'print one JSON object')
    .action(async (segment: string, opts: { name: string; description: string; json?: boolean }, cmd: Command) => {
      const { offerSegment } = await useCases();
      const offered = await withApp(cmd, (app) => offerSegment({ advertiserSegments: app.stores.advertiserSegments, now: app.now }, { segmentId: positive(segment, 'segment'), name: opts.name, description: opts.description }, 'cli'));
      const size = advertiserSize(offered.members);
      if (opts.json === true) printJson({ segmentId: offered.segmentId, name: offered.name, description: offered.description, size, computedAt: offered.computedAt });
      else process.stdout.write(`segment ${offered.segmentId} offered as "${offered.name}": ${size === null ? `fewer than ${ADVERTISER_MIN_SIZE}` : `about ${size}`} people\n`);
    });

  segments
    .command('withdraw')
    .description('withdraw a segment from advertisers (the catalogue and the ad server, at once)')
    .argument('<segment>', 'segment id')
    .action(async (segment: string, _opts: object, cmd: Command) => {
      const { withdrawSegment } = await useCases();
      await withApp(cmd, (app) => withdrawSegment({ advertiserSegments: app.stores.advertiserSegments, now: app.now }, positive(segment, 'segment')));
      process.stdout.write(`segment ${segment} withdrawn from advertisers\n`);
    });

  segments
    .command('link')
    .description('a signed link to the catalogue page for advertisers (no account needed), at LUPA_PUBLIC_URL (unset: this shell\'s LUPA_HOST:LUPA_PORT)')
    .option('--days <n>', 'how long the link works (1–365)', '30')
    .option('--json', 'print {"url", "expiresAt"}')
    .action(async (opts: { days: string; json?: boolean }, cmd: Command) => {
      const { catalogueLink } = await useCases();
      // "7days" or "1.5" is no number of days: left as text, refused naming the field.
      const days = /^\d+$/.test(opts.days) ? Number(opts.days) : opts.days;
      const { link, note } = await withApp(cmd, async (app) => ({
        link: catalogueLink(app, days),
        note: localLinkNote(app, 'the catalogue page', `lupa ads segments link --days ${String(days)}`),
      }));
      if (note !== null) process.stderr.write(note);
      if (opts.json === true) printJson(link);
      else process.stdout.write(`${link.url}\n(valid until ${link.expiresAt})\n`);
    });
}
