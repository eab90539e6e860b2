/**
 * How a parser's work grows with the size of its input, for tests that hold parsers to linear
 * time. Work is CPU time of this process (`process.cpuUsage`, user and system), never wall-clock
 * time, so that other processes on the machine do not count, and only a ratio is ever compared:
 * the work on an input `factor` times larger over the work on the smaller one. Linear work gives
 * about the factor (8), quadratic work its square (64).
 *
 * Each measurement starts after a full garbage collection, repeats the work until the smaller
 * input has taken at least `minMicros` (so that the clock's grain and the JIT do not decide), and
 * the best of up to `runs` tries counts: one run slowed by a busy neighbour does not fail a test,
 * while quadratic work is slow in every run.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

setFlagsFromString('--expose-gc');
/** A full garbage collection (V8's `gc`, exposed for tests): what is measured afterwards is what is held. */
export const collectGarbage = runInNewContext('gc') as () => void;

export interface GrowthOptions {
  /** The growth at or below which the work counts as linear and no further run is made (default 16: twice linear, for factor 8). */
  limit?: number;
  /** How many tries at most (default 3). */
  runs?: number;
  /** The least CPU time of one measurement of the smaller input, in microseconds (default 30 ms). */
  minMicros?: number;
}

/** CPU time in microseconds of `reps` calls of `work`, after a full collection. */
async function cpuMicros<T>(work: (input: T) => unknown, input: T, reps: number): Promise<number> {
  collectGarbage();
  const start = process.cpuUsage();
  for (let i = 0; i < reps; i++) await work(input);
  const used = process.cpuUsage(start);
  return used.user + used.system;
}

/**
 * The least ratio seen of the work on `large` to the work on `small` (each repeated as often),
 * over up to `runs` tries, stopping at the first try at or below `limit`.
 */
export async function workGrowth<T>(small: T, large: T, work: (input: T) => unknown, opts: GrowthOptions = {}): Promise<number> {
  const { limit = 16, runs = 3, minMicros = 30_000 } = opts;
  // Warm up: the first calls compile and optimise the code; neither size should pay for that.
  for (let i = 0; i < 3; i++) await work(small);
  await work(large);
  let reps = 1;
  while ((await cpuMicros(work, small, reps)) < minMicros) reps *= 2;
  let best = Number.POSITIVE_INFINITY;
  for (let run = 0; run < runs && best > limit; run++) {
    const base = await cpuMicros(work, small, reps);
    const grown = await cpuMicros(work, large, reps);
    best = Math.min(best, grown / Math.max(1, base));
  }
  return best;
}
