/**
 * Sending a launched campaign. A worker claims a batch of queued deliveries, re-checks them against
 * the ledger as it stands now (set-based, one query per batch), renders and hands each allowed one
 * to the channel, and records the outcome per message right after the hand-off. Pause and cancel
 * take effect between batches; a worker that dies leaves claims that other workers take over when
 * their lease ends.
 */
import type { ClaimedDelivery, Campaign, CampaignLinkStore, CampaignStore, DeliveryStore, TemplateStore } from '../core/campaign.ts';
import type { EligibilityFacts } from '../core/eligibility-facts.ts';
import type { MessageSender } from '../core/email-message.ts';
import { DomainError } from '../core/errors.ts';
import { evaluate, type Verdict } from '../core/evaluate.ts';
import type { AudienceStore, CatalogueStore, CustomerStore } from '../core/ports.ts';
import type { Customer, CustomerId, Instant } from '../core/records.ts';
import type { DecisionSettings } from '../core/settings.ts';
import { toInstant } from '../core/time.ts';
import type { TokenSigner } from '../security/signed-tokens.ts';
import { compileTemplate, render, type CompiledTemplate, type TemplateDefinition } from '../templates/index.ts';
import { resolveAudienceQuery } from './audience.ts';
import type { ChannelRateLimiter } from './channel-rate-limiter.ts';
import { Throttle } from './throttle.ts';
import { clickUrl, openPixelUrl } from './tracking.ts';
import { preferencesUrl, unsubscribeUrl } from './unsubscribe.ts';

export interface SendDeps {
  campaigns: CampaignStore;
  deliveries: DeliveryStore;
  templates: TemplateStore;
  audience: AudienceStore;
  catalogue: CatalogueStore;
  customers: CustomerStore;
  sender: MessageSender;
  links: CampaignLinkStore;
  /** The SMS gateway, for SMS campaigns. */
  sms?: { send(message: { to: string; body: string }): Promise<{ providerId: string }> };
  signer: TokenSigner;
  publicUrl: string;
  settings: DecisionSettings;
  /** Per-person open tracking: `consent` (only with a site-ads consent) or `always` (rule 9). */
  trackingMode: 'consent' | 'always';
  /** Hand-offs per second per channel, counted for every worker on the database; without it, none. */
  channelLimiter?: ChannelRateLimiter;
  now: () => Instant;
}

export interface SendOptions {
  campaignId: number;
  workerId: string;
  batchSize?: number;
  leaseSeconds?: number;
  /** Stop after this many batches (tests and step-wise runs); default: until the campaign is done. */
  maxBatches?: number;
  /** Kept between calls by a caller that sends campaigns in turns (a batch each); default: fresh for this call. */
  turns?: CampaignTurns;
}

/** What sending a campaign prepares once and reuses, per campaign id, across calls. */
export interface CampaignTurns {
  /** Each campaign's throttle, so that a new call does not start with a fresh second's worth. */
  throttles: Map<number, Throttle>;
  /** Each campaign's tracked links, stored once rather than rendered and stored again every batch. */
  links: Map<number, Map<string, number>>;
}

export interface SendSummary {
  batches: number;
  sent: number;
  skipped: number;
  failed: number;
  /**
   * Why the worker stopped. `retries_pending`: nothing is due now, but soft-bounced deliveries wait
   * for their retry (until `nextRetryAt`); run the worker again then.
   */
  stoppedBecause: 'done' | 'paused' | 'cancelled' | 'not_running' | 'max_batches' | 'retries_pending';
  /** With `retries_pending`: when the first waiting retry is due. */
  nextRetryAt?: Instant;
}

