/**
 * Runs one document's shell examples as a reader would, after `npm start` on a fresh database: a
 * `lupa serve` on free ports with its first-start demo data, and the examples in one bash session in
 * document order (so a variable a block exports is there for the next), in a working directory of
 * their own that has the repository's `docs/` (the examples' files).
 *
 * The database is a copy of one that a first `lupa serve` made (demo data and templates, as
 * `npm start` loads them), so the demo is generated once per run, not once per document. The
 * server sends nothing by itself (`LUPA_SERVE_WORKER=off`): the examples send with
 * `lupa campaign send`, so that a pause after a launch never races the in-server worker.
 *
 * What the first start printed once (the admin API key, the console password) is in the examples'
 * environment as `LUPA_API_KEY` and `LUPA_CONSOLE_PASSWORD`, as a reader who kept it has it.
 *
 * Three things stand in for the reader's machine: `npx lupa` runs the repository's `bin/lupa.mjs`
 * (what npm exec resolves it to in the clone, without npm's start-up for every command), the
 * server's default address in a URL (`127.0.0.1:8080`) is the test server's, and
 * `XDG_CONFIG_HOME` (where an example keeps files of its own outside the working tree, such as a
 * DKIM key) is a directory of the run, so that no run finds what an earlier one wrote. A `curl` must be
 * answered 2xx (it runs with `--fail-with-body`), unless its block is marked shows-error.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DocBlock } from './doc-blocks.ts';

export interface DocRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** The server's exit code after SIGTERM (0: it stopped cleanly). */
  serverExit: number | null;
  serverOutput: string;
}

/** A port nobody listens on now (the kernel's choice). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

const PRELUDE = readFileSync(fileURLToPath(new URL('prelude.sh', import.meta.url)), 'utf8');

/** The bash script of a document's blocks, in order. */
export function scriptOf(doc: string, blocks: readonly DocBlock[]): string {
  const parts = blocks.map((b) => `__block=${b.line}; __shows_error=${b.showsError === null ? 0 : 1}\n${b.code}\n`);
  return `__doc=${JSON.stringify(doc)}\n${PRELUDE}${parts.join('')}`;
}

function collect(child: ChildProcess): { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString('utf8')));
  child.stderr?.on('data', (d: Buffer) => (err += d.toString('utf8')));
  return { out: () => out, err: () => err };
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });
}

/** Starts `lupa serve` and resolves once it says it is running; rejects with its output if it exits first. */
async function startServer(repo: string, cwd: string, env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; output: () => string }> {
  const child = spawn(process.execPath, [join(repo, 'bin/lupa.mjs'), 'serve'], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const io = collect(child);
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', () => {
      if (io.out().includes('stop with Ctrl-C')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`lupa serve exited (${String(code)}) before it was running:\n${io.out()}\n${io.err()}`)));
  });
  return { child, output: () => `${io.out()}\n${io.err()}` };
}

/** The environment of a server on `dir`'s database and free ports, and of the examples. */
async function serverEnv(dir: string): Promise<{ env: NodeJS.ProcessEnv; port: number }> {
  const [port, inbox, bounces] = [await freePort(), await freePort(), await freePort()];
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    LUPA_DATABASE_URL: `sqlite:${join(dir, 'lupa.db')}`,
    LUPA_HOST: '127.0.0.1',
    LUPA_PORT: String(port),
    LUPA_DEV_INBOX_PORT: String(inbox),
    LUPA_SMTP_URL: `smtp://127.0.0.1:${inbox}`,
    LUPA_BOUNCE_PORT: String(bounces),
    LUPA_SERVE_WORKER: 'off',
    LUPA_LOG_LEVEL: 'warn',
  };
  return { env, port };
}

async function stopped(child: ChildProcess): Promise<number | null> {
  child.kill('SIGTERM');
  return exited(child);
}

/** A first start: its database (demo data, templates, the first admin key and console users) in a directory of its own, and what it printed once. */
export interface FirstStart {
  dir: string;
  /**
   * What the first start printed once, as the docs have the reader keep it: the admin API key as
   * `LUPA_API_KEY`, the demo console users' password as `LUPA_CONSOLE_PASSWORD` (when it printed them).
   */
  printed: Record<string, string>;
  drop(): void;
}

export async function firstStartDatabase(repo: string): Promise<FirstStart> {
  const dir = mkdtempSync(join(tmpdir(), 'lupa-docs-first-'));
  const { env } = await serverEnv(dir);
  const server = await startServer(repo, dir, env);
  const code = await stopped(server.child);
  if (code !== 0) throw new Error(`lupa serve did not stop cleanly (${String(code)}):\n${server.output()}`);
  const output = server.output();
  const printed: Record<string, string> = {};
  const key = /admin API key: +(lupa_\S+)/.exec(output)?.[1];
  const password = /sign in as \S+ with password (\S+)/.exec(output)?.[1];
  if (key !== undefined) printed['LUPA_API_KEY'] = key;
  if (password !== undefined) printed['LUPA_CONSOLE_PASSWORD'] = password;
  return { dir, printed, drop: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Runs a document's blocks against a server on a copy of the first-start database; never throws for a failing example (the caller asserts). */
export async function runDoc(repo: string, firstStart: FirstStart, doc: string, blocks: readonly DocBlock[]): Promise<DocRun> {
  const dir = mkdtempSync(join(tmpdir(), 'lupa-docs-'));
  const work = join(dir, 'work');
  try {
    mkdirSync(work);
    symlinkSync(join(repo, 'docs'), join(work, 'docs'), 'dir');
    for (const name of readdirSync(firstStart.dir)) if (name.startsWith('lupa.db')) copyFileSync(join(firstStart.dir, name), join(dir, name));
    const { env, port } = await serverEnv(dir);
    const server = await startServer(repo, work, env);
    let run: Omit<DocRun, 'serverExit' | 'serverOutput'>;
    try {
      const bash = spawn('bash', ['-c', scriptOf(doc, blocks)], { cwd: work, env: { ...env, ...firstStart.printed, XDG_CONFIG_HOME: join(dir, 'config'), __repo: repo, __port: String(port) }, stdio: ['ignore', 'pipe', 'pipe'] });
      const io = collect(bash);
      const code = await exited(bash);
      run = { code, stdout: io.out(), stderr: io.err() };
    } finally {
      server.child.kill('SIGTERM');
    }
    return { ...run, serverExit: await exited(server.child), serverOutput: server.output() };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
