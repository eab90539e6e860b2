/**
 * Parses inbound reports off the event loop: one worker thread (bounce-parse-thread.ts) takes the
 * messages in turn, so the API and tracking keep answering whatever arrives at the bounce port. A
 * parse that runs past `timeLimitMs` ends the thread (a new one starts for the next message) and
 * rejects with BOUNCE_PARSE_TIMEOUT; a thread that cannot start at all leaves parsing to the caller's
 * thread, which still has the parser's own bounds (2 MiB scanned, linear-time scanning).
 */
import type { Worker } from 'node:worker_threads';
import { parseBounceSync, type BounceResult } from './bounce-parser.ts';
import { parseSupportMail, type SupportMail } from './support-mail.ts';
import { startEntryWorker } from '../worker-threads.ts';

interface Pending {
  resolve: (r: { threadId: number }) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

export class ThreadedBounceParser {
  private worker: Worker | null = null;
  private readonly pending = new Map<number, Pending>();
  private next = 0;
  private unavailable = false;

  /** `timeLimitMs`: how long one message may take to parse before its thread is ended. */
  constructor(private readonly timeLimitMs = 30_000) {}

  /** The classified report, with the id of the thread that parsed it (0: the caller's own, when no thread could start). */
  parse(raw: Buffer): Promise<BounceResult & { threadId: number }> {
    return this.inThread(raw, undefined, () => parseBounceSync(raw));
  }

  /**
   * A customer's mail to the support address (support-mail.ts), read in the same thread under the
   * same time limit, with the id of the thread that read it.
   */
  parseSupport(raw: Buffer): Promise<SupportMail & { threadId: number }> {
    return this.inThread(raw, 'support', () => parseSupportMail(raw));
  }

  private inThread<T>(raw: Buffer, kind: 'support' | undefined, here: () => T): Promise<T & { threadId: number }> {
    const worker = this.thread();
    if (worker === null) return Promise.resolve({ ...here(), threadId: 0 });
    return new Promise((resolve, reject) => {
      const id = this.next++;
      const timer = setTimeout(() => this.restart(new Error('BOUNCE_PARSE_TIMEOUT')), this.timeLimitMs);
      this.pending.set(id, { resolve: resolve as (r: { threadId: number }) => void, reject, timer });
      worker.postMessage({ id, raw: new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength), ...(kind === undefined ? {} : { kind }) });
    });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    this.failAll(new Error('parser closed'));
    if (worker !== null) await worker.terminate();
  }

  private thread(): Worker | null {
    if (this.worker !== null || this.unavailable) return this.worker;
    try {
      const worker = startThread();
      worker.unref();
      worker.on('message', (msg: { id: number; result?: object; threadId?: number; error?: string }) => {
        const p = this.pending.get(msg.id);
        if (p === undefined) return;
        this.pending.delete(msg.id);
        clearTimeout(p.timer);
        if (msg.result !== undefined) p.resolve({ ...msg.result, threadId: msg.threadId ?? -1 });
        else p.reject(new Error(`BOUNCE_PARSE_FAILED (${msg.error ?? 'unknown'})`));
      });
      worker.on('error', (err) => this.restart(err));
      worker.on('exit', () => {
        if (this.worker === worker) this.restart(new Error('parser thread exited'));
      });
      this.worker = worker;
    } catch {
      this.unavailable = true;
    }
    return this.worker;
  }

  /** Ends the current thread and fails what it had; the next message starts a new one. */
  private restart(err: Error): void {
    const worker = this.worker;
    this.worker = null;
    this.failAll(err);
    void worker?.terminate();
  }

  private failAll(err: Error): void {
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(err);
      this.pending.delete(id);
    }
  }
}

/**
 * Built (dist/, bin/build.mjs) the entry is a JavaScript file beside this code; run from the
 * TypeScript source (tsx, Vitest), the thread registers tsx itself.
 */
function startThread(): Worker {
  return startEntryWorker(import.meta.url, 'bounce-parse-thread');
}