export async function sendCampaign(deps: SendDeps, opts: SendOptions): Promise<SendSummary> {
  const summary: SendSummary = { batches: 0, sent: 0, skipped: 0, failed: 0, stoppedBecause: 'done' };
  const initial = await requireCampaign(deps, opts.campaignId);
  const template = await compiledTemplateFor(deps, initial);
  const links = opts.turns?.links.get(initial.id) ?? (await trackedLinks(deps, initial, template));
  const throttle = opts.turns?.throttles.get(initial.id) ?? new Throttle(initial.perSecond);
  opts.turns?.links.set(initial.id, links);
  opts.turns?.throttles.set(initial.id, throttle);
  // A batch no larger than a second's worth of the channel, so that waiting for the channel's rate
  // does not keep a large claim from workers that could send it meanwhile.
  const batchSize = Math.min(opts.batchSize ?? 200, deps.channelLimiter?.limitOf(initial.channel) ?? Number.POSITIVE_INFINITY);
  for (;;) {
    const campaign = await requireCampaign(deps, opts.campaignId);
    if (campaign.status !== 'running') {
      summary.stoppedBecause = campaign.status === 'paused' || campaign.status === 'cancelled' ? campaign.status : campaign.status === 'done' ? 'done' : 'not_running';
      return summary;
    }
    if (opts.maxBatches !== undefined && summary.batches >= opts.maxBatches) {
      summary.stoppedBecause = 'max_batches';
      return summary;
    }
    const now = deps.now();
    const leaseMs = (opts.leaseSeconds ?? 300) * 1000;
    const leaseUntil = toInstant(Date.parse(now) + leaseMs);
    const claimed = await deps.deliveries.claim(campaign.id, opts.workerId, batchSize, now, leaseUntil);
    if (claimed.length === 0) {
      // Claims of other live workers may still be in flight, and retries may wait for their time:
      // the campaign is done only when neither is left.
      const nextRetryAt = (await deps.deliveries.completeIfDrained(campaign.id)) ? null : await deps.deliveries.nextRetryAt(campaign.id);
      summary.stoppedBecause = nextRetryAt === null ? 'done' : 'retries_pending';
      if (nextRetryAt !== null) summary.nextRetryAt = nextRetryAt;
      return summary;
    }
    summary.batches++;
    // A hand-off starts only while a fifth of the lease is left: one whose claim could run out
    // before its outcome is recorded might be sent again by the worker that takes the claim over.
    await sendBatch(deps, campaign, template, links, claimed, { workerId: opts.workerId, throttle, handOffBy: Date.parse(leaseUntil) - leaseMs / 5 }, summary);
  }
}

/** How a batch is sent: by whom, how fast, and until when a hand-off may start. */
interface BatchRun {
  workerId: string;
  throttle: Throttle;
  /** No hand-off starts at or after this time (ms); its delivery stays claimed until the lease ends, then goes back to the queue. */
  handOffBy: number;
}

