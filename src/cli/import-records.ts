/** What `lupa import` and `lupa demo` share: the streaming import, then the audience summaries of what changed. */
import type { App } from '../composition-root.ts';
import type { ImportInput, ImportResult } from '../import/run-import.ts';

export async function importRecords(app: App, input: ImportInput): Promise<ImportResult> {
  // Loaded here, so that `lupa --help` starts without the import's libraries.
  const { runImport } = await import('../import/run-import.ts');
  const result = await runImport({ database: app.database, settings: app.settings, now: app.now }, input);
  // The audience is exact either way; refreshed summaries make it fast (docs/decisions/0003).
  await app.stores.audience.refreshSummaries();
  return result;
}
