/**
 * The one place where adapters are built from configuration and handed to the use cases: the app
 * (src/app.ts: the store and its stores) and, on top, the channels, the sending worker and the
 * bounce receiver. The server, the CLI and the benchmarks all start here. No DI container.
 */
import { readFileSync } from 'node:fs';
import { pino } from 'pino';
import type { App } from './app.ts';
import { DevInbox } from './channels/email/dev-inbox.ts';
import { readDkimKey } from './channels/email/dkim-keys.ts';
import { SmtpMessageSender, type DkimKey } from './channels/email/smtp-sender.ts';
import { DEFAULT_BRAND, type Brand } from './core/brands.ts';
import { DomainError } from './core/errors.ts';
import { defaultFeedbackSenderId } from './channels/email/feedback-id.ts';
import { parseUnsubscribeMailbox, type UnsubscribeMailbox } from './channels/email/unsubscribe-mailbox.ts';
import { TwilioSmsGateway } from './channels/sms/twilio-sms-gateway.ts';
import { ThreadedBounceParser } from './bounces/threaded-bounce-parser.ts';
import { BounceReceiver } from './channels/email/bounce-receiver.ts';
import { type BounceDeps } from './use-cases/bounces.ts';
import { receiveInboundMail } from './use-cases/inbound-mail.ts';
import type { SendDeps } from './use-cases/send-campaign.ts';
import { ChannelRateLimiter } from './use-cases/channel-rate-limiter.ts';
import { runSendingWorker } from './jobs/sending-worker.ts';
import type { MessageSender } from './core/email-message.ts';
import { devInboxEnabled, isLoopbackHost, senderIdentity, ticketFilesDir, type Config } from './config.ts';
import { normaliseEmail } from './core/addresses.ts';
import { parseBusinessHours } from './core/tickets/business-hours.ts';
import { parseSlaTargets } from './core/tickets/sla.ts';
import { DirectoryTicketFiles } from './storage/tickets/ticket-files.ts';
import { receiveSupportMail } from './use-cases/tickets/inbound-support-mail.ts';
import type { ReplyDeps } from './use-cases/tickets/reply.ts';
import type { TicketDeps } from './use-cases/tickets/tickets.ts';
import type { Ticket } from './core/tickets/ticket.ts';
import { requestCsat } from './use-cases/feedback/csat.ts';
import type { NpsDeps } from './use-cases/feedback/nps.ts';
import type { PhoneSaleDeps } from './use-cases/calls/phone-sales.ts';

import { adTargetOrigins, type SiteAdDeps } from './use-cases/site-ads.ts';
export { createApp, migrateDatabase, systemClock, type App, type Stores } from './app.ts';

/**
 * The e-mail sender the configuration names (by default: the development inbox), with each brand's
 * DKIM key. A brand whose key file cannot be read stops it here (CONFIG_INVALID naming the file).
 */
export function createEmailSender(app: App): MessageSender {
  const c = app.config;
  const keys = new Map<string, DkimKey[] | null>([...app.sending.brands.values()].map((brand) => [brand.name, dkimKeysOf(brand)]));
  const url = new URL(c.LUPA_SMTP_URL);
  return new SmtpMessageSender(
    {
      url: c.LUPA_SMTP_URL,
      bounceDomain: c.LUPA_BOUNCE_DOMAIN,
      messageIdDomain: c.LUPA_MAIL_DOMAIN,
      installationId: app.installationId,
      feedbackSenderId: c.LUPA_FEEDBACK_SENDER_ID ?? defaultFeedbackSenderId(c.LUPA_MAIL_DOMAIN),
      unsubscribeMailbox: unsubscribeMailbox(c),
      maxConnections: c.LUPA_SMTP_CONNECTIONS,
      dkim: keys.get(DEFAULT_BRAND) ?? null,
      brandDkim: keys,
      allowInsecure: isLoopbackHost(url.hostname),
    },
    app.signer,
  );
}

/**
 * A brand's keys: its RSA key and, when it has one, its Ed25519 key (RFC 8463), whose signature
 * goes on top. An Ed25519 setting holding another type of key is left out (`lupa doctor` reports
 * it blocking), so that no signature names a selector whose record it cannot match.
 */
function dkimKeysOf(brand: Brand): DkimKey[] | null {
  if (brand.dkim.state !== 'on') return null;
  const defaultBrand = brand.name === DEFAULT_BRAND;
  const rsa = { domainName: brand.dkim.domain, keySelector: brand.dkim.selector, privateKey: keyFileText(brand, brand.dkim.keyFile, defaultBrand ? 'LUPA_DKIM_KEY_FILE' : 'LUPA_BRANDS_FILE') };
  const ed = brand.dkim.ed25519;
  if (ed.state !== 'on' || ed.selector.toLowerCase() === brand.dkim.selector.toLowerCase()) return [rsa];
  const privateKey = keyFileText(brand, ed.keyFile, defaultBrand ? 'LUPA_DKIM_ED25519_KEY_FILE' : 'LUPA_BRANDS_FILE');
  const facts = readDkimKey(ed.keyFile);
  if (!facts.ok || facts.algorithm !== 'ed25519') return [rsa];
  return [{ domainName: brand.dkim.domain, keySelector: ed.selector, privateKey }, rsa];
}

