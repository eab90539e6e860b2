/**
 * `lupa audiences`: hashed ad audiences on Meta and Google (docs/sites-and-ads.md). Who may be
 * uploaded is rule 8 (consent for `ad_audience`, no objection) with an optional filter; counts and
 * hashes only: no command prints a person's identifiers in clear.
 */
import type { Command } from 'commander';
import { parseAdPlatform, parseCountry } from '../../core/ad-audiences/identifiers.ts';
import type { AdAudience, AdAudienceSync } from '../../core/ad-audiences/ports.ts';
import { ERROR_CODES, isDomainError } from '../../core/errors.ts';
import { printJson, withApp } from '../context.ts';
import { CliExit } from '../main.ts';
import { counted } from '../counted.ts';
import { parseFilterOptions, positive, withFilterOptions, type FilterOptions } from '../parse-options.ts';
import { printTable } from '../table.ts';

const useCases = () => import('../../use-cases/ad-audiences/ad-audiences.ts');

async function syncDeps(app: Parameters<Parameters<typeof withApp>[1]>[0]) {
  const { adPlatformClients } = await import('../../channels/ads/platform-clients.ts');
  return { ...app.stores, settings: app.settings, now: app.now, platforms: adPlatformClients(app.config) };
}

function syncText(s: AdAudienceSync | null): string {
  if (s === null) return 'not synced yet';
  return `${s.status} at ${s.finishedAt}: ${s.eligible} eligible, +${s.added} −${s.removed} identifiers${s.error === null ? '' : ` (${s.error})`}`;
}

function audienceLine(a: AdAudience): string {
  return `ad audience ${a.id} "${a.name}" on ${a.platform} (${a.externalId}): ${a.identifiers} identifiers; ${a.lastSync === null ? 'not synced yet' : `last sync ${syncText(a.lastSync)}`}`;
}

