/**
 * How fast `lupa` starts: `lupa --help` and `lupa decide … --json` on a small SQLite store, each run
 * as a new process as a user would, beside `node -e 0` (Node's own start-up) in the same run, so
 * that the ratio says how much Lupa adds whatever the machine. Targets on an idle machine: help in
 * 0.4 s, decide in 0.8 s.
 */
import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { round } from './run.ts';

const run = promisify(execFile);
const BIN = fileURLToPath(new URL('../bin/lupa.mjs', import.meta.url));
const RUNS = 10;

/** Seconds of `node ARGS` to its end, one process after another; the median and the fastest. */
async function time(args: string[]): Promise<{ medianSeconds: number; minSeconds: number }> {
  const seconds: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    await run(process.execPath, args, { env: { ...process.env, LUPA_LOG_LEVEL: 'silent' } });
    seconds.push((performance.now() - started) / 1000);
  }
  seconds.sort((a, b) => a - b);
  return { medianSeconds: round(seconds[Math.floor(RUNS / 2)] ?? 0), minSeconds: round(seconds[0] ?? 0) };
}

export async function benchCliStartup(work: string): Promise<Record<string, unknown>> {
  const db = `sqlite:${join(work, 'cli-startup.db')}`;
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${db.slice('sqlite:'.length)}${suffix}`, { force: true });
  // Builds dist/ if it is missing or stale, and gives `decide` a customer to look at.
  await run(process.execPath, [BIN, '--db', db, 'demo', '--customers', '1000', '--seed', '1']);
  const node = await time(['-e', '0']);
  const help = await time([BIN, '--help']);
  const decide = await time([BIN, '--db', db, 'decide', '--customer', 'C0000042', '--purpose', 'marketing', '--channel', 'email', '--json']);
  return {
    runs: RUNS,
    node,
    help: { ...help, timesNode: round(help.medianSeconds / node.medianSeconds, 1), targetSeconds: 0.4 },
    decide: { ...decide, timesNode: round(decide.medianSeconds / node.medianSeconds, 1), targetSeconds: 0.8 },
  };
}
