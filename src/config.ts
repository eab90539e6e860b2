/**
 * All configuration, read from the environment in one place and validated once.
 * Every key is documented with its default in docs/configuration.md.
 */
import { z } from 'zod';
import { normaliseEmail } from './core/addresses.ts';
import { isOneAddress } from './core/brands.ts';
import { parseUnsubscribeMailbox } from './channels/email/unsubscribe-mailbox.ts';
import { parseChannelRates } from './core/channel-rate.ts';
import { DomainError } from './core/errors.ts';
import { parseBusinessHours } from './core/tickets/business-hours.ts';
import { parseSlaTargets } from './core/tickets/sla.ts';
import type { SenderIdentity } from './templates/template-definition.ts';

/**
 * The origins of LUPA_SITE_ORIGINS (`https://www.example.fi,https://m.example.fi`) as a browser
 * sends them in `Origin` (scheme, host, port; no path), or null when one is not an origin.
 */
export function siteOrigins(value: string): string[] | null {
  const origins: string[] = [];
  for (const part of value.split(',').map((p) => p.trim()).filter((p) => p !== '')) {
    let url: URL;
    try {
      url = new URL(part);
    } catch {
      return null;
    }
    if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.origin !== part.replace(/\/$/, '')) return null;
    origins.push(url.origin);
  }
  return origins;
}

/** Whether `read` reads its setting without throwing. */
function readable(read: () => unknown): boolean {
  try {
    read();
    return true;
  } catch {
    return false;
  }
}

function isTimeZone(zone: string): boolean {
  return readable(() => new Intl.DateTimeFormat('en', { timeZone: zone }));
}

/** An optional setting for which an empty value means "not set". */
const unsetWhenEmpty = z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), z.string().min(1).optional());

