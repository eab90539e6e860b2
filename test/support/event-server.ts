/**
 * `lupa serve` as a process of its own, for the site events' durability test and benchmark: started
 * on a given database, stopped with SIGTERM or killed with SIGKILL; and event batches sent to it
 * over HTTP, each a visitor of its own, so that what was stored can be counted per batch.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { BIN } from './processes.ts';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export interface ServeProcess {
  child: ChildProcess;
  base: string;
  exited: Promise<number | null>;
  output(): string;
}

/** Starts `lupa serve --no-demo` on `databaseUrl`; resolves when it says it runs. */
export async function startServeProcess(databaseUrl: string, env: Record<string, string> = {}): Promise<ServeProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, [BIN, 'serve', '--no-demo'], {
    env: { ...process.env, LUPA_DATABASE_URL: databaseUrl, LUPA_HOST: '127.0.0.1', LUPA_PORT: String(port), LUPA_DEV_INBOX_PORT: '0', LUPA_BOUNCE_PORT: '0', LUPA_SERVE_WORKER: 'off', LUPA_AD_SYNC_MINUTES: '0', LUPA_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', () => {
      if (out.includes('stop with Ctrl-C')) resolve();
    });
    void exited.then((code) => reject(new Error(`lupa serve exited (${String(code)}) before it was running:\n${out}`)));
  });
  return { child, base: `http://127.0.0.1:${port}`, exited, output: () => out };
}

/** The visitor id of batch `n` (each batch is one visitor's, so its rows can be counted). */
export function batchVisitor(prefix: string, n: number): string {
  return `${prefix}_${String(n).padStart(12, '0')}`;
}

/** A batch of `size` consented events of one visitor, as the SDK sends it. */
export function eventBatch(visitorId: string, size = 20): string {
  const events = Array.from({ length: size }, (_, i) => (i === 0 ? { type: 'page', page: '/uutiset/kotimaa' } : { type: 'track', name: 'scroll_depth', page: '/uutiset/kotimaa', props: { depth: i * 5 } }));
  return JSON.stringify({ site: 'uutisvirta.fi', consent: { site_ads: true, ad_audience: false }, visitorId, events });
}

/** Sends one batch; true when it was acknowledged (200), false when refused or the connection failed. */
export async function sendBatch(base: string, body: string): Promise<boolean> {
  try {
    const res = await fetch(`${base}/v1/events`, { method: 'POST', headers: { 'content-type': 'text/plain;charset=UTF-8' }, body });
    await res.arrayBuffer();
    return res.status === 200;
  } catch {
    return false;
  }
}
