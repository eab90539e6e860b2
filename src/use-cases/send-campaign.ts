/**
 * Sending a launched campaign. A worker claims a batch of queued deliveries, re-checks them against
 * the ledger as it stands now (set-based, one query per batch), renders and hands each allowed one
 * to the channel, and records the outcome per message right after the hand-off: a worker has at most
 * `handOffsInFlight` messages between the start of a hand-off and its committed outcome. Pause and cancel
 * take effect between batches; a worker that dies leaves claims that other workers take over when
 * their lease ends.
 */
import type { ClaimedDelivery, Campaign, CampaignLinkStore, CampaignStore, DeliveryStore, TemplateStore } from '../core/campaign.ts';
import { brandNameOf } from '../core/brands.ts';
import type { EligibilityFacts } from '../core/eligibility-facts.ts';
import { campaignFrom, type SendingSetup } from '../core/sending-readiness.ts';
import type { MessageSender } from '../core/email-message.ts';
import { DomainError, isDomainError } from '../core/errors.ts';
import { evaluate, type Verdict } from '../core/evaluate.ts';
import { combineVerdicts, type MessagePurposes, type MessageVerdict } from '../core/message-purposes.ts';
import type { AudienceStore, CatalogueStore, CustomerStore } from '../core/ports.ts';
import type { Customer, CustomerId, Instant } from '../core/records.ts';
import type { DecisionSettings } from '../core/settings.ts';
import { toInstant } from '../core/time.ts';
import type { TokenSigner } from '../security/signed-tokens.ts';
import { smsText } from '../channels/sms/sms-text.ts';
import { render, usesOffer, type CompiledTemplate, type OfferFill, type SenderIdentity } from '../templates/index.ts';
import type { OfferOutcome } from '../core/offers/offer.ts';
import type { OfferRankingReads } from '../core/offers/ports.ts';
import { bestEmailOffers, type BestOffer } from './offers/best-offers.ts';
import { resolveAudienceQuery } from './audience.ts';
import { campaignPurposes, campaignRenderInput, campaignTemplate, productNameOf, requireFilled } from './campaign-message.ts';
import type { ChannelRateLimiter } from './channel-rate-limiter.ts';
import { Throttle } from './throttle.ts';
import { clickUrl, openPixelUrl } from './tracking.ts';
import { deliverabilityRefusals, notDeliverable } from './sending-readiness.ts';
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
  /** Brands (a message's From when its campaign has none, and the key it is signed with) and whether mail would arrive. */
  sending: SendingSetup;
  /** Per-person open tracking: `consent` (only with a site-ads consent) or `always` (rule 9). */
  trackingMode: 'consent' | 'always';
  /** The sender the marketing footer names (LUPA_SENDER_NAME, LUPA_SENDER_POSTAL_ADDRESS); without it, none. */
  senderIdentity?: SenderIdentity;
  /** Hand-offs per second per channel, counted for every worker on the database; without it, none. */
  channelLimiter?: ChannelRateLimiter;
  /**
   * Hand-offs one worker has in flight at most, each from the start of its SMTP transaction (or
   * gateway request) until its outcome is committed: LUPA_SMTP_CONNECTIONS, so that every connection
   * is busy and no message waits behind an unrecorded one. It bounds what a crash can send twice.
   * Default: 5 (LUPA_SMTP_CONNECTIONS's default).
   */
  handOffsInFlight?: number;
  /** The offer catalogue, for a template that prints the recipient's best offer (`offer.*`); without it, no offer is filled in. */
  offers?: OfferRankingReads;
  /** Group counts below this are not named in an offer's reason (LUPA_MIN_GROUP_SIZE; default 5). */
  minGroup?: number;
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
  /**
   * Each campaign's message as last prepared: its template, what the campaign fills it with, and
   * its tracked links, stored once rather than rendered and stored again every batch; prepared
   * afresh when the stored template changes.
   */
  links: Map<number, PreparedMessage>;
}

