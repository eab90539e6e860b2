/** What every command needs: configuration from the environment and --db, and the wired app. */
import type { Command } from 'commander';
import type { App } from '../app.ts';
import { loadConfig, type Config } from '../config.ts';
import type { AuditEntry } from '../core/ports.ts';
import { userInfo } from 'node:os';

export function configFrom(cmd: Command, overrides: Partial<Config> = {}): Config {
  const db = cmd.optsWithGlobals<{ db?: string }>().db;
  return loadConfig(process.env, { ...(db === undefined ? {} : { LUPA_DATABASE_URL: db }), ...overrides });
}

/** Runs `fn` with an open app and always closes it. */
export async function withApp<T>(cmd: Command, fn: (app: App) => Promise<T>): Promise<T> {
  // Loaded here rather than at the top: `lupa --help` and a malformed command start without the store's libraries.
  const { createApp } = await import('../app.ts');
  const app = await createApp(configFrom(cmd));
  try {
    return await fn(app);
  } finally {
    await app.close();
  }
}

/** The CLI is used by an operator with database access: reads of a customer are audited under the OS user. */
export function cliActor(): Pick<AuditEntry, 'actor' | 'role'> {
  let user = 'unknown';
  try {
    user = userInfo().username;
  } catch {
    // No passwd entry (some containers): keep 'unknown'.
  }
  return { actor: `cli:${user}`, role: 'admin' };
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

/** Like printJson, but waits when the reader is slower than us, so long listings stay in bounded memory. */
export async function printJsonLine(value: unknown): Promise<void> {
  if (!process.stdout.write(`${JSON.stringify(value)}\n`)) {
    await new Promise<void>((resolve) => process.stdout.once('drain', resolve));
  }
}