function keyFileText(brand: Brand, file: string, field: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    throw new DomainError('CONFIG_INVALID', `${field}: the DKIM key file of brand ${brand.name} (${file}) cannot be read`, { field });
  }
}

/** The mailbox of `List-Unsubscribe`'s mailto (checked when the configuration was read), or null for none. */
function unsubscribeMailbox(c: Config): UnsubscribeMailbox | null {
  return c.LUPA_UNSUBSCRIBE_MAILBOX === undefined ? null : parseUnsubscribeMailbox(c.LUPA_UNSUBSCRIBE_MAILBOX, c.LUPA_BOUNCE_DOMAIN);
}

/** What own-product ads need (the API, the CLI): the stores, the signer, the own sites' origins for targets. */
export function siteAdDeps(app: App): SiteAdDeps {
  return { ...app.stores, settings: app.settings, signer: app.signer, now: app.now, targetOrigins: adTargetOrigins(app.config, app.publicUrl), publicUrl: app.publicUrl };
}

/** What sending needs, with `sender` for e-mail: `lupa campaign send` and the worker share it. */
export function sendDeps(app: App, sender: MessageSender): SendDeps {
  return {
    ...app.stores,
    sender,
    sms: createSmsGateway(app),
    signer: app.signer,
    publicUrl: app.publicUrl,
    settings: app.settings,
    sending: app.sending,
    trackingMode: app.config.LUPA_EMAIL_TRACKING,
    senderIdentity: senderIdentity(app.config),
    channelLimiter: new ChannelRateLimiter({ rates: app.stores.channelRates, now: app.now }, app.config.LUPA_CHANNEL_RATES),
    handOffsInFlight: app.config.LUPA_SMTP_CONNECTIONS,
    minGroup: app.config.LUPA_MIN_GROUP_SIZE,
    now: app.now,
  };
}

export interface RunningWorker {
  /** Stops after the batch in hand and closes the worker's SMTP connections. */
  stop(): Promise<void>;
  /** Settles when the worker has stopped. */
  readonly stopped: Promise<void>;
}

/** Starts the sending worker loop (src/jobs/sending-worker.ts) with its own SMTP pool, logging at LUPA_LOG_LEVEL. */
export function startSendingWorker(app: App, opts: { workerId: string; pollSeconds: number; batchSize: number }): RunningWorker {
  const sender = createEmailSender(app);
  const controller = new AbortController();
  const log = pino({ level: app.config.LUPA_LOG_LEVEL, base: { name: 'lupa-worker' } });
  const deps = { launch: { ...app.stores, settings: app.settings, sending: app.sending, now: app.now }, send: sendDeps(app, sender), log };
  const stopped = runSendingWorker(deps, { ...opts, leaseSeconds: app.config.LUPA_CLAIM_LEASE_SECONDS, signal: controller.signal }).finally(() => sender.close());
  return {
    stopped,
    stop: async () => {
      controller.abort();
      await stopped;
    },
  };
}

/** What handling a bounce needs: the SMTP receiver and the provider webhook share it. */
export function bounceDeps(app: App): BounceDeps {
  const c = app.config;
  return {
    ...app.stores,
    signer: app.signer,
    now: app.now,
    softBounceRetry: { limit: c.LUPA_SOFT_BOUNCE_LIMIT, baseMinutes: c.LUPA_SOFT_BOUNCE_RETRY_MINUTES, maxMinutes: c.LUPA_SOFT_BOUNCE_RETRY_MAX_MINUTES },
  };
}

/**
 * What support tickets need: the store, the file store of attachments, the support address and the
 * SLA settings. With `mailer`, solving a ticket asks its customer the CSAT question (feedbackDeps).
 */
export function ticketDeps(app: App, mailer?: () => MessageSender): TicketDeps {
  const c = app.config;
  return {
    tickets: app.stores.tickets,
    customers: app.stores.customers,
    files: new DirectoryTicketFiles(ticketFilesDir(c)),
    settings: {
      supportAddress: normaliseEmail(c.LUPA_SUPPORT_ADDRESS) ?? c.LUPA_SUPPORT_ADDRESS,
      hours: parseBusinessHours(c.LUPA_SUPPORT_HOURS, c.LUPA_SUPPORT_TIMEZONE),
      targets: parseSlaTargets(c.LUPA_TICKET_SLA),
      maxAttachmentBytes: c.LUPA_TICKET_ATTACHMENT_MAX_BYTES,
    },
    now: app.now,
    ...(mailer === undefined ? {} : { afterSolved: async (ticket: Ticket) => void (await requestCsat(feedbackDeps(app, mailer), ticket)) }),
  };
}