/** A campaign's message ready to send: checked once per template it has, reused for every batch. */
export interface PreparedMessage {
  template: CompiledTemplate;
  /** What the message must be allowed for, and is sent as (its primary purpose). */
  purposes: MessagePurposes;
  /** What every message fills the template with (product, values, the campaign's links). */
  fill: CampaignFill;
  /** The campaign's tracked links, by href as written in the HTML. */
  links: Map<string, number>;
  /** The template prints the recipient's best offer (`offer.*`): each batch computes them. */
  usesOffer: boolean;
}

type CampaignFill = ReturnType<typeof campaignRenderInput>;

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
  /** With `paused`: why this call paused the campaign itself (`CODE: message`), as `campaign status` shows it. */
  pausedBecause?: string;
}

export async function sendCampaign(deps: SendDeps, opts: SendOptions): Promise<SendSummary> {
  const summary: SendSummary = { batches: 0, sent: 0, skipped: 0, failed: 0, stoppedBecause: 'done' };
  const initial = await requireCampaign(deps, opts.campaignId);
  const turns = opts.turns ?? { throttles: new Map(), links: new Map() };
  const throttle = turns.throttles.get(initial.id) ?? new Throttle(initial.perSecond);
  turns.throttles.set(initial.id, throttle);
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
    // The setup may have changed since the launch (a restart with another relay or public URL):
    // mail that would not arrive is not sent; the campaign pauses with the reason instead.
    const refusals = deliverabilityRefusals(deps.sending, campaign, campaign.purposes?.[0] ?? campaign.purpose);
    if (refusals.length > 0) return pause(deps, campaign, `LAUNCH_NOT_DELIVERABLE: ${notDeliverable(campaign.id, refusals).message}`, summary);
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
    // The template as stored now: an edited template is picked up here; one the campaign can no
    // longer send pauses the campaign with the reason rather than fail message by message.
    let message: PreparedMessage;
    try {
      message = await preparedMessage(deps, turns, campaign);
    } catch (err) {
      if (!isDomainError(err) || err.code !== 'TEMPLATE_INVALID') throw err;
      await deps.deliveries.release(claimed.map((d) => d.id), opts.workerId);
      return pause(deps, campaign, `TEMPLATE_INVALID: ${err.message}`, summary);
    }
    // A hand-off starts only while a fifth of the lease is left: one whose claim could run out
    // before its outcome is recorded might be sent again by the worker that takes the claim over.
    const before = { sent: summary.sent, failed: summary.failed };
    const refusal = await sendBatch(deps, campaign, message, claimed, { workerId: opts.workerId, throttle, handOffBy: Date.parse(leaseUntil) - leaseMs / 5 }, summary);
    // Every hand-off of the batch refused: the channel is down or misconfigured, not one address bad.
    if (refusal !== null && summary.sent === before.sent && summary.failed - before.failed >= Math.min(claimed.length, REFUSALS_TO_PAUSE)) {
      return pause(deps, campaign, `CHANNEL_REFUSED: every hand-off of the last batch (${summary.failed - before.failed}) was refused (${refusal})`, summary);
    }
  }
}

/** Hand-offs in flight per worker when `SendDeps.handOffsInFlight` is not given. */
const DEFAULT_HAND_OFFS_IN_FLIGHT = 5;

/** Refused hand-offs in a row (or a whole smaller batch) that pause a campaign. */
const REFUSALS_TO_PAUSE = 5;

async function pause(deps: SendDeps, campaign: Campaign, reason: string, summary: SendSummary): Promise<SendSummary> {
  await deps.deliveries.pauseRunning(campaign.id, reason);
  summary.stoppedBecause = 'paused';
  summary.pausedBecause = reason;
  return summary;
}

/**
 * What a refused hand-off is recorded with: the relay's reply code, the gateway's HTTP status, or the
 * connection's error code (`ESOCKET`, `ECONNECTION`: the relay could not be reached); never its text,
 * which may quote the address or number.
 */
function relayCode(err: unknown): string {
  if (typeof err !== 'object' || err === null) return 'unknown';
  if ('responseCode' in err) return String(err.responseCode);
  if ('httpStatus' in err) return `HTTP ${String(err.httpStatus)}`;
  return 'code' in err && typeof err.code === 'string' && /^[A-Z_]{2,32}$/.test(err.code) ? err.code : 'unknown';
}

