/**
 * One server process of the decide-http benchmark's multi-process run (bench/decide-http-processes.ts),
 * forked with node:cluster: Lupa's HTTP server on the benchmark's store, as `lupa serve` builds it,
 * listening on port 0: node:cluster gives every worker the same port, and shares it between them.
 */
import { createApp } from '../src/composition-root.ts';
import { loadConfig } from '../src/config.ts';
import { buildServer } from '../src/http/server.ts';

const app = await createApp(loadConfig({ LUPA_DATABASE_URL: process.env.LUPA_BENCH_WORKER_DATABASE_URL ?? '', LUPA_LOG_LEVEL: 'silent' }));
if (app.database.dialect === 'sqlite') app.database.checkpointOffThread();
const server = await buildServer(app, { logger: false });
await server.listen({ host: '127.0.0.1', port: 0 });
process.once('SIGTERM', () => {
  void server
    .close()
    .then(() => app.close())
    .then(() => process.exit(0));
});
