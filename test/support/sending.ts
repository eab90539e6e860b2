/**
 * What the sending suites share: demo customers, a marketing template, a development inbox that the
 * SMTP sender delivers to, and helpers to launch a campaign and read what arrived for it.
 */
import { Readable } from 'node:stream';
import { afterAll, beforeAll, expect } from 'vitest';
import { DevInbox, type InboxMessage } from '../../src/channels/email/dev-inbox.ts';
import { campaignOfFeedbackId } from '../../src/channels/email/feedback-id.ts';
import { SmtpMessageSender } from '../../src/channels/email/smtp-sender.ts';
import type { App } from '../../src/composition-root.ts';
import type { CustomerId, Instant, Sku } from '../../src/core/records.ts';
import { demoToNdjson } from '../../src/demo/generate-demo.ts';
import { runImport } from '../../src/import/run-import.ts';
import type { TemplateDefinition } from '../../src/templates/index.ts';
import { createCampaign, launchCampaign } from '../../src/use-cases/campaigns.ts';
import type { SendDeps } from '../../src/use-cases/send-campaign.ts';

export const NEWSLETTER: TemplateDefinition = {
  id: 'autumn',
  kind: 'marketing',
  defaultLocale: 'fi',
  locales: {
    fi: { subject: 'Syystarjous, {{ customer.firstName }}', mjml: '<mjml><mj-body><mj-section><mj-column><mj-text>Hei {{ customer.firstName }}!</mj-text><mj-button href="https://kauppa.example/tarjous">Tilaa</mj-button></mj-column></mj-section></mj-body></mjml>' },
    sv: { subject: 'Höstens erbjudande, {{ customer.firstName }}', mjml: '<mjml><mj-body><mj-section><mj-column><mj-text>Hej {{ customer.firstName }}!</mj-text></mj-column></mj-section></mj-body></mjml>' },
  },
};

/** A service notice; its link makes every worker store the campaign's links as it starts. */
export const SERVICE_NOTICE: TemplateDefinition = {
  id: 'disruption',
  kind: 'service',
  defaultLocale: 'fi',
  locales: { fi: { subject: 'Jakeluhäiriö', mjml: '<mjml><mj-body><mj-section><mj-column><mj-text>Lehtesi myöhästyy tänään: <a href="https://jakelu.example/tilanne">tilanne</a>.</mj-text></mj-column></mj-section></mj-body></mjml>' } },
};

/** Stores the newsletter and the service notice, so that campaigns in a suite can name them. */
export async function saveStockTemplates(app: App): Promise<void> {
  for (const t of [NEWSLETTER, SERVICE_NOTICE]) await app.stores.templates.save(t.id, t, app.now());
}

/** The stock template for a campaign of this purpose. */
export function stockTemplateFor(purpose: string): string {
  return purpose === 'service' ? SERVICE_NOTICE.id : NEWSLETTER.id;
}

/** An SMTP sender to the inbox at `port`, with the test domains. */
export function inboxSender(app: App, port: number, maxConnections = 3): SmtpMessageSender {
  return new SmtpMessageSender({ url: `smtp://127.0.0.1:${port}`, bounceDomain: 'b.lupa.test', messageIdDomain: 'lupa.test', installationId: app.installationId, feedbackSenderId: 'lupa.test', unsubscribeMailbox: null, maxConnections, dkim: null, allowInsecure: true }, app.signer);
}

export interface Sending {
  readonly inbox: DevInbox;
  readonly inboxPort: number;
  readonly deps: SendDeps;
  /** Creates and launches a marketing e-mail campaign of the newsletter over all demo customers. */
  launch(name: string): Promise<{ campaign: { id: number }; queued: number }>;
  /** The messages of a campaign that reached the inbox (by their Feedback-ID), oldest first. */
  arrivedFor(campaignId: number): Promise<InboxMessage[]>;
}