/** The campaign's message for this batch: reused while the stored template is the same, prepared and checked afresh when it changed. */
async function preparedMessage(deps: SendDeps, turns: CampaignTurns, campaign: Campaign): Promise<PreparedMessage> {
  const template = await campaignTemplate(deps, campaign);
  const kept = turns.links.get(campaign.id);
  if (kept !== undefined && kept.template === template) return kept;
  const productName = await productNameOf(deps, campaign);
  requireFilled(template, campaign, productName);
  const fill = campaignRenderInput(campaign, productName);
  const usesOfferBlock = usesOffer([...template.parts.values()].flatMap((p) => [p.subject, p.html, p.text]));
  const prepared = { template, purposes: campaignPurposes(campaign, template), fill, links: await trackedLinks(deps, campaign, template, fill), usesOffer: usesOfferBlock };
  turns.links.set(campaign.id, prepared);
  return prepared;
}

/** How a batch is sent: by whom, how fast, and until when a hand-off may start. */
interface BatchRun {
  workerId: string;
  throttle: Throttle;
  /** No hand-off starts at or after this time (ms); its delivery stays claimed until the lease ends, then goes back to the queue. */
  handOffBy: number;
}

/**
 * How old the decision a message is handed off on may be (ms). A batch is re-checked when it is
 * claimed; when its hand-offs are paced (the campaign's or the channel's rate) or slow, the batch
 * can span minutes, and an objection or withdrawal recorded meanwhile must still stop the messages
 * not yet handed off (compliance.md §2 rules 2, 7 and 12). Past this age the remaining messages of
 * the batch are re-checked together (one set-based query, as at the claim) before the next hand-off.
 */
export const MAX_DECISION_AGE_MS = 2000;

/** A message of the batch allowed at its last re-check, waiting for its hand-off. */
interface HandOff {
  delivery: ClaimedDelivery;
  customer: Customer;
  address: string;
  tracked: boolean;
  /** The offer it carries (personal only where profiling was allowed at the last re-check). */
  offer: BestOffer | undefined;
  /** Set when a later re-check no longer allows it: the reasons it is skipped with. */
  refusedBecause: readonly string[] | null;
}

