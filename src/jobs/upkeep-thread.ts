/**
 * The server's periodic upkeep (upkeep-jobs.ts) in a worker thread with an App of its own, so that
 * recomputing interests, segments and remarketing lists, or hashing an ad audience, never holds up
 * the server's event loop: on SQLite every statement runs synchronously, and these runs take
 * seconds on a large register (interests and similar readers about 0.8 s on 100,000 customers, every
 * LUPA_SEGMENT_REFRESH_SECONDS). Writes from the thread reach the server as any other process's do:
 * its decision records cache reads the change marks (decision 0031).
 *
 * Where the thread cannot start (an in-memory SQLite database has no second connection; tsx not
 * resolvable from the source), or after it died, the jobs run in the server's own event loop.
 */
import { parentPort, threadId, workerData } from 'node:worker_threads';
import type { App } from '../composition-root.ts';
import type { Config } from '../config.ts';
import { runUpkeepJob, type SegmentsUpkeep, type UpkeepJob } from './upkeep-jobs.ts';
import { startEntryWorker } from '../worker-threads.ts';

type ToThread = { id: number; job: UpkeepJob } | { op: 'close' };
type FromThread =
  | { op: 'ready'; threadId: number }
  | { op: 'report'; line: string }
  | { id: number; ok: true; result: unknown }
  | { id: number; ok: false; message: string };

export interface UpkeepRunner {
  /** Runs `job` (in the thread when there is one); resolves with its result. */
  run(job: UpkeepJob): Promise<unknown>;
  /** The thread's id while the jobs run in a thread, else null (in the server's event loop). */
  threadId(): number | null;
  /** Ends the thread after the running job, closing its App. */
  close(): Promise<void>;
}

/**
 * The upkeep runner for `app`. `report` gets the jobs' failure lines (ids, never personal data).
 * The segments job's similar-readers counts are handed to the server's offer rankings.
 */
export async function startUpkeepRunner(app: App, report: (line: string) => void): Promise<UpkeepRunner> {
  const inProcess = (job: UpkeepJob): Promise<unknown> => runUpkeepJob(app, job, report);
  const threadable = app.database.dialect === 'postgres' || (!app.database.sqlite.memory && app.database.sqlite.name !== '');
  const thread = threadable
    ? await startThread(app.config, report).catch((err: unknown) => {
        report(`upkeep thread could not start (${err instanceof Error ? err.message : String(err)}); its jobs run in the server`);
        return null;
      })
    : null;
  if (thread === null) return { run: inProcess, threadId: () => null, close: async () => undefined };
  return {
    run: async (job) => {
      if (!thread.alive()) return inProcess(job);
      const result = await thread.run(job);
      if (job === 'segments') app.stores.offers.holdSimilarReaders((result as SegmentsUpkeep).similarReaders);
      return result;
    },
    threadId: () => (thread.alive() ? thread.threadId : null),
    close: () => thread.close(),
  };
}

interface Thread {
  threadId: number;
  alive(): boolean;
  run(job: UpkeepJob): Promise<unknown>;
  close(): Promise<void>;
}

/** Built (dist/), the entry is a JavaScript file beside this code; from source the worker registers tsx itself. */
function startThread(config: Config, report: (line: string) => void): Promise<Thread> {
  // The thread decides nothing: no decision records cache (and on PostgreSQL no listening connection).
  const data = { lupaUpkeepConfig: { ...config, LUPA_DECISION_CACHE_CUSTOMERS: 0 } };
  const worker = startEntryWorker(import.meta.url, 'upkeep-jobs-thread', data);
  // Jobs run on timers that do not keep the server alive; neither does their thread.
  worker.unref();
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let next = 0;
  let dead: Error | null = null;
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  return new Promise((resolveStart, rejectStart) => {
    const fail = (err: Error): void => {
      if (dead === null) {
        dead = err;
        rejectStart(err);
        for (const p of pending.values()) p.reject(err);
        pending.clear();
      }
    };
    worker.on('error', (err) => {
      report(`upkeep thread failed, its jobs run in the server from now on: ${err.message}`);
      fail(err);
    });
    worker.on('exit', (code) => fail(new Error(`the upkeep thread exited (${code})`)));
    worker.on('message', (m: FromThread) => {
      if ('op' in m) {
        if (m.op === 'report') report(m.line);
        else
          resolveStart({
            threadId: m.threadId,
            alive: () => dead === null,
            run: (job) =>
              new Promise((resolve, reject) => {
                if (dead !== null) return reject(dead);
                const id = next++;
                pending.set(id, { resolve, reject });
                worker.postMessage({ id, job } satisfies ToThread);
              }),
            close: async () => {
              if (dead !== null) return;
              worker.postMessage({ op: 'close' } satisfies ToThread);
              // A thread that does not end within a few seconds is ended.
              const timer = setTimeout(() => void worker.terminate(), 5000);
              await exited;
              clearTimeout(timer);
            },
          });
        return;
      }
      const p = pending.get(m.id);
      pending.delete(m.id);
      if (m.ok) p?.resolve(m.result);
      else p?.reject(new Error(m.message));
    });
  });
}

/** Runs in the thread: an App of its own, one job at a time in the order asked. */
export async function serveUpkeepJobs(): Promise<void> {
  const port = parentPort;
  const config = (workerData as { lupaUpkeepConfig?: Config } | null)?.lupaUpkeepConfig;
  if (port === null || config === undefined) throw new Error('serveUpkeepJobs runs only in the upkeep thread');
  const { createApp } = await import('../composition-root.ts');
  const app: App = await createApp(config);
  const report = (line: string): void => port.postMessage({ op: 'report', line } satisfies FromThread);
  let queue: Promise<unknown> = Promise.resolve();
  port.on('message', (m: ToThread) => {
    if ('op' in m) {
      queue = queue.then(async () => {
        await app.close();
        port.close();
      });
      return;
    }
    queue = queue.then(() =>
      runUpkeepJob(app, m.job, report).then(
        (result) => {
          try {
            port.postMessage({ id: m.id, ok: true, result } satisfies FromThread);
          } catch {
            // A result that cannot be cloned is not the job's failure: the job's work is done.
            port.postMessage({ id: m.id, ok: true, result: null } satisfies FromThread);
          }
        },
        (err: unknown) => port.postMessage({ id: m.id, ok: false, message: err instanceof Error ? err.message : String(err) } satisfies FromThread),
      ),
    );
  });
  port.postMessage({ op: 'ready', threadId } satisfies FromThread);
}
