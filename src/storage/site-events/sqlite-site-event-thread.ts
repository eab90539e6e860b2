/**
 * SQLite's site event writes in a worker thread with its own connection, so that a group commit of
 * thousands of rows never blocks the server's event loop: requests are read and checked while the
 * previous batch is written, and the answer to each still waits for its batch's commit. If the
 * thread cannot start (an in-memory database, tsx not resolvable), the writes stay on the app's
 * connection.
 */
import BetterSqlite3 from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import type { SiteEventBatch } from '../../core/site-events/site-events.ts';
import { sqliteSiteEventWriter, type SiteEventWriter } from './site-event-writers.ts';
import { startEntryWorker } from '../../worker-threads.ts';

type FromThread = { op: 'ready' } | { id: number; ok: true } | { id: number; ok: false; message: string; code: string | undefined };

export interface SiteEventThread {
  write: SiteEventWriter;
  close(): Promise<void>;
}

/**
 * Starts the writer thread on the database file at `path`. Built (dist/), the entry is a JavaScript
 * file beside this code; from the TypeScript source (tsx, Vitest) the worker registers tsx itself.
 */
export async function startSiteEventThread(path: string): Promise<SiteEventThread> {
  const data = { lupaSiteEventsPath: path };
  const worker = startEntryWorker(import.meta.url, 'sqlite-site-event-writer-thread', data);
  // A thread left running must not keep a process alive (the app's close stops it after a flush).
  worker.unref();
  const pending = new Map<number, { resolve: () => void; reject: (e: Error) => void }>();
  let next = 0;
  let dead: Error | null = null;
  return new Promise((resolveStart, rejectStart) => {
    const fail = (err: Error): void => {
      dead ??= err;
      rejectStart(err);
      for (const p of pending.values()) p.reject(err);
      pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the site event writer thread exited (${code})`)));
    worker.on('message', (m: FromThread) => {
      if ('op' in m) {
        resolveStart({
          write: (batches) =>
            new Promise<void>((resolve, reject) => {
              if (dead !== null) return reject(dead);
              const id = next++;
              pending.set(id, { resolve, reject });
              worker.postMessage({ id, batches });
            }),
          close: async () => {
            await worker.terminate();
          },
        });
        return;
      }
      const p = pending.get(m.id);
      pending.delete(m.id);
      if (m.ok) p?.resolve();
      else p?.reject(Object.assign(new Error(m.message), { code: m.code }));
    });
  });
}

/** Runs in the thread: one connection with the app's settings, one transaction per message. */
export function serveSiteEventWrites(): void {
  const port = parentPort;
  const path = (workerData as { lupaSiteEventsPath?: unknown } | null)?.lupaSiteEventsPath;
  if (port === null || typeof path !== 'string') throw new Error('serveSiteEventWrites runs only in the writer thread');
  const sqlite = new BetterSqlite3(path);
  // The app's connection's settings (storage/database.ts): WAL is the database's, already on. The
  // page cache holds the indexes' hot pages (with SQLite's default 2 MB, inserts read them back
  // from disk); checkpoints at SQLite's default size, here in this thread, off the event loop.
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('cache_size = -262144');
  const write = sqliteSiteEventWriter(sqlite);
  port.on('message', (m: { id: number; batches: SiteEventBatch[] }) => {
    write(m.batches).then(
      () => port.postMessage({ id: m.id, ok: true }),
      (err: unknown) => port.postMessage({ id: m.id, ok: false, message: err instanceof Error ? err.message : String(err), code: (err as { code?: string }).code }),
    );
  });
  port.postMessage({ op: 'ready' });
}