/** Sends a claimed batch; returns how the last refused hand-off was refused (null: none was). */
async function sendBatch(deps: SendDeps, campaign: Campaign, message: PreparedMessage, claimed: ClaimedDelivery[], run: BatchRun, summary: SendSummary): Promise<string | null> {
  const { workerId } = run;
  let refusal: string | null = null;
  const at = deps.now();
  const skip = async (delivery: ClaimedDelivery, reasons: readonly string[]): Promise<void> => {
    await deps.deliveries.markSkipped(delivery.id, workerId, [...reasons]);
    summary.skipped++;
  };
  // The re-check: the decision as of now, for the whole batch in one query. An opt-out recorded
  // after the launch stops the message here.
  const checked = await recheck(deps, campaign, message, claimed, at);
  await Promise.all(checked.refused.map(({ delivery, reasons }) => skip(delivery, reasons)));
  const handOffs = checked.allowed;
  let checkedAt = Date.parse(at);
  // Messages not yet handed off: what a later re-check covers.
  const waiting = new Set(handOffs);
  let rechecking: Promise<void> | null = null;
  /** Re-checks every message still waiting, as of now, once for all lanes that find the decision too old. */
  const refreshed = (): Promise<void> =>
    (rechecking ??= (async () => {
      const now = deps.now();
      const jobs = [...waiting];
      const again = await recheck(deps, campaign, message, jobs.map((j) => j.delivery), now);
      const allowed = new Map(again.allowed.map((h) => [h.delivery.id, h]));
      const refused = new Map(again.refused.map((r) => [r.delivery.id, r.reasons]));
      for (const job of jobs) {
        const fresh = allowed.get(job.delivery.id);
        if (fresh === undefined) job.refusedBecause = refused.get(job.delivery.id) ?? ['NO_ADDRESS'];
        else Object.assign(job, { customer: fresh.customer, address: fresh.address, tracked: fresh.tracked, offer: fresh.offer });
      }
      checkedAt = Date.parse(now);
    })().finally(() => (rechecking = null)));
  const shown: OfferOutcome[] = [];
  // Hand-offs in lanes, as many as the channel has connections: a lane starts its next hand-off only
  // once the outcome of its last one is committed. A crash can so repeat at most one message a lane
  // (the one the relay may have taken but Lupa had not yet recorded), never every message the relay
  // accepted while a slow commit was being written (docs/delivery-guarantees.md).
  const lanes = Math.max(1, Math.min(deps.handOffsInFlight ?? DEFAULT_HAND_OFFS_IN_FLIGHT, handOffs.length));
  let next = 0;
  // Set when a message the relay accepted could not be recorded sent: no lane starts another hand-off.
  let unrecorded: DomainError | null = null;
  await Promise.all(
    Array.from({ length: lanes }, async () => {
      for (let job = handOffs[next++]; job !== undefined && unrecorded === null; job = handOffs[next++]) {
        // The campaign's rate and the channel's, one after the other: the lower one sets the pace.
        // Taken in the lane, just before the hand-off, so that a second's count holds its own hand-offs.
        await run.throttle.take();
        await deps.channelLimiter?.acquire(campaign.channel);
        if (Date.parse(deps.now()) >= run.handOffBy || unrecorded !== null) return;
        // Waiting for the rate may have taken a while: the decision is at most MAX_DECISION_AGE_MS old
        // (or as of a re-check that started after this lane began waiting; once, however long it takes).
        if (rechecking !== null || Date.parse(deps.now()) - checkedAt > MAX_DECISION_AGE_MS) await refreshed();
        waiting.delete(job);
        if (job.refusedBecause !== null) {
          await skip(job.delivery, job.refusedBecause);
          continue;
        }
        const { delivery, customer, address, tracked, offer } = job;
        let handedOff: { messageId: string };
        try {
          handedOff = campaign.channel === 'sms' ? await sendSms(deps, campaign, message, customer, address) : await deps.sender.send(messageFor(deps, campaign, message, delivery, customer, address, tracked, at, offer?.fill ?? null));
        } catch (err) {
          // The relay's or gateway's code only: its text may quote the address or number.
          const code = relayCode(err);
          refusal = isDomainError(err) ? err.code : `code ${code}`;
          await deps.deliveries.markFailed(delivery.id, workerId, isDomainError(err) ? `hand-off refused (${err.code})` : `hand-off refused (code ${code})`);
          summary.failed++;
          continue;
        }
        // Accepted by the relay: from here on the message is out, whatever the store does.
        unrecorded = await recordSent(deps, workerId, delivery.id, handedOff.messageId, address);
        if (unrecorded === null) summary.sent++;
        if (offer !== undefined) shown.push({ offerId: offer.offerId, customerId: customer.id, channel: 'email', outcome: 'shown', at, source: 'campaign', campaignId: campaign.id });
      }
    }),
  );
  // The offers the sent messages carried, counted as shown (the acceptance rates' denominator).
  if (shown.length > 0) await deps.offers?.recordOutcomes(shown, deps.now());
  if (unrecorded !== null) throw unrecorded;
  return refusal;
}

/**
 * The batch's messages as of `at`, set-based (a few queries for the whole batch, never one per
 * message): those the ledger allows now, with their current address, tracking and best offer, and
 * those it refuses, with the reasons.
 */
