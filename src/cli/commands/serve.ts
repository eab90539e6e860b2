/**
 * `lupa serve` (what `npm start` runs): the HTTP API and, on SQLite, the sending worker. On the first
 * start against an empty database it loads demo data and issues an admin key, so a new user has
 * something to look at.
 */
import { hostname } from 'node:os';
import { Readable } from 'node:stream';
import type { Command } from 'commander';
import type { App } from '../../composition-root.ts';
import type { Config } from '../../config.ts';
import { configFrom } from '../context.ts';

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('start the HTTP API (demo data and an admin key on the first start)')
    .option('--port <port>', 'port (default: env LUPA_PORT or 8080)')
    .option('--host <host>', 'address to listen on (default: env LUPA_HOST or 127.0.0.1)')
    .option('--no-demo', 'do not load demo data into an empty database')
    .action(async (opts: { port?: string; host?: string; demo: boolean }, cmd: Command) => {
      const config = configFrom(cmd, {
        ...(opts.port === undefined ? {} : { LUPA_PORT: Number(opts.port) }),
        ...(opts.host === undefined ? {} : { LUPA_HOST: opts.host }),
      });
      // Loaded when the command runs, so that `lupa --help` starts without the server's libraries.
      const [{ createApp, startBounceReceiver, startDevInbox, startSendingWorker }, { buildServer }, { startSummaryRefresher }, { startPeriodicJob }] = await Promise.all([
        import('../../composition-root.ts'),
        import('../../http/server.ts'),
        import('../../jobs/summary-refresher.ts'),
        import('../../jobs/periodic-job.ts'),
      ]);
      const app = await createApp(config);
      // Commits (each request's audit entry) do not wait for SQLite's checkpoints (storage/wal-checkpointer.ts).
      if (app.database.dialect === 'sqlite') app.database.checkpointOffThread((message) => process.stderr.write(`WAL checkpoint failed: ${message}\n`));
      const notes = await firstStart(app, opts.demo);
      const onRefreshError = (err: unknown): void => {
        process.stderr.write(`audience summary refresh failed: ${err instanceof Error ? err.message : String(err)}\n`);
      };
      const refresher = startSummaryRefresher(app.stores.audience, config.LUPA_SUMMARY_REFRESH_SECONDS, onRefreshError);
      // Summaries for what is already there (a first start's demo data, or changes made while
      // stopped), in the background: audiences are exact meanwhile, only slower.
      void refresher.refreshNow().catch(onRefreshError);
      // Interests, segments, remarketing lists and ad audience syncs in a thread of their own
      // (jobs/upkeep-thread.ts): seconds of work on a large register never hold up the API.
      const { startUpkeepRunner } = await import('../../jobs/upkeep-thread.ts');
      const report = (line: string): void => void process.stderr.write(`${line}\n`);
      const failed = (what: string) => (err: unknown): void => report(`${what}: ${err instanceof Error ? err.message : String(err)}`);
      const upkeep = await startUpkeepRunner(app, report);
      // Segments' members kept up to date (docs/segments-and-predictions.md): the changed customers
      // only, whole where time alone changes them; inferred interests first, since a segment on them
      // reads this run's, and the offers' similar-readers counts after, so no ranking request computes them.
      const segmentRefresher = startPeriodicJob(() => upkeep.run('segments'), config.LUPA_SEGMENT_REFRESH_SECONDS, failed('segment refresh failed'));
      // Once at start, so the demo's trials show as interests from the first start.
      const firstInference = segmentRefresher.runNow().catch(failed('segment refresh failed'));
      // Recordings deleted when their retention ends, and taken from the watched directory (docs/calls-and-recordings.md).
      const { startRecordingJobs } = await import('../../jobs/recording-jobs.ts');
      const recordingJobs = await startRecordingJobs(app, (line) => process.stderr.write(`${line}\n`));
      // Ad audiences synced to their platforms (docs/sites-and-ads.md): a withdrawal reaches the platform at the next run.
      const adSync = startPeriodicJob(() => upkeep.run('ad-sync'), config.LUPA_AD_SYNC_MINUTES * 60, failed('ad audience sync failed'));
      // Site events (docs/sites-and-ads.md): the coming days' partitions made ahead (PostgreSQL) and retention applied, now and on a timer.
      const siteEventUpkeep = startPeriodicJob(
        () => app.stores.siteEvents.upkeep(app.now(), config.LUPA_SITE_EVENT_RETENTION_DAYS),
        config.LUPA_SITE_EVENT_UPKEEP_MINUTES * 60,
        (err) => process.stderr.write(`site event upkeep failed: ${err instanceof Error ? err.message : String(err)}\n`),
      );
      await siteEventUpkeep.runNow().catch((err: unknown) => process.stderr.write(`site event upkeep failed: ${err instanceof Error ? err.message : String(err)}\n`));
      // Remarketing lists (docs/sites-and-ads.md#remarketing-lists): every list's members recomputed now and on a timer.
      const remarketingRefresh = startPeriodicJob(() => upkeep.run('remarketing'), config.LUPA_REMARKETING_REFRESH_MINUTES * 60, failed('remarketing refresh failed'));
      await remarketingRefresh.runNow().catch(failed('remarketing refresh failed'));
      const dev = await startDevInbox(config);
      const bounces = await startBounceReceiver(app);
      const server = await buildServer(app, { logger: config.LUPA_LOG_LEVEL !== 'silent', ...(dev === null ? {} : { devInbox: dev.inbox }) });
      const address = await server.listen({ host: config.LUPA_HOST, port: config.LUPA_PORT });
      const worker = servesWorker(config) ? startSendingWorker(app, { workerId: `${hostname()}-${process.pid}-serve`, pollSeconds: config.LUPA_WORKER_POLL_SECONDS, batchSize: 200 }) : null;
      // The signal handlers are in place before the banner says the server runs: a supervisor (or a
      // test) that stops it as soon as it reads the banner must get a clean stop, not a killed process.
      const stopped = new Promise<void>((resolve) => {
        const stop = (): void => {
          // The worker finishes its batch first: its hand-offs may still go to the development inbox.
          void Promise.resolve(worker?.stop())
            .then(() => server.close())
            .then(() => dev?.inbox.stop())
            .then(() => bounces?.receiver.stop())
            .then(() => refresher.stop())
            .then(() => segmentRefresher.stop())
            .then(() => firstInference)
            .then(() => recordingJobs.stop())
            .then(() => adSync.stop())
            .then(() => siteEventUpkeep.stop())
            .then(() => remarketingRefresh.stop())
            .then(() => upkeep.close())
            .then(() => app.close())
            .then(resolve);
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      // Whether mail sent from here can arrive, in the banner: a half DKIM setup or an unsubscribe
      // link nobody can reach is seen at start, not after the first campaign is refused or junked.
      const [{ readinessReport }, { readinessItemLines, readinessVerdict }] = await Promise.all([import('../../use-cases/sending-readiness.ts'), import('../readiness-text.ts')]);
      const readiness = await readinessReport({ campaigns: app.stores.campaigns, sending: app.sending });
      const store = config.LUPA_DATABASE_URL.startsWith('sqlite:') ? config.LUPA_DATABASE_URL : 'PostgreSQL';
      process.stdout.write(
        [
          '',
          `Lupa is running on ${store}`,
          `  API:            ${address}/v1`,
          `  OpenAPI docs:   ${address}/docs`,
          `  health:         ${address}/health`,
          ...(dev === null ? [] : [`  SMTP inbox:     ${dev.url} (messages at ${address}/inbox, sign in with an API key as the password)`]),
          ...(bounces === null ? [] : [`  bounces in:     smtp://${config.LUPA_HOST}:${bounces.port} (for @${config.LUPA_BOUNCE_DOMAIN} and ${config.LUPA_SUPPORT_ADDRESS}: support tickets)`]),
          worker === null ? '  sending:        run npx lupa worker (LUPA_SERVE_WORKER=off here)' : `  sending:        in this process, to ${config.LUPA_SMTP_URL.replace(/\/\/[^@/]*@/, '//')} (scheduled and launched campaigns)`,
          ...notes,
          `  sending readiness: ${readinessVerdict(readiness)} (DNS records and details: npx lupa doctor)`,
          ...readinessItemLines(readiness.items, '    '),
          '  stop with Ctrl-C',
          '',
        ].join('\n'),
      );
      await stopped;
    });
}

/**
 * Whether `lupa serve` sends too. `auto`: yes on SQLite, where one process is the whole installation
 * (`npm start` alone sends scheduled and launched campaigns); no on PostgreSQL, where sending runs in
 * `lupa worker` processes so that rendering and SMTP do not share the API's event loop.
 */
function servesWorker(config: Config): boolean {
  return config.LUPA_SERVE_WORKER === 'on' || (config.LUPA_SERVE_WORKER === 'auto' && config.LUPA_DATABASE_URL.startsWith('sqlite:'));
}

async function firstStart(app: App, loadDemo: boolean): Promise<string[]> {
  const [{ demoToNdjson }, { runImport }, { createApiKey, listApiKeys }] = await Promise.all([
    import('../../demo/generate-demo.ts'),
    import('../../import/run-import.ts'),
    import('../../use-cases/api-keys.ts'),
  ]);
  const notes: string[] = [];
  const empty = (await app.stores.customers.searchCustomers({ limit: 1 })).length === 0;
  if (empty && loadDemo && app.config.LUPA_DEMO_CUSTOMERS > 0) {
    const customers = app.config.LUPA_DEMO_CUSTOMERS;
    const result = await runImport(
      { database: app.database, settings: app.settings, now: app.now },
      { stream: Readable.from(demoToNdjson({ customers, seed: app.config.LUPA_DEMO_SEED })), format: 'ndjson' },
    );
    const { saveDemoTemplates } = await import('../../demo/demo-templates.ts');
    const templates = await saveDemoTemplates(app.stores.templates, app.now());
    const { saveDemoInterests } = await import('../../demo/demo-interests.ts');
    await saveDemoInterests(app.stores.interests, customers, app.now());
    const { saveDemoOffers } = await import('../../demo/demo-offers.ts');
    const sample = (await app.stores.customers.searchCustomers({ limit: 60 })).map((c) => c.id);
    const offers = await saveDemoOffers(app.stores.offers, sample, app.now());
    notes.push(`  demo data:      ${customers} customers, ${result.rows} records loaded (try: npx lupa audience --purpose marketing --channel email --json)`);
    if (offers.length > 0) notes.push(`  offers:         ${offers.join(', ')} (try: npx lupa offers list)`);
    if (templates.length > 0) notes.push(`  templates:      ${templates.join(', ')} (try: npx lupa campaign create --name Syystarjous --purpose marketing --channel email --product UV-PRINT-7 --template autumn)`);
    const { addRfmSegments } = await import('../../use-cases/segments/segments.ts');
    const rfm = await addRfmSegments({ segments: app.stores.segments, now: app.now }, 'demo');
    if (rfm.length > 0) notes.push(`  segments:       ${rfm.length} ready-made RFM segments (try: npx lupa segments list)`);
  }
  notes.push(...(await firstConsoleUsers(app, empty && loadDemo)));
  if ((await listApiKeys({ apiKeys: app.stores.apiKeys })).length === 0) {
    const key = await createApiKey({ apiKeys: app.stores.apiKeys, now: app.now }, { name: 'first admin', role: 'admin' });
    notes.push(`  admin API key:  ${key.key}`, '                  (shown once; more with: npx lupa keys create --role marketer --name NAME)');
    notes.push(`  try:            curl -H 'Authorization: Bearer ${key.key}' '${'http://' + app.config.LUPA_HOST + ':' + app.config.LUPA_PORT}/v1/customers/C0000001'`);
  }
  return notes;
}

/** The demo's console users: one per role, `<role>@lupa.example` (documented in docs/console.md). */
export const DEMO_USER_DOMAIN = 'lupa.example';

/**
 * With no console user yet: on a demo start, one user per role sharing one random password, printed
 * once; otherwise the command that creates the first one.
 */
async function firstConsoleUsers(app: App, demo: boolean): Promise<string[]> {
  const [{ listConsoleUsers, createConsoleUser }, { consoleDeps }, { ROLES }, { randomBytes }] = await Promise.all([
    import('../../use-cases/console-users.ts'),
    import('../../app.ts'),
    import('../../core/access.ts'),
    import('node:crypto'),
  ]);
  if ((await listConsoleUsers({ users: app.stores.consoleUsers })).length > 0) return [];
  const consoleUrl = `${app.publicUrl}/`;
  if (!demo) return [`  console:        ${consoleUrl} (create the first user: npx lupa users create --email you@example.fi --role admin)`];
  const password = randomBytes(12).toString('base64url');
  const deps = consoleDeps(app);
  for (const role of ROLES) await createConsoleUser(deps, { email: `${role}@${DEMO_USER_DOMAIN}`, role, password });
  return [
    `  console:        ${consoleUrl} sign in as admin@${DEMO_USER_DOMAIN} with password ${password}`,
    `                  (shown once; also marketer@, agent@, dpo@ and analyst@${DEMO_USER_DOMAIN} with the same password)`,
  ];
}