const ConfigSchema = z.object({
  LUPA_DATABASE_URL: z.string().min(1).default('sqlite:./data/lupa.db'),
  LUPA_HOST: z.string().min(1).default('127.0.0.1'),
  LUPA_PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  LUPA_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LUPA_SOFT_OPT_IN_MONTHS: z.coerce.number().int().min(0).max(120).default(12),
  LUPA_PHONE_ROBINSON_YEARS: z.coerce.number().int().min(1).max(10).default(3),
  LUPA_DEMO_CUSTOMERS: z.coerce.number().int().min(0).max(10_000_000).default(2000),
  LUPA_DEMO_SEED: z.coerce.number().int().default(1),
  LUPA_SECRET: z.string().min(16).optional(),
  LUPA_PUBLIC_URL: z.url().optional(),
  LUPA_NOTICE_VERSION: z.string().min(1).default('2026-01'),
  LUPA_SENDER_NAME: z.string().trim().min(1).max(100).default('Lupa'),
  LUPA_SENDER_ADDRESS: z
    .string()
    .refine(isOneAddress, 'must be one e-mail address (e.g. uutiset@example.fi)')
    .optional(),
  LUPA_BRANDS_FILE: z.string().min(1).optional(),
  LUPA_SENDER_POSTAL_ADDRESS: z.string().trim().min(1).max(200).refine((v) => !/[\r\n]/.test(v), 'must be one line').optional(),
  LUPA_SENDER_LOGO_URL: z
    .string()
    .refine(isLogoUrl, 'must be an https:// URL or a path on this server starting with / (e.g. /static/logo.png)')
    .optional(),
  LUPA_PREFERENCE_LINK_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
  LUPA_FEEDBACK_LINK_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  LUPA_PREFERENCE_LINK_RESEND_MINUTES: z.coerce.number().int().min(1).max(1440).default(10),
  LUPA_MACHINE_HIT_SECONDS: z.coerce.number().int().min(0).max(3600).default(10),
  // Unset: the development inbox on this machine, at LUPA_DEV_INBOX_PORT (filled in by loadConfig).
  LUPA_SMTP_URL: z.string().min(1).optional(),
  LUPA_SMTP_CONNECTIONS: z.coerce.number().int().min(1).max(100).default(5),
  LUPA_MAIL_DOMAIN: z.string().min(1).default('lupa.localhost'),
  LUPA_BOUNCE_DOMAIN: z.string().min(1).default('bounces.lupa.localhost'),
  LUPA_BOUNCE_MX_HOST: z.string().min(1).optional(),
  LUPA_FEEDBACK_SENDER_ID: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,64}$/, 'use 1 to 64 letters, digits, dots, hyphens or underscores (no colon: it separates the Feedback-ID)')
    .optional(),
  LUPA_UNSUBSCRIBE_MAILBOX: z.string().trim().min(1).optional(),
  // Set but empty (`LUPA_DKIM_SELECTOR=` in a unit file) is read as unset: `lupa doctor` then reports
  // the half DKIM setup as blocking, with its fix, instead of the start failing on a validator message.
  LUPA_DKIM_DOMAIN: unsetWhenEmpty,
  LUPA_DKIM_SELECTOR: unsetWhenEmpty,
  LUPA_DKIM_KEY_FILE: unsetWhenEmpty,
  // A second key, Ed25519 (RFC 8463), signed alongside the RSA one for LUPA_DKIM_DOMAIN.
  LUPA_DKIM_ED25519_SELECTOR: unsetWhenEmpty,
  LUPA_DKIM_ED25519_KEY_FILE: unsetWhenEmpty,
  LUPA_EMAIL_TRACKING: z.enum(['consent', 'always']).default('consent'),
  LUPA_BOUNCE_PORT: z.coerce.number().int().min(0).max(65535).default(2526),
  LUPA_BOUNCE_MAX_BYTES: z.coerce.number().int().min(1024).max(100 * 1024 * 1024).default(10 * 1024 * 1024),
  LUPA_BOUNCE_PARSE_SECONDS: z.coerce.number().int().min(1).max(600).default(30),
  LUPA_SESSION_HOURS: z.coerce.number().int().min(1).max(720).default(12),
  LUPA_TEST_SEED_ADDRESSES: z
    .string()
    .default('')
    .refine((v) => v.split(',').every((a) => a.trim() === '' || normaliseEmail(a) !== null), 'must be e-mail addresses separated by commas (e.g. tiimi@example.fi,testi@example.fi)'),
  LUPA_PASSWORD_SCRYPT_LOG_N: z.coerce.number().int().min(14).max(20).default(17),
  LUPA_RECENT_CAMPAIGN_DAYS: z.coerce.number().int().min(0).max(365).default(7),
  LUPA_MIN_GROUP_SIZE: z.coerce.number().int().min(1).max(1000).default(5),
  LUPA_REQUEST_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
  LUPA_SOFT_BOUNCE_LIMIT: z.coerce.number().int().min(1).max(20).default(3),
  LUPA_SOFT_BOUNCE_RETRY_MINUTES: z.coerce.number().int().min(1).max(1440).default(15),
  LUPA_SOFT_BOUNCE_RETRY_MAX_MINUTES: z.coerce.number().int().min(1).max(10_080).default(1440),
  LUPA_SMS_BASE_URL: z.string().min(1).default('https://api.twilio.com'),
  LUPA_SMS_ACCOUNT_SID: z.string().min(1).optional(),
  LUPA_SMS_AUTH_TOKEN: z.string().min(1).optional(),
  LUPA_SMS_FROM: z.string().min(1).optional(),
  LUPA_DEV_INBOX: z.enum(['0', '1']).optional(),
  LUPA_DEV_INBOX_LIMIT: z.coerce.number().int().min(1).max(100_000).default(1000),
  LUPA_DEV_INBOX_PORT: z.coerce.number().int().min(0).max(65535).default(2525),
  LUPA_SUMMARY_REFRESH_SECONDS: z.coerce.number().int().min(0).max(86_400).default(30),
  LUPA_SEGMENT_REFRESH_SECONDS: z.coerce.number().int().min(0).max(86_400).default(300),
  LUPA_INTEREST_HALF_LIFE_DAYS: z.coerce.number().int().min(1).max(3650).default(180),
  LUPA_AD_SYNC_MINUTES: z.coerce.number().int().min(0).max(10_080).default(60),
  LUPA_META_API_URL: z.string().url().default('https://graph.facebook.com/v26.0'),
  LUPA_META_ACCESS_TOKEN: z.string().min(1).optional(),
  LUPA_GOOGLE_ADS_API_URL: z.string().url().default('https://googleads.googleapis.com/v26'),
  LUPA_GOOGLE_ADS_DEVELOPER_TOKEN: z.string().min(1).optional(),
  LUPA_GOOGLE_ADS_ACCESS_TOKEN: z.string().min(1).optional(),
  LUPA_GOOGLE_ADS_CUSTOMER_ID: z.string().regex(/^\d{10}$/, 'must be the 10-digit customer id without dashes').optional(),
  LUPA_GOOGLE_ADS_LOGIN_CUSTOMER_ID: z.string().regex(/^\d{10}$/, 'must be the 10-digit manager customer id without dashes').optional(),
  LUPA_SITE_ORIGINS: z
    .string()
    .default('')
    .refine((v) => siteOrigins(v) !== null, 'must be a comma-separated list of origins (https://www.example.fi)'),
  LUPA_SITE_EVENT_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(180),
  LUPA_SITE_EVENT_UPKEEP_MINUTES: z.coerce.number().int().min(0).max(1440).default(60),
  LUPA_REMARKETING_REFRESH_MINUTES: z.coerce.number().int().min(0).max(1440).default(15),
  LUPA_IDENTIFY_TOKEN_SECONDS: z.coerce.number().int().min(10).max(3600).default(300),
  // The ad server's bearer token for GET /v1/ad-server/segments (docs/sites-and-ads.md); unset: the route answers 503.
  LUPA_AD_SERVER_TOKEN: z.string().min(32, 'must be at least 32 characters (e.g. openssl rand -hex 32)').optional(),
  LUPA_WORKER_POLL_SECONDS: z.coerce.number().int().min(1).max(3600).default(5),
  LUPA_KEY_CACHE_SECONDS: z.coerce.number().int().min(0).max(300).default(5),
  // Customers whose decision records stay in memory (decision-records-cache.ts, postgres-decision-records-cache.ts); 0: none.
  LUPA_DECISION_CACHE_CUSTOMERS: z.coerce.number().int().min(0).max(1_000_000).default(20_000),
  LUPA_CLAIM_LEASE_SECONDS: z.coerce.number().int().min(5).max(3600).default(300),
  LUPA_SERVE_WORKER: z.enum(['auto', 'on', 'off']).default('auto'),
  // Call recordings (docs/calls-and-recordings.md). The key: 32 bytes, hex or base64; unset on SQLite
  // (the demo) a random one is made and kept in the store, on PostgreSQL recordings are refused.
  LUPA_RECORDINGS_KEY: unsetWhenEmpty,
  LUPA_RECORDINGS_DIR: unsetWhenEmpty,
  LUPA_RECORDINGS_INBOX: unsetWhenEmpty,
  LUPA_RECORDINGS_INBOX_SECONDS: z.coerce.number().int().min(1).max(3600).default(10),
  LUPA_RECORDING_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(180),
  LUPA_RECORDING_SALE_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(365),
  LUPA_RECORDING_MAX_BYTES: z.coerce.number().int().min(1024).max(4 * 1024 * 1024 * 1024).default(512 * 1024 * 1024),
  LUPA_RECORDING_PURGE_SECONDS: z.coerce.number().int().min(0).max(86_400).default(3600),
  // Telesales (docs/calls-and-recordings.md#telesales): a phone sale's written offer lapses unaccepted after these days.
  LUPA_PHONE_SALE_ACCEPT_DAYS: z.coerce.number().int().min(1).max(90).default(14),
  // Support tickets (docs/customer-service.md): mail to this address at the inbound SMTP becomes a ticket.
  LUPA_SUPPORT_ADDRESS: z.string().refine(isOneAddress, 'must be one e-mail address (e.g. asiakaspalvelu@example.fi)').default('support@lupa.localhost'),
  LUPA_SUPPORT_HOURS: z.string().default('Mon-Fri 08:00-16:00').refine((v) => readable(() => parseBusinessHours(v, 'UTC')), 'write days and hours like "Mon-Fri 08:00-16:00"'),
  LUPA_SUPPORT_TIMEZONE: z.string().default('Europe/Helsinki').refine(isTimeZone, 'must be an IANA time zone (e.g. Europe/Helsinki)'),
  LUPA_TICKET_SLA: z.string().default('').refine((v) => readable(() => parseSlaTargets(v)), 'write e.g. "urgent=1/8,high=4/16" (priority=first response/resolution in business hours)'),
  LUPA_TICKET_FILES_DIR: unsetWhenEmpty,
  LUPA_TICKET_ATTACHMENT_MAX_BYTES: z.coerce.number().int().min(0).max(100 * 1024 * 1024).default(10 * 1024 * 1024),
  LUPA_SUPPORT_FORM_PER_HOUR: z.coerce.number().int().min(1).max(100_000).default(10),
  LUPA_SUPPORT_FORM_MIN_SECONDS: z.coerce.number().int().min(0).max(3600).default(3),
  LUPA_CSV_EXCEL: z
    .enum(['0', '1'])
    .default('0')
    .transform((v) => v === '1'),
  LUPA_CHANNEL_RATES: z
    .string()
    .default('')
    .transform((text, ctx) => {
      try {
        return parseChannelRates(text);
      } catch (err) {
        ctx.addIssue({ code: 'custom', message: err instanceof Error ? err.message : String(err) });
        return z.NEVER;
      }
    }),
}).superRefine((config, ctx) => {
  // The mailto must land at Lupa's own receiver, which takes only the bounce domain.
  if (config.LUPA_UNSUBSCRIBE_MAILBOX === undefined) return;
  try {
    parseUnsubscribeMailbox(config.LUPA_UNSUBSCRIBE_MAILBOX, config.LUPA_BOUNCE_DOMAIN);
  } catch (err) {
    ctx.addIssue({ code: 'custom', path: ['LUPA_UNSUBSCRIBE_MAILBOX'], message: err instanceof Error ? err.message : String(err) });
  }
});

