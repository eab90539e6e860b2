/** `lupa keys`: issue, list and revoke API keys. A new key is printed once and stored only as a hash. */
import type { Command } from 'commander';
import { createApiKey, listApiKeys, revokeApiKey } from '../../use-cases/api-keys.ts';
import { printJson, withApp } from '../context.ts';

export function registerKeys(program: Command): void {
  const keys = program.command('keys').description('manage API keys (roles: admin, marketer, agent, dpo, analyst)');
  keys
    .command('create')
    .requiredOption('--role <role>', 'admin, marketer, agent, dpo or analyst')
    .requiredOption('--name <name>', 'who or what uses the key')
    .option('--json', 'print one JSON object')
    .action(async (opts: { role: string; name: string; json?: boolean }, cmd: Command) => {
      const created = await withApp(cmd, (app) => createApiKey({ apiKeys: app.stores.apiKeys, now: app.now }, { name: opts.name, role: opts.role }));
      if (opts.json === true) printJson(created);
      else {
        // The key alone on standard output, so that KEY=$(lupa keys create …) takes it; the note beside it on standard error.
        process.stdout.write(`${created.key}\n`);
        process.stderr.write(`(key ${created.id}, role ${created.role}: shown once, keep it safe)\n`);
      }
    });
  keys
    .command('list')
    .option('--json', 'print JSON lines')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const all = await withApp(cmd, (app) => listApiKeys({ apiKeys: app.stores.apiKeys }));
      for (const k of all) {
        if (opts.json === true) printJson(k);
        else process.stdout.write(`${k.id}\t${k.role}\t${k.revokedAt === null ? 'active' : `revoked ${k.revokedAt}`}\t${k.name}\n`);
      }
    });
  keys
    .command('revoke')
    .argument('<id>', 'key id (from keys list)')
    .action(async (id: string, _opts: unknown, cmd: Command) => {
      await withApp(cmd, (app) => revokeApiKey({ apiKeys: app.stores.apiKeys, now: app.now }, { id }));
      process.stdout.write(`revoked ${id}\n`);
    });
}