async function recheck(
  deps: SendDeps,
  campaign: Campaign,
  message: PreparedMessage,
  deliveries: readonly ClaimedDelivery[],
  at: Instant,
): Promise<{ allowed: HandOff[]; refused: { delivery: ClaimedDelivery; reasons: readonly string[] }[] }> {
  const ids = deliveries.map((d) => d.customerId as CustomerId);
  const allowed: HandOff[] = [];
  const refused: { delivery: ClaimedDelivery; reasons: readonly string[] }[] = [];
  if (ids.length === 0) return { allowed, refused };
  const verdicts = await messageVerdictsFor(deps, campaign, message.purposes, ids, at);
  const perPerson = deps.trackingMode === 'always' ? null : await verdictsFor(deps, { ...campaign, purpose: 'site_ads', channel: 'web', sku: null }, ids, at);
  const customers = new Map((await deps.customers.getCustomers(ids)).map((c) => [c.id as string, c]));
  for (const delivery of deliveries) {
    const verdict = verdicts.get(delivery.customerId);
    const customer = customers.get(delivery.customerId);
    if (verdict === undefined || customer === undefined || !verdict.allowed) {
      refused.push({ delivery, reasons: verdict?.reasons ?? ['NO_ADDRESS'] });
      continue;
    }
    const address = campaign.channel === 'sms' ? customer.phones[0] : customer.emails[0];
    if (address === undefined) refused.push({ delivery, reasons: ['NO_ADDRESS'] });
    else allowed.push({ delivery, customer, address, tracked: perPerson === null || perPerson.get(delivery.customerId)?.allowed === true, offer: undefined, refusedBecause: null });
  }
  // The recipients' best offers, set-based for the batch, when the template prints one (e-mail only):
  // personal only where profiling is allowed as of `at`.
  if (message.usesOffer && campaign.channel === 'email' && deps.offers !== undefined && allowed.length > 0) {
    const offers = await bestEmailOffers(
      { offers: deps.offers, minGroup: deps.minGroup ?? 5 },
      (purpose, sku) => verdictsFor(deps, { purpose, channel: 'email', sku }, allowed.map((h) => h.customer.id), at),
      allowed.map((h) => h.customer),
      at,
    );
    for (const h of allowed) h.offer = offers.get(h.customer.id);
  }
  return { allowed, refused };
}

/** Waits before each further attempt to record a hand-off the relay accepted (ms). */
const SENT_RECORD_RETRY_MS = [250, 1000] as const;

/**
 * Records a delivery the relay accepted as sent, retrying a store that fails (a lost connection, a
 * busy SQLite file). Never records it failed: it was sent, and `failed` would misreport it. When
 * the store still fails, the answer is STORE_UNAVAILABLE naming the delivery by id and the store's
 * error code only (its text may quote the address): the claim stays until its lease ends, the
 * outcome unknown, as after a crash (docs/delivery-guarantees.md). Null: recorded.
 */
async function recordSent(deps: SendDeps, workerId: string, deliveryId: number, messageId: string, address: string): Promise<DomainError | null> {
  let last: unknown;
  for (let attempt = 0; attempt <= SENT_RECORD_RETRY_MS.length; attempt++) {
    if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, SENT_RECORD_RETRY_MS[attempt - 1]));
    try {
      await deps.deliveries.markSent(deliveryId, workerId, deps.now(), messageId, address);
      return null;
    } catch (err) {
      last = err;
    }
  }
  const code = isDomainError(last) ? last.code : typeof last === 'object' && last !== null && 'code' in last ? String(last.code) : 'unknown';
  return new DomainError(
    'STORE_UNAVAILABLE',
    `delivery ${deliveryId} was accepted by the relay but its sent record could not be written (code ${code}, ${SENT_RECORD_RETRY_MS.length + 1} attempts): it is not recorded failed; its claim runs out at the end of its lease and it may then be sent once more; no further hand-off was started`,
    { field: 'delivery', details: { deliveryId } },
  );
}

async function sendSms(deps: SendDeps, campaign: Campaign, message: PreparedMessage, customer: Customer, phone: string): Promise<{ messageId: string }> {
  if (deps.sms === undefined) throw new DomainError('CONFIG_INVALID', 'no SMS gateway is configured (LUPA_SMS_ACCOUNT_SID, LUPA_SMS_AUTH_TOKEN, LUPA_SMS_FROM)', { field: 'LUPA_SMS_ACCOUNT_SID' });
  const { template, fill } = message;
  const at = deps.now();
  const rendered = render(template, {
    ...fill,
    customer: { name: customer.name, locale: customer.locale, kind: customer.kind },
    links: { ...fill.links, unsubscribe: unsubscribeUrl(deps.signer, deps.publicUrl, customer.id, 'sms', campaign.id, at), preferences: preferencesUrl(deps.signer, deps.publicUrl, customer.id, at) },
  });
  const result = await deps.sms.send({ to: phone, body: smsText(template.kind, rendered) });
  return { messageId: result.providerId };
}