async function sendBatch(deps: SendDeps, campaign: Campaign, template: CompiledTemplate, links: Map<string, number>, claimed: ClaimedDelivery[], run: BatchRun, summary: SendSummary): Promise<void> {
  const { workerId } = run;
  const ids = claimed.map((d) => d.customerId as CustomerId);
  const at = deps.now();
  // The re-check: the decision as of now, for the whole batch in one query. An opt-out recorded
  // after the launch stops the message here.
  const verdicts = await verdictsFor(deps, campaign, ids, at);
  const perPerson = deps.trackingMode === 'always' ? null : await verdictsFor(deps, { ...campaign, purpose: 'site_ads', channel: 'web', sku: null }, ids, at);
  const customers = new Map((await deps.customers.getCustomers(ids)).map((c) => [c.id as string, c]));
  await Promise.all(
    claimed.map(async (delivery) => {
      const verdict = verdicts.get(delivery.customerId);
      const customer = customers.get(delivery.customerId);
      if (verdict === undefined || customer === undefined || !verdict.allowed) {
        await deps.deliveries.markSkipped(delivery.id, workerId, verdict?.reasons ?? ['NO_ADDRESS']);
        summary.skipped++;
        return;
      }
      const address = campaign.channel === 'sms' ? customer.phones[0] : customer.emails[0];
      if (address === undefined) {
        await deps.deliveries.markSkipped(delivery.id, workerId, ['NO_ADDRESS']);
        summary.skipped++;
        return;
      }
      const tracked = perPerson === null || perPerson.get(delivery.customerId)?.allowed === true;
      // The campaign's rate and the channel's, one after the other: the lower one sets the pace.
      await run.throttle.take();
      await deps.channelLimiter?.acquire(campaign.channel);
      if (Date.parse(deps.now()) >= run.handOffBy) return;
      try {
        const handedOff = campaign.channel === 'sms' ? await sendSms(deps, campaign, template, customer, address) : await deps.sender.send(messageFor(deps, campaign, template, links, delivery, customer, address, tracked, at));
        await deps.deliveries.markSent(delivery.id, workerId, deps.now(), handedOff.messageId, address);
        summary.sent++;
      } catch (err) {
        // The relay's or gateway's code only: its text may quote the address or number.
        const code = typeof err === 'object' && err !== null && 'responseCode' in err ? String(err.responseCode) : typeof err === 'object' && err !== null && 'httpStatus' in err ? `HTTP ${String(err.httpStatus)}` : 'unknown';
        await deps.deliveries.markFailed(delivery.id, workerId, `hand-off refused (code ${code})`);
        summary.failed++;
      }
    }),
  );
}

/** What a marketing SMS ends with: how to stop them, free and easy (rule 3), in the customer's language. */
const SMS_STOP_TEXT: Record<string, string> = { fi: 'Lopetus: vastaa STOP', sv: 'Avsluta: svara STOP', en: 'Reply STOP to opt out' };

async function sendSms(deps: SendDeps, campaign: Campaign, template: CompiledTemplate, customer: Customer, phone: string): Promise<{ messageId: string }> {
  if (deps.sms === undefined) throw new DomainError('CONFIG_INVALID', 'no SMS gateway is configured (LUPA_SMS_ACCOUNT_SID, LUPA_SMS_AUTH_TOKEN, LUPA_SMS_FROM)', { field: 'LUPA_SMS_ACCOUNT_SID' });
  const rendered = render(template, {
    customer: { name: customer.name, locale: customer.locale },
    links: { unsubscribe: unsubscribeUrl(deps.signer, deps.publicUrl, customer.id, 'sms', campaign.id), preferences: preferencesUrl(deps.signer, deps.publicUrl, customer.id) },
  });
  // An SMS carries the subject line as its text; marketing adds the STOP instruction.
  const body = template.kind === 'marketing' ? `${rendered.subject}\n${SMS_STOP_TEXT[rendered.locale] ?? SMS_STOP_TEXT.fi}` : rendered.subject;
  const result = await deps.sms.send({ to: phone, body });
  return { messageId: result.providerId };
}

/**
 * The campaign's links (every http(s) link of the template but Lupa's own), stored once so that a
 * click redirects only to a URL the campaign really had. Keyed by the href as written in the HTML.
 */
async function trackedLinks(deps: SendDeps, campaign: Campaign, template: CompiledTemplate): Promise<Map<string, number>> {
  const hrefs: string[] = [];
  for (const locale of template.locales) {
    const sample = render(template, { customer: { name: 'Preview', locale }, locale, links: { unsubscribe: `${deps.publicUrl}/u/x`, preferences: `${deps.publicUrl}/p/x` } });
    for (const match of sample.html.matchAll(/href="(https?:\/\/[^"]+)"/g)) {
      const href = match[1] ?? '';
      if (!href.startsWith(deps.publicUrl) && !hrefs.includes(href)) hrefs.push(href);
    }
  }
  await deps.links.setLinks(campaign.id, hrefs.map((h) => h.replace(/&amp;/g, '&')));
  return new Map(hrefs.map((h, i) => [h, i]));
}

