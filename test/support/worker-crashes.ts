/**
 * Sending a campaign while `lupa worker` processes are killed (SIGKILL) at random, counted at a
 * recording SMTP sink: what arrived, what arrived twice, what never arrived. The kills happen at
 * message counts seen at the sink, never at times: the message that reaches a kill point is
 * answered only once the chosen worker is dead, so a worker dies with mail in flight. Shared by the
 * crash test (test/cli/worker-crash.test.ts) and its benchmark (bench/crash.ts).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { Database } from '../../src/storage/database.ts';
import { BIN } from './processes.ts';
import { startSmtpSink } from './smtp-sink.ts';

export interface CrashRunOptions {
  /** The store the workers share (`--db`). */
  databaseUrl: string;
  /** Messages the campaign sends in all: the kill points are spread over them. */
  expected: number;
  /** Workers alive at once; a killed one is replaced at once (1 on SQLite: one worker at a time). */
  workers: number;
  /** LUPA_SMTP_CONNECTIONS of each worker: its hand-offs in flight. */
  connections: number;
  kills: number;
  /** Seeds the choice of kill points and of the worker killed at each. */
  seed: number;
  /** LUPA_CLAIM_LEASE_SECONDS: a killed worker's claims come back after it. */
  leaseSeconds: number;
  /** Deliveries claimed at a time (`--batch`). */
  batch: number;
  /** Resolves true once the campaign is sent (polled): the run ends then. */
  finished: () => Promise<boolean>;
  /**
   * Holds every write to the deliveries until the returned function is called: at each kill point
   * the outcomes of the hand-offs are held this way for `holdMs` before the kill, as a slow commit
   * would hold them, while the sink goes on answering. How many messages a worker hands off
   * meanwhile is what a crash then repeats. (PostgreSQL: a table lock that lets reads through. On
   * SQLite a write waiting for the lock blocks the whole worker process, relay replies included.)
   */
  holdCommits?: { hold: () => Promise<() => Promise<void>>; holdMs: number };
}

export interface Kill {
  /** Arrivals at the sink when the worker was killed (the one at the kill point answered after its death). */
  atArrival: number;
  worker: string;
}

export interface CrashRun {
  /** Message-IDs as they arrived at the sink, repeats included. */
  arrivals: string[];
  kills: Kill[];
}

export interface CrashFigures {
  arrived: number;
  distinct: number;
  /** Expected messages that never arrived. */
  lost: number;
  /** Arrivals beyond the first of their Message-ID. */
  duplicates: number;
  /**
   * Repeats charged to each kill: those whose first copy arrived since the kill before (the last
   * kill takes any later). Each sum over the first k kills counts only repeats of those k kills.
   */
  duplicatesPerKill: number[];
}

