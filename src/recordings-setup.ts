/**
 * Where recordings go and how they are locked, from the configuration (docs/calls-and-recordings.md):
 * the file store (a local directory), the encryption key, the retention settings and the size limit.
 * Built once per app; the key is read only when a recording is written or played, so a purge needs
 * none.
 */
import { dirname, join } from 'node:path';
import type { App } from './app.ts';
import type { RecordingFiles } from './core/calls/ports.ts';
import type { RecordingRetention } from './core/calls/recording.ts';
import { DomainError } from './core/errors.ts';
import { parseRecordingsKey } from './security/recording-cipher.ts';
import { LocalRecordingFiles } from './storage/calls/local-recording-files.ts';
import { SqlSecretStore } from './storage/sql-secret-store.ts';

export interface RecordingSetup {
  files: RecordingFiles;
  /** The encryption key. CONFIG_INVALID when none is configured outside the SQLite demo, or it is malformed. */
  key(): Promise<Buffer>;
  retention: RecordingRetention;
  maxBytes: number;
}

const setups = new WeakMap<App, RecordingSetup>();

export function recordingSetup(app: App): RecordingSetup {
  const known = setups.get(app);
  if (known !== undefined) return known;
  const c = app.config;
  let key: Promise<Buffer> | null = null;
  const setup: RecordingSetup = {
    files: new LocalRecordingFiles(recordingsDir(c.LUPA_RECORDINGS_DIR, c.LUPA_DATABASE_URL)),
    key: () => (key ??= recordingsKey(app)),
    retention: { days: c.LUPA_RECORDING_RETENTION_DAYS, saleDays: c.LUPA_RECORDING_SALE_RETENTION_DAYS },
    maxBytes: c.LUPA_RECORDING_MAX_BYTES,
  };
  setups.set(app, setup);
  return setup;
}

/** The configured directory, or `recordings/` beside the SQLite file (so `--db` finds its files), or `./data/recordings`. */
export function recordingsDir(configured: string | undefined, databaseUrl: string): string {
  if (configured !== undefined) return configured;
  const sqlitePath = databaseUrl.startsWith('sqlite:') ? databaseUrl.slice('sqlite:'.length) : null;
  return sqlitePath !== null && sqlitePath !== ':memory:' ? join(dirname(sqlitePath), 'recordings') : join('data', 'recordings');
}

/**
 * `LUPA_RECORDINGS_KEY`; unset on SQLite (the embedded demo), a random key made once and kept in the
 * store's secrets; unset on PostgreSQL, refused: production recordings are not locked with a key
 * kept beside them.
 */
async function recordingsKey(app: App): Promise<Buffer> {
  const configured = app.config.LUPA_RECORDINGS_KEY;
  if (configured !== undefined) return parseRecordingsKey(configured);
  if (app.database.dialect !== 'sqlite') {
    throw new DomainError('CONFIG_INVALID', 'recordings need LUPA_RECORDINGS_KEY (32 bytes, hex or base64; make one with: openssl rand -base64 32)', { field: 'LUPA_RECORDINGS_KEY' });
  }
  return parseRecordingsKey(await new SqlSecretStore(app.database.db, app.now).getOrCreate('recordings-key'));
}
