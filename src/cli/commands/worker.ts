/**
 * `lupa worker`: the long-running sender. Launches scheduled campaigns when their time comes and
 * sends every running campaign, until SIGINT or SIGTERM; then it finishes the batch in hand and
 * exits. A second signal ends it at once: the claims of an unfinished batch come back to the queue
 * when their lease ends, so nothing is lost. Run as many as you like against one PostgreSQL database.
 */
import { hostname } from 'node:os';
import type { Command } from 'commander';
import { configFrom } from '../context.ts';
import { positive } from '../parse-options.ts';

export function registerWorker(program: Command): void {
  program
    .command('worker')
    .description('launch scheduled campaigns and send running ones until stopped (SIGINT/SIGTERM); several may run at once')
    .option('--worker <name>', "this worker's name", `${hostname()}-${process.pid}`)
    .option('--poll-seconds <n>', 'wait between looks for work when there is none (default: env LUPA_WORKER_POLL_SECONDS or 5)')
    .option('--batch <n>', 'deliveries claimed at a time', '200')
    .action(async (opts: { worker: string; pollSeconds?: string; batch: string }, cmd: Command) => {
      const config = configFrom(cmd, opts.pollSeconds === undefined ? {} : { LUPA_WORKER_POLL_SECONDS: positive(opts.pollSeconds, 'poll-seconds') });
      const batchSize = positive(opts.batch, 'batch');
      // Loaded when the command runs, so that `lupa --help` starts without the channel libraries.
      const { createApp, startSendingWorker } = await import('../../composition-root.ts');
      const app = await createApp(config);
      try {
        const worker = startSendingWorker(app, { workerId: opts.worker, pollSeconds: config.LUPA_WORKER_POLL_SECONDS, batchSize });
        // `once`: a second signal finds no handler and ends the process at once.
        const stop = (): void => void worker.stop();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
        await worker.stopped;
      } finally {
        await app.close();
      }
    });
}
