/** `lupa migrate`: bring the database schema up to date (every other command does this too). */
import type { Command } from 'commander';
import { configFrom } from '../context.ts';

export function registerMigrate(program: Command): void {
  program
    .command('migrate')
    .description('apply pending database migrations')
    .action(async (_opts: unknown, cmd: Command) => {
      const { migrateDatabase } = await import('../../app.ts');
      const applied = await migrateDatabase(configFrom(cmd));
      process.stdout.write(applied.length === 0 ? 'schema is up to date\n' : `applied ${applied.join(', ')}\n`);
    });
}