/**
 * The relay when LUPA_SMTP_URL is unset: the development inbox at LUPA_DEV_INBOX_PORT, so that a
 * second instance on another inbox port sends to its own inbox, not the first one's. Port 0 (no
 * inbox) keeps the documented 2525.
 */
function defaultSmtpUrl(devInboxPort: number): string {
  return `smtp://127.0.0.1:${devInboxPort === 0 ? 2525 : devInboxPort}`;
}

/** The settings as read; LUPA_SMTP_URL always set (its default follows LUPA_DEV_INBOX_PORT, see `loadConfig`). */
export type Config = Omit<z.infer<typeof ConfigSchema>, 'LUPA_SMTP_URL'> & { LUPA_SMTP_URL: string };

/** The name of every setting, set or not (docs/configuration.md). */
export const CONFIG_SETTINGS: readonly string[] = Object.keys(ConfigSchema.shape);

/**
 * A logo a page may show: https (never plain http, which browsers block on an https page, nor a
 * `javascript:` or `data:` URL), or a path on this server (`/…`, but not `//host/…`, which leaves it).
 */
function isLogoUrl(value: string): boolean {
  if (/\s/.test(value) || value.includes('\\')) return false;
  if (value.startsWith('/')) return !value.startsWith('//');
  return value.startsWith('https://') && URL.canParse(value);
}