/** The default brand's sender: notices of Lupa's own (fresh links, feedback questions) go out as it. */
export function defaultSender(app: App): { name: string; address: string } {
  const brand = app.sending.brands.get(DEFAULT_BRAND);
  return brand === undefined ? { name: app.config.LUPA_SENDER_NAME, address: `noreply@${app.config.LUPA_MAIL_DOMAIN}` } : { name: brand.fromName, address: brand.fromAddress };
}

/** What the feedback questions need (docs/customer-service.md#feedback): `mailer` sends them, made when first needed. */
export function feedbackDeps(app: App, mailer: () => MessageSender): NpsDeps {
  const c = app.config;
  return {
    ...app.stores,
    settings: app.settings,
    signer: app.signer,
    sender: mailer,
    from: defaultSender(app),
    replyTo: normaliseEmail(c.LUPA_SUPPORT_ADDRESS) ?? c.LUPA_SUPPORT_ADDRESS,
    publicUrl: app.publicUrl,
    linkDays: c.LUPA_FEEDBACK_LINK_DAYS,
    sms: createSmsGateway(app),
    now: app.now,
  };
}

/** What phone sales need: the stores, the senders of the written offer (e-mail made on first use), the link signer and the acceptance time. */
export function phoneSaleDeps(app: App, mailer: () => MessageSender): PhoneSaleDeps {
  return {
    ...app.stores,
    sender: mailer,
    sms: createSmsGateway(app),
    signer: app.signer,
    publicUrl: app.publicUrl,
    settings: { acceptDays: app.config.LUPA_PHONE_SALE_ACCEPT_DAYS, from: defaultSender(app) },
    now: app.now,
  };
}

/** What an agent's reply needs: the tickets, and the e-mail sender replies go out through. */
export function ticketReplyDeps(app: App, sender: MessageSender): ReplyDeps {
  return { ...ticketDeps(app, () => sender), sender, senderName: app.config.LUPA_SENDER_NAME };
}

/**
 * Starts inbound SMTP for bounces and feedback reports on LUPA_BOUNCE_PORT, or returns null when it
 * is 0. `port` overrides it (0 there: any free port). The same receiver takes customers' mail to
 * LUPA_SUPPORT_ADDRESS, which becomes tickets.
 */
export async function startBounceReceiver(app: App, opts: { port?: number } = {}): Promise<{ receiver: BounceReceiver; port: number } | null> {
  if (opts.port === undefined && app.config.LUPA_BOUNCE_PORT === 0) return null;
  // Mail from anyone on the internet is parsed in a thread of its own, never in the event loop.
  const parser = new ThreadedBounceParser(app.config.LUPA_BOUNCE_PARSE_SECONDS * 1000);
  const deps = { ...bounceDeps(app), parseReport: (raw: Buffer) => parser.parse(raw) };
  const tickets = ticketDeps(app);
  const supportAddress = tickets.settings.supportAddress;
  const isSupportAddress = (address: string): boolean => normaliseEmail(address) === supportAddress;
  const support = { isSupportAddress, receive: async (raw: Buffer) => receiveSupportMail(tickets, await parser.parseSupport(raw)) };
  const mail = { ...deps, unsubscribeMailbox: unsubscribeMailbox(app.config), support };
  const receiver = new BounceReceiver(
    app.config.LUPA_BOUNCE_DOMAIN,
    async (raw, envelopeTo) => {
      await receiveInboundMail(mail, raw, envelopeTo);
    },
    { maxBytes: app.config.LUPA_BOUNCE_MAX_BYTES, socketTimeoutMs: app.config.LUPA_REQUEST_TIMEOUT_SECONDS * 1000, onStop: () => parser.close(), alsoFor: isSupportAddress },
  );
  const port = await receiver.start(app.config.LUPA_HOST, opts.port ?? app.config.LUPA_BOUNCE_PORT);
  return { receiver, port };
}

/** The SMS gateway the configuration names, or undefined when none is configured. */
export function createSmsGateway(app: App): TwilioSmsGateway | undefined {
  const c = app.config;
  if (c.LUPA_SMS_ACCOUNT_SID === undefined || c.LUPA_SMS_AUTH_TOKEN === undefined || c.LUPA_SMS_FROM === undefined) return undefined;
  return new TwilioSmsGateway({ baseUrl: c.LUPA_SMS_BASE_URL, accountSid: c.LUPA_SMS_ACCOUNT_SID, authToken: c.LUPA_SMS_AUTH_TOKEN, from: c.LUPA_SMS_FROM });
}

/**
 * Starts the local development SMTP inbox, or returns null when it is not enabled (see
 * `devInboxEnabled`) or LUPA_DEV_INBOX_PORT is 0.
 */
export async function startDevInbox(config: Config): Promise<{ inbox: DevInbox; url: string } | null> {
  if (!devInboxEnabled(config) || config.LUPA_DEV_INBOX_PORT === 0) return null;
  const inbox = new DevInbox(config.LUPA_DEV_INBOX_LIMIT);
  const bound = await inbox.start(config.LUPA_HOST, config.LUPA_DEV_INBOX_PORT);
  return { inbox, url: `smtp://${bound.host}:${bound.port}` };
}