export function registerAudiences(program: Command): void {
  const platformNote = (platform: string): string => `by ${platform === 'google' ? 'Google' : 'Meta'}'s rules`;
  const audiences = program.command('audiences').description('hashed ad audiences on Meta and Google, synced as differences (docs/sites-and-ads.md)');

  audiences
    .command('hash')
    .description('the exact identifier Lupa would upload for an e-mail and a phone number: normalised by the platform\'s rules, SHA-256')
    .requiredOption('--platform <platform>', 'meta or google')
    .option('--email <email>', 'an e-mail address')
    .option('--phone <phone>', 'a phone number')
    .option('--country <cc>', 'country of a number without its country code', 'FI')
    .option('--json', 'print {"email": hex|null, "phone": hex|null}')
    .action(async (opts: { platform: string; email?: string; phone?: string; country: string; json?: boolean }) => {
      const { hashIdentifiers } = await import('../../use-cases/ad-audiences/hashed-identifiers.ts');
      const hashes = hashIdentifiers(parseAdPlatform(opts.platform), {
        ...(opts.email === undefined ? {} : { email: opts.email }),
        ...(opts.phone === undefined ? {} : { phone: opts.phone }),
        country: parseCountry(opts.country),
      });
      // Null is the answer for what would not be uploaded; stderr says why, so a typo is not taken for a rule.
      if (opts.email === undefined && opts.phone === undefined) process.stderr.write('note: give --email, --phone or both; nothing was hashed\n');
      if (opts.email !== undefined && hashes.email === null) process.stderr.write(`note: --email is not an e-mail address ${platformNote(opts.platform)}: nothing would be uploaded for it\n`);
      if (opts.phone !== undefined && hashes.phone === null) process.stderr.write(`note: --phone is not a phone number (country ${opts.country.toUpperCase()} for one without its country code): nothing would be uploaded for it\n`);
      if (opts.json === true) printJson(hashes);
      else process.stdout.write(`email: ${hashes.email ?? '-'}\nphone: ${hashes.phone ?? '-'}\n`);
    });

  withFilterOptions(
    audiences
      .command('preview')
      .description('how many customers would be uploaded now (consent for ad_audience, no objection), and why the rest would not'),
  )
    .option('--platform <platform>', 'meta or google (the same people either way)', 'meta')
    .option('--json', 'print {"eligible": n, "blocked": {"CODE": n, …}}')
    .action(async (opts: FilterOptions & { platform: string; json?: boolean }, cmd: Command) => {
      parseAdPlatform(opts.platform);
      const filter = parseFilterOptions(opts);
      const { previewAdAudience } = await useCases();
      const preview = await withApp(cmd, (app) => previewAdAudience({ ...app.stores, settings: app.settings, now: app.now }, filter));
      if (opts.json === true) {
        // The documented shape: who may be uploaded, and the rest by reason.
        printJson({ eligible: preview.eligible, blocked: preview.blocked });
        return;
      }
      process.stdout.write(`${counted(preview.eligible, 'customer')} may be uploaded\n`);
      for (const [reason, n] of Object.entries(preview.blocked)) process.stdout.write(`  excluded by ${reason}: ${n}\n`);
    });

  withFilterOptions(
    audiences
      .command('create')
      .description('bind a selection to an audience on a platform; it is uploaded at the next sync')
      .requiredOption('--name <name>', 'a name people recognise')
      .requiredOption('--platform <platform>', 'meta or google')
      .requiredOption('--external-id <id>', "the platform's audience: Meta's custom audience id, Google's user list id"),
  )
    .option('--json', 'print the audience as JSON')
    .action(async (opts: FilterOptions & { name: string; platform: string; externalId: string; json?: boolean }, cmd: Command) => {
      const platform = parseAdPlatform(opts.platform);
      const filter = parseFilterOptions(opts);
      const { createAdAudience } = await useCases();
      const audience = await withApp(cmd, (app) => createAdAudience({ ...app.stores, now: app.now }, { name: opts.name, platform, externalId: opts.externalId, filter }, 'cli'));
      if (opts.json === true) printJson(audience);
      else process.stdout.write(`${audienceLine(audience)}\n`);
    });

  audiences
    .command('list')
    .description('the ad audiences with their size and last sync')
    .option('--json', 'print a JSON array')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const list = await withApp(cmd, (app) => app.stores.adAudiences.list());
      if (opts.json === true) {
        printJson(list);
        return;
      }
      if (list.length === 0) {
        process.stdout.write('no ad audiences yet (lupa audiences create --name NAME --platform meta --external-id ID)\n');
        return;
      }
      printTable(
        ['ID', 'NAME', 'PLATFORM', 'IDENTIFIERS', 'LAST SYNC', 'ADDED', 'REMOVED'],
        list.map((a) => [a.id, a.name, a.platform, a.identifiers, a.lastSync?.finishedAt ?? '-', a.lastSync?.added ?? '-', a.lastSync?.removed ?? '-']),
      );
    });

  audiences
    .command('status <id>')
    .description('one audience with its recent syncs: additions, removals and who was excluded, by reason')
    .option('--json', 'print {"audience": …, "syncs": […]}')
    .action(async (id: string, opts: { json?: boolean }, cmd: Command) => {
      const { adAudienceStatus, previewAdAudience } = await useCases();
      const { status, now } = await withApp(cmd, async (app) => {
        const found = await adAudienceStatus({ adAudiences: app.stores.adAudiences }, positive(id, 'id'));
        // Before its first sync, who would be uploaded now: the counts a sync would record.
        const preview = found.syncs.length === 0 && opts.json !== true ? await previewAdAudience({ ...app.stores, settings: app.settings, now: app.now }, found.audience.filter) : null;
        return { status: found, now: preview };
      });
      if (opts.json === true) {
        printJson(status);
        return;
      }
      const excludedText = (blocked: Partial<Record<string, number>>): string => Object.entries(blocked).map(([reason, n]) => `${reason} ${n ?? 0}`).join(', ');
      process.stdout.write(`${audienceLine(status.audience)}\n`);
      if (now !== null) {
        const excluded = excludedText(now.blocked);
        process.stdout.write(`  now: ${now.eligible} eligible${excluded === '' ? '' : `; excluded: ${excluded}`}\n`);
      }
      for (const s of status.syncs) {
        const excluded = excludedText(s.blocked);
        process.stdout.write(`  ${syncText(s)}${excluded === '' ? '' : `; excluded: ${excluded}`}\n`);
      }
    });

  audiences
    .command('sync [id]')
    .description('send the difference since the last successful sync now (one audience, or all)')
    .option('--json', 'print the syncs as JSON')
    .action(async (id: string | undefined, opts: { json?: boolean }, cmd: Command) => {
      const { syncAdAudience, syncAllAdAudiences } = await import('../../use-cases/ad-audiences/sync-ad-audience.ts');
      // The exit code of the first failure: a scheduled `lupa audiences sync` must not report success when a sync failed.
      let failedExit: number | null = null;
      const syncs = await withApp(cmd, async (app) => {
        const deps = await syncDeps(app);
        if (id !== undefined) return [await syncAdAudience(deps, positive(id, 'id'))];
        return syncAllAdAudiences(deps, (audienceId, err) => {
          failedExit ??= isDomainError(err) ? ERROR_CODES[err.code].exit : 1;
          const said = isDomainError(err) ? `${err.code}: ${err.message}` : err instanceof Error ? err.message : String(err);
          process.stderr.write(`ad audience ${audienceId}: sync failed: ${said}\n`);
        });
      });
      if (opts.json === true) printJson(syncs);
      else for (const s of syncs) process.stdout.write(`ad audience ${s.audienceId}: ${syncText(s)}\n`);
      if (failedExit !== null) throw new CliExit(failedExit);
    });
}
