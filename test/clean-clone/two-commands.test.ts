/**
 * The README's two commands on a clean copy of the committed tree, as a new user runs them: install
 * from the lock file (`npm ci`, which also builds dist/), then `npm start`: the server comes up on
 * SQLite with its demo data, answers `/health`, and stops on SIGTERM to npm (as a process manager
 * stops it) without leaving the server running: `npm start` execs the server, so no shell stands
 * between npm, which passes the signal on, and the server. The install prints no
 * engine warning on this Node (the supported floor is 20.19, package.json `engines`).
 *
 * Slow (the install takes minutes), so it runs only with LUPA_TEST_CLEAN_CLONE=1 (CI sets it).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../docs/run-docs.ts';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const ENABLED = process.env.LUPA_TEST_CLEAN_CLONE === '1';
const LIMIT_MS = 20 * 60_000;
const describeIfEnabled = ENABLED ? describe : describe.skip;
const title = `the README's two commands on a clean copy of the committed tree${ENABLED ? '' : ' (skipped: set LUPA_TEST_CLEAN_CLONE=1 to run npm ci and npm start in a temporary copy)'}`;

/** Runs a command to its end, with its output; never rejects. */
function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (output += d.toString('utf8')));
    child.once('exit', (code) => resolve({ code, output }));
  });
}

/** Whether nothing listens on the port any more (the connection is refused). */
function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => (child.exitCode !== null ? resolve(child.exitCode) : child.once('exit', (code) => resolve(code))));
}

describeIfEnabled(title, () => {
  let dir: string | undefined;
  // What a user's shell has: no test settings of this run, no database URL.
  const env: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('LUPA_') && !k.startsWith('VITEST') && k !== 'NODE_ENV'));
  afterAll(() => {
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it('installs from the lock file without engine warnings, starts, answers /health and stops on SIGTERM', async () => {
    dir = mkdtempSync(join(tmpdir(), 'lupa-clean-'));
    const clone = join(dir, 'lupa');
    // The committed tree, as a clone has it (nothing untracked, no node_modules, no dist).
    execFileSync('mkdir', ['-p', clone]);
    execFileSync('bash', ['-c', `git -C "${REPO}" archive --format=tar HEAD | tar -x -C "${clone}"`]);

    const install = await run('npm', ['ci', '--prefer-offline', '--no-audit', '--no-fund'], clone, env);
    expect(install.code, install.output.slice(-4000)).toBe(0);
    expect(install.output).not.toMatch(/EBADENGINE|Unsupported engine/);

    const [port, inbox, bounces] = [await freePort(), await freePort(), await freePort()];
    const server = spawn('npm', ['start'], { cwd: clone, env: { ...env, LUPA_PORT: String(port), LUPA_DEV_INBOX_PORT: String(inbox), LUPA_BOUNCE_PORT: String(bounces) }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    server.stderr.on('data', (d: Buffer) => (output += d.toString('utf8')));
    const ready = new Promise<void>((resolve, reject) => {
      server.stdout.on('data', (d: Buffer) => {
        output += d.toString('utf8');
        if (output.includes('stop with Ctrl-C')) resolve();
      });
      server.once('exit', (code) => reject(new Error(`npm start exited (${String(code)}) before the server was running:\n${output.slice(-4000)}`)));
    });
    try {
      await ready;
      expect(output).toContain(`API:            http://127.0.0.1:${port}/v1`);
      expect(output).toMatch(/admin API key: {2}lupa_/);
      const health = await fetch(`http://127.0.0.1:${port}/health`);
      expect({ status: health.status, body: await health.json() }).toEqual({ status: 200, body: { status: 'ok' } });
    } finally {
      server.kill('SIGTERM');
    }
    // npm reports the signal it was stopped by (128 + 15); the server it started must have stopped
    // with it, not be left running: its port is free again, and npm saw no failure of the script.
    expect([0, 143], output.slice(-4000)).toContain(await exited(server));
    expect(output).not.toMatch(/npm error/);
    expect(await refused(port)).toBe(true);

    // `npx lupa` as the README writes it, resolved by npm in the clone.
    const help = await run('npx', ['lupa', '--help'], clone, env);
    expect(help.code, help.output).toBe(0);
    expect(help.output).toContain('Usage: lupa');
  }, LIMIT_MS);
});
