/** Runs the `lupa` command as a real process, as a user would. */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../../bin/lupa.mjs', import.meta.url));

/**
 * The time limit of a test that starts processes. A loaded machine may take many seconds to start
 * each one, so this only ends a test that hangs; the tests themselves wait for events, not for time.
 */
export const PROCESS_TEST_TIMEOUT_MS = 15 * 60_000;

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `lupa ARGS` to its end, logging silenced unless `env` says otherwise; `node` options go
 * before the script; `cwd`: the directory it runs in (default: this one).
 */
export function lupa(args: string[], env: Record<string, string> = {}, node: string[] = [], cwd?: string): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [...node, BIN, ...args], { env: { ...process.env, LUPA_LOG_LEVEL: 'silent', ...env }, ...(cwd === undefined ? {} : { cwd }) }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof err.code === 'number' ? err.code : 1;
      resolve({ code, stdout, stderr });
    });
  });
}