/** Runs workers until `finished`, killing `kills` of them on the way; every worker is gone when it resolves. */
export async function sendWithCrashes(opts: CrashRunOptions): Promise<CrashRun> {
  const random = mulberry32(opts.seed);
  const killPoints = spreadKillPoints(opts.expected, opts.kills, random);
  const arrivals: string[] = [];
  const kills: Kill[] = [];
  const live = new Map<string, { child: ChildProcess; exited: Promise<number | null>; log: string[] }>();
  const failures: string[] = [];
  let started = 0;
  let port = 0;

  const startWorker = (): void => {
    const name = `crash-${started++}`;
    const child = spawn(process.execPath, [BIN, '--db', opts.databaseUrl, 'worker', '--worker', name, '--poll-seconds', '1', '--batch', String(opts.batch)], {
      env: {
        ...process.env,
        LUPA_LOG_LEVEL: 'error',
        LUPA_SMTP_URL: `smtp://127.0.0.1:${port}`,
        LUPA_SMTP_CONNECTIONS: String(opts.connections),
        LUPA_CLAIM_LEASE_SECONDS: String(opts.leaseSeconds),
        LUPA_MAIL_DOMAIN: 'lupa.test',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const log: string[] = [];
    child.stderr?.on('data', (chunk: Buffer) => log.push(chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    live.set(name, { child, exited, log });
    // A worker that ends by itself (not killed, not stopped) has failed: the run reports it.
    void exited.then((code) => {
      if (live.has(name)) failures.push(`worker ${name} exited with ${String(code)}: ${log.join('')}`);
      live.delete(name);
    });
  };

  const killOne = async (): Promise<void> => {
    const names = [...live.keys()];
    const name = names[Math.floor(random() * names.length)];
    const worker = name === undefined ? undefined : live.get(name);
    if (name === undefined || worker === undefined) return;
    const release = await opts.holdCommits?.hold();
    try {
      if (release !== undefined) await new Promise((resolve) => setTimeout(resolve, opts.holdCommits?.holdMs));
      live.delete(name);
      kills.push({ atArrival: arrivals.length, worker: name });
      worker.child.kill('SIGKILL');
      await worker.exited;
    } finally {
      await release?.();
    }
    startWorker();
  };

  const sink = await startSmtpSink((message, answer) => {
    arrivals.push(message.messageId);
    // The message at a kill point is answered after the death: its sender never learns it arrived.
    if (killPoints.includes(arrivals.length)) void killOne().then(answer);
    else answer();
  });
  port = sink.port;

  try {
    for (let i = 0; i < opts.workers; i++) startWorker();
    while (!(await opts.finished())) {
      if (failures.length > 0) throw new Error(failures.join('\n'));
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    if (failures.length > 0) throw new Error(failures.join('\n'));
  } finally {
    const stopping = [...live.values()];
    live.clear();
    for (const { child } of stopping) child.kill('SIGTERM');
    await Promise.all(stopping.map((w) => w.exited));
    await sink.stop();
  }
  return { arrivals, kills };
}

/** Lost and repeated messages of a run, against the Message-IDs that should each have arrived once. */
export function crashFigures(run: CrashRun, expectedIds: readonly string[]): CrashFigures {
  const seen = new Set<string>();
  const firstIndex = new Map<string, number>();
  let duplicates = 0;
  const duplicatesPerKill = run.kills.map(() => 0);
  run.arrivals.forEach((id, i) => {
    if (!seen.has(id)) {
      seen.add(id);
      firstIndex.set(id, i + 1);
      return;
    }
    duplicates++;
    // The kill that repeated it: the first one at or after its first copy arrived. A message the
    // killed worker had written before it died may still be read by the sink after the kill, and
    // then is charged to the next one: the sums up to each kill are exact bounds, the parts not.
    const first = firstIndex.get(id) ?? 0;
    const found = run.kills.findIndex((kill) => kill.atArrival >= first);
    const k = found >= 0 ? found : run.kills.length - 1;
    if (k >= 0) duplicatesPerKill[k] = (duplicatesPerKill[k] ?? 0) + 1;
  });
  return { arrived: run.arrivals.length, distinct: seen.size, lost: expectedIds.filter((id) => !seen.has(id)).length, duplicates, duplicatesPerKill };
}

/** `kills` arrival counts, one in each equal stretch of the run's first 90 %, at a random place in it. */
function spreadKillPoints(expected: number, kills: number, random: () => number): number[] {
  const stretch = (expected * 0.9) / kills;
  return Array.from({ length: kills }, (_, k) => Math.max(1, Math.floor(stretch * k + stretch * (0.25 + 0.5 * random()))));
}

/** A small seeded generator (mulberry32): the same seed, the same kills. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Holds every write to the deliveries on PostgreSQL (reads go on) until the returned function is called. */
export async function holdDeliveryWrites(database: Database): Promise<() => Promise<void>> {
  if (database.dialect !== 'postgres') throw new Error('holding writes is for PostgreSQL: on SQLite it would stop the worker processes whole');
  const client = await database.pool.connect();
  await client.query('BEGIN');
  await client.query('LOCK TABLE deliveries IN EXCLUSIVE MODE');
  return async () => {
    await client.query('COMMIT');
    client.release();
  };
}
