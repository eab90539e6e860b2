/** `lupa migrate`: bring the database schema up to date (every other command does this too). */
import type { Command } from 'commander';
import { openDatabase } from '../../storage/database.ts';
import { migrate } from '../../storage/migrate.ts';
import { configFrom } from '../context.ts';

export function registerMigrate(program: Command): void {
  program
    .command('migrate')
    .description('apply pending database migrations')
    .action(async (_opts: unknown, cmd: Command) => {
      const database = openDatabase(configFrom(cmd).LUPA_DATABASE_URL);
      try {
        const applied = await migrate(database);
        process.stdout.write(applied.length === 0 ? 'schema is up to date\n' : `applied ${applied.join(', ')}\n`);
      } finally {
        await database.close();
      }
    });
}