/** Registers beforeAll/afterAll that import demo customers and start the inbox; use inside `describeEachStore`. */
export function useSending(ctx: { readonly app: App }): Sending {
  const inbox = new DevInbox(10_000);
  let sender: SmtpMessageSender | undefined;
  let deps: SendDeps | undefined;
  let inboxPort = 0;

  beforeAll(async () => {
    inboxPort = (await inbox.start('127.0.0.1', 0)).port;
    sender = inboxSender(ctx.app, inboxPort);
    const imported = await runImport(
      { database: ctx.app.database, settings: ctx.app.settings, now: ctx.app.now },
      { stream: Readable.from(demoToNdjson({ customers: 120, seed: 5 })), format: 'ndjson' },
    );
    expect(imported.errorCount).toBe(0);
    await ctx.app.stores.templates.save(NEWSLETTER.id, NEWSLETTER, ctx.app.now());
    deps = { ...ctx.app.stores, sender, signer: ctx.app.signer, publicUrl: 'https://lupa.test', settings: ctx.app.settings, sending: ctx.app.sending, trackingMode: 'consent', now: ctx.app.now };
  });
  afterAll(async () => {
    await sender?.close();
    await inbox.stop();
  });

  const ready = (): SendDeps => {
    if (deps === undefined) throw new Error('sending not ready');
    return deps;
  };
  return {
    inbox,
    get inboxPort() {
      return inboxPort;
    },
    get deps() {
      return ready();
    },
    async launch(name) {
      const campaign = await createCampaign(ready(), { name, purpose: 'marketing', channel: 'email', sku: 'UV-PRINT-7' as Sku, filter: {}, templateId: NEWSLETTER.id, from: { name: 'Uutisvirta', address: 'uutiset@lupa.test' } });
      const launched = await launchCampaign(ready(), { campaignId: campaign.id });
      return { campaign, queued: launched.counts.byState.queued ?? 0 };
    },
    async arrivedFor(campaignId) {
      const all = await Promise.all((await inbox.list()).map((m) => inbox.get(m.id)));
      return all
        .filter((m): m is InboxMessage => m?.headers.some((h) => h.name === 'feedback-id' && campaignOfFeedbackId(h.value) === campaignId) === true)
        .reverse();
    },
  };
}

/** A header of a received message. */
export const headerOf = (m: InboxMessage, name: string): string | undefined => m.headers.find((h) => h.name === name)?.value;

/**
 * A launched, running service campaign over every customer whose queued deliveries are all recorded
 * as handed off, each with the Message-ID `messageId` makes (by default the form used before
 * Message-IDs had the installation's part, `<d{id}@{messageIdDomain}>`) and the customer's first e-mail.
 */
export async function sentCampaign(
  app: App,
  name: string,
  messageIdDomain = 'test',
  messageId: (deliveryId: number) => string = (id) => `<d${id}@${messageIdDomain}>`,
): Promise<{ id: number; deliveries: { id: number; customerId: string }[] }> {
  const deps = { ...app.stores, settings: app.settings, sending: app.sending, now: app.now };
  await saveStockTemplates(app);
  const campaign = await createCampaign(deps, { name, purpose: 'service', channel: 'email', sku: null, filter: {}, templateId: SERVICE_NOTICE.id });
  await launchCampaign(deps, { campaignId: campaign.id });
  const claimed = await app.stores.deliveries.claim(campaign.id, 'w', 100_000, app.now(), '2999-01-01T00:00:00.000Z' as Instant);
  for (const d of claimed) {
    const address = (await app.stores.customers.getCustomer(d.customerId as CustomerId))?.emails[0] ?? '';
    await app.stores.deliveries.markSent(d.id, 'w', app.now(), messageId(d.id), address);
  }
  return { id: campaign.id, deliveries: claimed };
}

/**
 * `count` people with one e-mail address each (`{prefix}{n}@example.fi`, ids `{PREFIX}{n}` padded to
 * seven digits), and the service notice stored: what a campaign of exactly `count` messages needs.
 */
export async function importNumberedCustomers(app: App, count: number, prefix: string): Promise<void> {
  const id = (i: number): string => `${prefix.toUpperCase()}${String(i).padStart(7, '0')}`;
  const lines = Array.from({ length: count }, (_, i) => JSON.stringify({ type: 'customer', id: id(i), kind: 'person', name: `Asiakas ${i}`, email: `${prefix}${i}@example.fi` }));
  const imported = await runImport({ database: app.database, settings: app.settings, now: app.now }, { stream: Readable.from(lines.join('\n')), format: 'ndjson' });
  if (imported.errorCount > 0) throw new Error(`${imported.errorCount} customers refused`);
  await app.stores.templates.save(SERVICE_NOTICE.id, SERVICE_NOTICE, app.now());
}

/** A service campaign of the notice over every customer, launched: its id and the deliveries queued. */
export async function launchServiceNotice(app: App, name: string): Promise<{ id: number; queued: number }> {
  const deps = { ...app.stores, settings: app.settings, sending: app.sending, now: app.now };
  const campaign = await createCampaign(deps, { name, purpose: 'service', channel: 'email', sku: null, filter: {}, templateId: SERVICE_NOTICE.id, from: { name: 'Jakelu', address: 'jakelu@lupa.test' } });
  const launched = await launchCampaign(deps, { campaignId: campaign.id });
  return { id: campaign.id, queued: launched.counts.byState.queued ?? 0 };
}
