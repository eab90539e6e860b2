/**
 * `lupa openapi`: prints the API's OpenAPI 3 document, as served at /docs/json. The console's API
 * types are generated from it at build time (bin/build-console.mjs), so a changed route breaks the
 * console's build, not its users. Needs no database of the installation: it describes routes only.
 */
import type { Command } from 'commander';

export function registerOpenApi(program: Command): void {
  program
    .command('openapi')
    .description('print the OpenAPI document of the HTTP API (JSON)')
    .action(async () => {
      const [{ createApp }, { loadConfig }, { buildServer }] = await Promise.all([import('../../app.ts'), import('../../config.ts'), import('../../http/server.ts')]);
      const app = await createApp(loadConfig({ LUPA_DATABASE_URL: 'sqlite::memory:', LUPA_LOG_LEVEL: 'silent' }));
      try {
        const server = await buildServer(app, { logger: false });
        await server.ready();
        process.stdout.write(`${JSON.stringify(server.swagger(), null, 2)}\n`);
        await server.close();
      } finally {
        await app.close();
      }
    });
}