/** Who the marketing footer names as the sender (LUPA_SENDER_NAME, LUPA_SENDER_POSTAL_ADDRESS). */
export function senderIdentity(config: Pick<Config, 'LUPA_SENDER_NAME' | 'LUPA_SENDER_POSTAL_ADDRESS'>): SenderIdentity {
  return { name: config.LUPA_SENDER_NAME, postalAddress: config.LUPA_SENDER_POSTAL_ADDRESS ?? null };
}

/**
 * Whether `lupa serve` runs the development inbox (the local SMTP server and its /inbox pages).
 * It holds mail addressed to customers, so it is off unless LUPA_DEV_INBOX=1; unset, it is on only
 * for the embedded SQLite demo, where the default LUPA_SMTP_URL sends to it.
 */
export function devInboxEnabled(config: Pick<Config, 'LUPA_DEV_INBOX' | 'LUPA_DATABASE_URL'>): boolean {
  if (config.LUPA_DEV_INBOX !== undefined) return config.LUPA_DEV_INBOX === '1';
  return config.LUPA_DATABASE_URL.startsWith('sqlite:');
}

/**
 * Whether e-mail goes to the development inbox rather than out: LUPA_SMTP_URL names a loopback host
 * (`127.x.x.x`, `::1`, `localhost`) at LUPA_DEV_INBOX_PORT, and the inbox is not switched off
 * (LUPA_DEV_INBOX=0, or port 0). The inbox may run in another process (`lupa serve` beside
 * `lupa worker`), so this looks at where mail goes, not at whether this process runs the inbox.
 * Everything else is real sending, a relay on this machine included (a local Postfix listens on
 * 25 or 587): only real sending is refused what would not arrive (docs/going-live.md).
 */
