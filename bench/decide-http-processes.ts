/**
 * decide-http with the server in several processes (`--http-processes N`): N node:cluster workers
 * (bench/decide-http-worker.ts) sharing one port, on the same store, loaded by the same client as the
 * one-process run. Beside it stands the same run's bare `node:http` server, which is one process:
 * the figures say how many processes each used. CPU time is all the workers' together, read from
 * /proc (Linux), per 2xx answer.
 */
import cluster, { type Worker } from 'node:cluster';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runLoad, type LoadFigures, type LoadJob } from './http-capacity.ts';
import { round } from './run.ts';

const WORKER = fileURLToPath(new URL('./decide-http-worker.ts', import.meta.url));

export interface ProcessesRun {
  processes: number;
  capacity: LoadFigures & { serverCpuMsPerRequest: number | null };
  atHalfCapacity: LoadFigures & { rate: number };
}

/** Capacity and the latency at half of it with the server in `processes` processes. */
export async function measureInProcesses(
  databaseUrl: string,
  processes: number,
  job: Omit<LoadJob, 'url' | 'seconds'>,
  seconds: number,
): Promise<ProcessesRun> {
  cluster.setupPrimary({ exec: WORKER, execArgv: ['--import', 'tsx'] });
  const workers = Array.from({ length: processes }, () => cluster.fork({ LUPA_BENCH_WORKER_DATABASE_URL: databaseUrl }));
  try {
    // Workers listening on port 0 share the one port node:cluster chose for the first of them.
    const addresses = await Promise.all(
      workers.map((w) => new Promise<{ port: number }>((resolve, reject) => w.once('listening', resolve).once('exit', reject))),
    );
    const port = addresses[0]?.port ?? 0;
    const url = `http://127.0.0.1:${port}/`;
    await runLoad({ ...job, url, seconds: 2 });
    const before = workers.map(cpuMsOf);
    const capacity = await runLoad({ ...job, url, seconds });
    const after = workers.map(cpuMsOf);
    const used = after.every((a, i) => a !== null && before[i] !== null) ? after.reduce<number>((sum, a, i) => sum + (a ?? 0) - (before[i] ?? 0), 0) : null;
    const rate = Math.max(1, Math.floor(capacity.requestsPerSecond / 2));
    const atHalfCapacity = { ...(await runLoad({ ...job, url, seconds, rate })), rate };
    return {
      processes,
      capacity: { ...capacity, serverCpuMsPerRequest: used === null ? null : round(used / Math.max(1, capacity.answered), 4) },
      atHalfCapacity,
    };
  } finally {
    await Promise.all(workers.map((w) => stop(w)));
  }
}

/** User and system CPU time of a process so far, in ms (null where /proc cannot be read). */
function cpuMsOf(worker: Worker): number | null {
  try {
    // Fields after the command name: utime and stime are the 12th and 13th, in clock ticks (100 a second).
    const fields = readFileSync(`/proc/${String(worker.process.pid)}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return null;
  }
}

function stop(worker: Worker): Promise<void> {
  return new Promise((resolve) => {
    if (worker.isDead()) return resolve();
    worker.once('exit', () => resolve());
    worker.process.kill('SIGTERM');
  });
}