/**
 * The campaign's links (every http(s) link of the template but Lupa's own), stored once so that a
 * click redirects only to a URL the campaign really had. Keyed by the href as written in the HTML.
 */
async function trackedLinks(deps: SendDeps, campaign: Campaign, template: CompiledTemplate, fill: CampaignFill): Promise<Map<string, number>> {
  const hrefs: string[] = [];
  for (const locale of template.locales) {
    const sample = render(template, { ...fill, customer: { name: 'Preview', locale }, locale, links: { ...fill.links, unsubscribe: `${deps.publicUrl}/u/x`, preferences: `${deps.publicUrl}/p/x` } });
    for (const match of sample.html.matchAll(/href="(https?:\/\/[^"]+)"/g)) {
      const href = match[1] ?? '';
      if (!href.startsWith(deps.publicUrl) && !hrefs.includes(href)) hrefs.push(href);
    }
  }
  await deps.links.setLinks(campaign.id, hrefs.map((h) => h.replace(/&amp;/g, '&')));
  return new Map(hrefs.map((h, i) => [h, i]));
}

function messageFor(deps: SendDeps, campaign: Campaign, message: PreparedMessage, delivery: ClaimedDelivery, customer: Customer, address: string, perPerson: boolean, at: Instant, offer: OfferFill | null) {
  const { template, fill, links } = message;
  const marketing = template.kind === 'marketing';
  // Both links are dated by the message: the preference link expires counted from it.
  const unsubscribe = unsubscribeUrl(deps.signer, deps.publicUrl, customer.id, campaign.channel, campaign.id, at);
  const rendered = render(template, {
    ...fill,
    customer: { name: customer.name, locale: customer.locale, kind: customer.kind },
    links: { ...fill.links, unsubscribe, preferences: preferencesUrl(deps.signer, deps.publicUrl, customer.id, at) },
    ...(deps.senderIdentity === undefined ? {} : { sender: deps.senderIdentity }),
    offer,
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
    from: campaignFrom(campaign, deps.sending),
    brand: brandNameOf(campaign),
    subject: rendered.subject,
    html: html.includes('</body>') ? html.replace('</body>', `${img}</body>`) : html + img,
    text: rendered.text,
    unsubscribe: marketing ? { https: unsubscribe } : null,
    // What the message was sent as (a service campaign with promotion is marketing), so mailbox providers' complaint counts per Feedback-ID fall where they belong.
    feedback: { campaignId: campaign.id, purpose: message.purposes.primary, templateId: template.id },
    locale: rendered.locale,
  };
}

/**
 * The re-check of a batch over every purpose the message needs (rule 12): one set-based query per
 * purpose, joined per customer as the launch joins them (`combineVerdicts`).
 */
async function messageVerdictsFor(deps: SendDeps, campaign: Campaign, purposes: MessagePurposes, ids: CustomerId[], at: Instant): Promise<Map<string, MessageVerdict>> {
  const primary = await verdictsFor(deps, { ...campaign, purpose: purposes.primary }, ids, at);
  // Soft opt-in is the primary purpose's matter: the further purposes are asked without the product.
  const further = await Promise.all(purposes.further.map(async (purpose) => ({ purpose, verdicts: await verdictsFor(deps, { purpose, channel: campaign.channel, sku: null }, ids, at) })));
  const combined = new Map<string, MessageVerdict>();
  for (const [customerId, verdict] of primary) {
    const parts = further.flatMap(({ purpose, verdicts }) => {
      const v = verdicts.get(customerId);
      return v === undefined ? [] : [{ purpose, verdict: v }];
    });
    combined.set(customerId, combineVerdicts(verdict, parts));
  }
  return combined;
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