export function sendsToDevInbox(config: Pick<Config, 'LUPA_SMTP_URL' | 'LUPA_DEV_INBOX' | 'LUPA_DEV_INBOX_PORT'>): boolean {
  if (config.LUPA_DEV_INBOX === '0' || config.LUPA_DEV_INBOX_PORT === 0) return false;
  let url: URL;
  try {
    url = new URL(config.LUPA_SMTP_URL);
  } catch {
    return false;
  }
  const port = Number(url.port || (url.protocol === 'smtps:' ? 465 : 25));
  return url.protocol === 'smtp:' && isLoopbackHost(url.hostname) && port === config.LUPA_DEV_INBOX_PORT;
}

/** `localhost`, `127.0.0.0/8`, `::1`: this machine. */
export function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || hostname === '::1' || /^127(\.\d{1,3}){3}$/.test(hostname);
}

export function loadConfig(env: Record<string, string | undefined> = process.env, overrides: Partial<Config> = {}): Config {
  const parsed = ConfigSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = String(issue?.path[0] ?? 'config');
    throw new DomainError('CONFIG_INVALID', `${field}: ${issue?.message ?? 'invalid'}`, { field });
  }
  const read = { ...parsed.data, ...Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined)) };
  return { ...read, LUPA_SMTP_URL: read.LUPA_SMTP_URL ?? defaultSmtpUrl(read.LUPA_DEV_INBOX_PORT) };
}

/**
 * Where ticket attachments are kept: LUPA_TICKET_FILES_DIR, else `ticket-files` beside the SQLite
 * file, else `./data/ticket-files`.
 */
export function ticketFilesDir(config: Pick<Config, 'LUPA_TICKET_FILES_DIR' | 'LUPA_DATABASE_URL'>): string {
  if (config.LUPA_TICKET_FILES_DIR !== undefined) return config.LUPA_TICKET_FILES_DIR;
  const file = config.LUPA_DATABASE_URL.startsWith('sqlite:') ? config.LUPA_DATABASE_URL.slice('sqlite:'.length) : '';
  const dir = file === '' || file === ':memory:' ? './data' : file.replace(/[/\\][^/\\]*$/, '') || '.';
  return `${dir === file ? '.' : dir}/ticket-files`;
}
