/**
 * A job the server runs every few seconds or minutes while it runs (summaries, segments): one run at
 * a time, a run on demand waits for the running one, errors go to `onError` and never stop the timer.
 */
export interface PeriodicJob<T> {
  /** Runs now (after a running run ends); resolves with the run's result. */
  runNow(): Promise<T>;
  /** Stops the timer and waits for a running run. */
  stop(): Promise<void>;
}

/** `intervalSeconds` 0: never on a timer, only `runNow`. */
export function startPeriodicJob<T>(run: () => Promise<T>, intervalSeconds: number, onError: (err: unknown) => void): PeriodicJob<T> {
  let running: Promise<unknown> = Promise.resolve();
  const runNow = (): Promise<T> => {
    const next = running.catch(() => undefined).then(run);
    running = next;
    return next;
  };
  const timer = intervalSeconds > 0 ? setInterval(() => void runNow().catch(onError), intervalSeconds * 1000) : null;
  timer?.unref();
  return {
    runNow,
    stop: async () => {
      if (timer !== null) clearInterval(timer);
      await running.catch(() => undefined);
    },
  };
}
