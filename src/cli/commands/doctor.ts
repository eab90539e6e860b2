/**
 * `lupa doctor`: whether mail sent with this configuration can arrive, item by item (ok, warning,
 * blocking) with the fix, and the DNS records to publish. Exit code 0 when nothing is blocking, 1
 * when something is (a marketing launch would be refused); CONFIG_INVALID (6) when the configuration
 * cannot be read at all.
 */
import type { Command } from 'commander';
import { printJson, withApp } from '../context.ts';
import { CliExit } from '../main.ts';

export function registerDoctor(program: Command): void {
  program
    .command('doctor')
    .description('check the sending setup (public URL, DKIM, sender domains, return path) and print the DNS records to publish; exit 1 when something blocks sending')
    .option('--json', 'print one JSON object')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const report = await withApp(cmd, async (app) => (await import('../../use-cases/sending-readiness.ts')).readinessReport({ campaigns: app.stores.campaigns, sending: app.sending }));
      if (opts.json === true) printJson(report);
      else process.stdout.write((await import('../readiness-text.ts')).readinessText(report));
      if (report.blocking) throw new CliExit(1);
    });
}
