/**
 * The effective configuration as an administrator may see it: every `LUPA_*` setting with the value
 * in force and whether it is the default, secrets masked. Secrets are the signing secret, the SMS
 * gateway's token and any password inside a URL (the database's, the relay's): an administrator can
 * tell that they are set, never read them (docs/configuration.md names each setting).
 */
import { CONFIG_SETTINGS, loadConfig, type Config } from './config.ts';

export interface ConfigEntry {
  /** The environment variable, e.g. `LUPA_SMTP_URL`. */
  name: string;
  /** The value in force as text (a URL's password as `****`), or null when unset or secret. */
  value: string | null;
  /** `default`: nobody set it; `set`: the environment (or the command line) did. */
  source: 'default' | 'set';
  /** The value is a secret: only whether it is set is shown. */
  secret: boolean;
}

/** Settings whose whole value is a secret. */
const SECRET_SETTINGS: ReadonlySet<string> = new Set(['LUPA_SECRET', 'LUPA_SMS_AUTH_TOKEN', 'LUPA_RECORDINGS_KEY', 'LUPA_META_ACCESS_TOKEN', 'LUPA_GOOGLE_ADS_DEVELOPER_TOKEN', 'LUPA_GOOGLE_ADS_ACCESS_TOKEN', 'LUPA_AD_SERVER_TOKEN']);
/** What a masked part of a value reads as. */
export const MASK = '****';

/** Every setting of `config`, sorted by name, with secrets masked. */
export function configView(config: Config): ConfigEntry[] {
  const defaults: Record<string, unknown> = loadConfig({});
  // Defaults that follow another setting (the development SMTP URL follows the inbox's port).
  const derived: Record<string, unknown> = loadConfig({ LUPA_DEV_INBOX_PORT: String(config.LUPA_DEV_INBOX_PORT) });
  return [...CONFIG_SETTINGS]
    .sort()
    .map((name) => {
      const raw = (config as Record<string, unknown>)[name];
      const text = raw === undefined ? null : typeof raw === 'string' ? raw : JSON.stringify(raw);
      const same = (value: unknown) => JSON.stringify(raw) === JSON.stringify(value);
      const source = same(defaults[name]) || (name !== 'LUPA_DEV_INBOX_PORT' && same(derived[name])) ? 'default' : 'set';
      if (SECRET_SETTINGS.has(name)) return { name, value: null, source, secret: true };
      return { name, value: text === null ? null : maskUrlSecrets(text), source, secret: false };
    });
}

/**
 * A URL's password (`scheme://user:password@host`) and any `password`/`pass`/`token` query
 * parameter replaced by MASK; text that is not a URL is returned as it is.
 */
export function maskUrlSecrets(text: string): string {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) return text;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    // Not parseable as a URL: hide whatever stands between "://" and the last "@", if anything.
    return text.replace(/^([a-z][a-z0-9+.-]*:\/\/[^/@]*?:)[^/]*@/i, `$1${MASK}@`);
  }
  let masked = false;
  if (url.password !== '') {
    url.password = MASK;
    masked = true;
  }
  for (const key of [...url.searchParams.keys()]) {
    if (/pass|token|secret|key/i.test(key)) {
      url.searchParams.set(key, MASK);
      masked = true;
    }
  }
  // Re-written only when something was hidden: the URL class would otherwise add a trailing slash.
  return masked ? url.toString() : text;
}
