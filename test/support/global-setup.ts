/** Says once, at the start of a run, when the PostgreSQL suites are skipped and how to run them. */
import { POSTGRES_SKIP_REASON } from './stores.ts';

export default function setup(): void {
  if (POSTGRES_SKIP_REASON !== null) process.stderr.write(`PostgreSQL suites ${POSTGRES_SKIP_REASON} (e.g. postgres://postgres@127.0.0.1:5432/test)\n`);
}
