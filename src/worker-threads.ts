/** Starting Lupa's worker threads the same way from the built code and from the TypeScript source. */
import { Worker } from 'node:worker_threads';

/**
 * A worker thread running the entry file `name` (no extension) beside the calling module, whose
 * `import.meta.url` is `callerUrl`. Built (dist/, bin/build.mjs puts every entry beside the code
 * that starts it), the entry is `name.js`; from the TypeScript source (tsx, Vitest) the thread
 * registers tsx itself and imports `name.ts`.
 * @throws Error when run from the source and tsx cannot be resolved
 */
export function startEntryWorker(callerUrl: string, name: string, workerData?: unknown): Worker {
  const options = workerData === undefined ? {} : { workerData };
  if (callerUrl.endsWith('.ts')) {
    const tsx = JSON.stringify(import.meta.resolve('tsx/esm/api'));
    const entry = JSON.stringify(new URL(`./${name}.ts`, callerUrl).href);
    return new Worker(`import(${tsx}).then((api) => { api.register(); return import(${entry}); });`, { eval: true, ...options });
  }
  return new Worker(new URL(`./${name}.js`, callerUrl), options);
}