function messageFor(deps: SendDeps, campaign: Campaign, template: CompiledTemplate, links: Map<string, number>, delivery: ClaimedDelivery, customer: Customer, address: string, perPerson: boolean, at: Instant) {
  const marketing = template.kind === 'marketing';
  const unsubscribe = unsubscribeUrl(deps.signer, deps.publicUrl, customer.id, campaign.channel, campaign.id);
  const rendered = render(template, {
    customer: { name: customer.name, locale: customer.locale },
    links: { unsubscribe, preferences: preferencesUrl(deps.signer, deps.publicUrl, customer.id) },
  });
  const ticket = { deliveryId: delivery.id, campaignId: campaign.id, perPerson, sentAtSeconds: Math.floor(Date.parse(at) / 1000) };
  const pixel = openPixelUrl(deps.signer, deps.publicUrl, ticket);
  // Links of the campaign go through the click redirect; personalised or unknown links stay as they are.
  const html = rendered.html.replace(/href="(https?:\/\/[^"]+)"/g, (whole, href: string) => {
    const idx = links.get(href);
    return idx === undefined ? whole : `href="${clickUrl(deps.signer, deps.publicUrl, ticket, idx)}"`;
  });
  const img = `<img src="${pixel}" width="1" height="1" alt="" style="display:none">`;
  return {
    deliveryId: delivery.id,
    attempt: delivery.sendAttempt,
    to: address,
    from: campaign.from ?? { name: 'Lupa', address: 'noreply@lupa.localhost' },
    subject: rendered.subject,
    html: html.includes('</body>') ? html.replace('</body>', `${img}</body>`) : html + img,
    text: rendered.text,
    unsubscribe: marketing ? { https: unsubscribe } : null,
    feedbackId: `${campaign.id}:${campaign.purpose}:lupa`,
    locale: rendered.locale,
  };
}

async function verdictsFor(deps: SendDeps, campaign: Pick<Campaign, 'purpose' | 'channel' | 'sku'>, ids: CustomerId[], at: Instant): Promise<Map<string, Verdict>> {
  const query = await resolveAudienceQuery(deps, { purpose: campaign.purpose, channel: campaign.channel, sku: campaign.sku, at, filter: { customerIds: ids } });
  const verdicts = new Map<string, Verdict>();
  const decide = (facts: EligibilityFacts): Verdict => evaluate({ purpose: query.purpose, channel: query.channel, hasProduct: query.productCategory !== null }, facts);
  for await (const row of deps.audience.streamFacts(query, ids.length + 1)) verdicts.set(row.customerId, decide(row.facts));
  return verdicts;
}

async function requireCampaign(deps: SendDeps, id: number): Promise<Campaign> {
  const campaign = await deps.campaigns.get(id);
  if (campaign === null) throw new DomainError('NOT_FOUND', `no campaign ${id}`, { field: 'campaign' });
  return campaign;
}

const compiled = new Map<string, Promise<CompiledTemplate>>();

/** Templates are compiled once per process and campaign: rendering per recipient is the hot path. */
async function compiledTemplateFor(deps: SendDeps, campaign: Campaign): Promise<CompiledTemplate> {
  if (campaign.templateId === null) throw new DomainError('TEMPLATE_INVALID', `campaign ${campaign.id} has no template`, { field: 'template' });
  const key = `${campaign.id}:${campaign.templateId}`;
  let template = compiled.get(key);
  if (template === undefined) {
    const definition = await deps.templates.get(campaign.templateId);
    if (definition === null) throw new DomainError('TEMPLATE_INVALID', `no template ${campaign.templateId}`, { field: 'template' });
    template = compileTemplate(definition as TemplateDefinition);
    compiled.set(key, template);
  }
  const result = await template;
  const needed = campaign.purpose === 'service' ? 'service' : 'marketing';
  if (result.kind !== needed) {
    throw new DomainError('TEMPLATE_INVALID', `a ${campaign.purpose} campaign needs a ${needed} template; ${campaign.templateId} is ${result.kind}`, { field: 'template' });
  }
  return result;
}
