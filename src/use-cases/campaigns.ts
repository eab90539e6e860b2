/**
 * Use cases: create a campaign and launch it. At launch the audience is resolved set-based and every
 * customer in it gets a delivery row with the decision as of the launch: queued with its legal
 * basis, or skipped with every blocking reason. Sending re-checks each queued delivery later.
 */
import type { Campaign, CampaignResults, CampaignStatus, CampaignStore, DeliveryCounts, DeliveryStore, LaunchNarrowing, LaunchVerdict, NewCampaign, TemplateStore, TrackingStore } from '../core/campaign.ts';
import type { BounceReportStore } from '../core/bounce-reports.ts';
import { isOneAddress } from '../core/brands.ts';
import { DomainError } from '../core/errors.ts';
import { evaluate } from '../core/evaluate.ts';
import { requireFutureStart, scheduledLater } from '../core/campaign-schedule.ts';
import { allPurposes, furtherPart } from '../core/message-purposes.ts';
import type { AudienceStore, CatalogueStore } from '../core/ports.ts';
import type { Instant } from '../core/records.ts';
import type { DecisionSettings } from '../core/settings.ts';
import type { SendingSetup } from '../core/sending-readiness.ts';
import type { Purpose } from '../core/vocabulary.ts';
import { checksRecentSends, describeRecentSend, recentSince, unacknowledged, type RecentCampaignStore, type RecentSend } from '../core/recent-campaigns.ts';
import type { SegmentStore } from '../core/segments/ports.ts';
import { requireKnownFilter, resolveAudienceQuery } from './audience.ts';
import { requireTemplateToSchedule } from './campaign-schedule.ts';
import { campaignPurposes, campaignTemplate, productNameOf, requireFilled, RESERVED_LINKS } from './campaign-message.ts';
import { requireDeliverable } from './sending-readiness.ts';

export interface CampaignDeps {
  campaigns: CampaignStore;
  audience: AudienceStore;
  catalogue: CatalogueStore;
  templates: TemplateStore;
  settings: DecisionSettings;
  /** Brands and whether mail would arrive (a marketing e-mail launch is refused when not). */
  sending: SendingSetup;
  /** Earlier campaigns that sent the same offer to the same people (read when a launch asks: `LaunchInput.recent`). */
  recentCampaigns?: RecentCampaignStore;
  /** Where a filter names a segment: checked to exist and to have been computed. */
  segments?: Pick<SegmentStore, 'get'>;
  now: () => Instant;
}

/** A new campaign, with the sender's permission to send from an unaligned domain (who gives it; the time is the creation's). */
export type CreateCampaignInput = Omit<NewCampaign, 'unalignedFrom'> & { allowUnalignedFrom?: { reason: string; by: string } | null };

/**
 * Creates a draft. Refused (nothing written) when the name is empty, the product or brand unknown, a
 * link or value malformed, the start time past, or the template cannot be sent by this campaign:
 * missing, invalid, a service template for marketing, or using a link, value or product the campaign
 * does not supply (TEMPLATE_INVALID naming it, e.g. field `links.article1`).
 */
export async function createCampaign(deps: Pick<CampaignDeps, 'campaigns' | 'catalogue' | 'templates' | 'sending' | 'now' | 'segments'>, input: CreateCampaignInput): Promise<Campaign> {
  if (input.name.trim() === '') throw new DomainError('VALIDATION_FAILED', 'a campaign needs a name', { field: 'name' });
  if (input.sku !== null && (await deps.catalogue.getProduct(input.sku)) === null) {
    throw new DomainError('UNKNOWN_PRODUCT', `no product with sku ${input.sku}`, { field: 'product' });
  }
  await requireKnownFilter(deps, input.filter);
  for (const id of input.filter.excludeRecipientsOf ?? []) {
    if ((await deps.campaigns.get(id)) === null) throw new DomainError('NOT_FOUND', `no campaign ${id} to leave the recipients of out`, { field: 'exclude-recipients-of' });
  }
  const content = { vars: input.vars ?? {}, links: input.links ?? {} };
  requireValidContent(content);
  if (input.from !== undefined && input.from !== null) requireValidSender(input.from);
  if (input.brand !== undefined && input.brand !== null && !deps.sending.brands.has(input.brand)) {
    throw new DomainError('VALIDATION_FAILED', `no brand "${input.brand}"; configured: ${[...deps.sending.brands.keys()].join(', ')} (LUPA_BRANDS_FILE)`, { field: 'brand' });
  }
  const override = input.allowUnalignedFrom ?? null;
  if (override !== null) requireOverrideReason(override.reason, 'allow-unaligned-from');
  const now = deps.now();
  if (input.sendAt !== undefined && input.sendAt !== null) {
    requireFutureStart(input.sendAt, now, 'send-at');
    requireTemplateToSchedule(input.templateId);
  }
  if (input.templateId !== null) {
    const template = await campaignTemplate(deps, input);
    requireFilled(template, { ...content, sku: input.sku }, await productNameOf(deps, input));
  }
  const { allowUnalignedFrom: _given, ...campaign } = input;
  return deps.campaigns.create({ ...campaign, ...content, unalignedFrom: override === null ? null : { ...override, reason: override.reason.trim(), at: now } }, now);
}

/** Why a sender may send from an unaligned domain: one line a person wrote, kept with the campaign. */
function requireOverrideReason(reason: string, field: string): void {
  if (reason.trim().length < 3 || reason.length > 500 || /[\u0000-\u001f\u007f]/.test(reason)) {
    throw new DomainError('VALIDATION_FAILED', 'give the reason for sending from an unaligned domain: one line of 3 to 500 characters (e.g. "the relay signs for example.fi")', { field });
  }
}

/**
 * Records, on a campaign not launched yet, the permission to send from a domain its signature does
 * not align with (who gave it, why, when): the launch then goes ahead and the report shows it.
 */
export async function allowUnalignedFrom(deps: Pick<CampaignDeps, 'campaigns' | 'now'>, input: { campaignId: number; reason: string; by: string }): Promise<Campaign> {
  requireOverrideReason(input.reason, 'reason');
  const campaign = await deps.campaigns.get(input.campaignId);
  if (campaign === null) throw new DomainError('NOT_FOUND', `no campaign ${input.campaignId}`, { field: 'campaign' });
  if (!(await deps.campaigns.allowUnalignedFrom(campaign.id, { reason: input.reason.trim(), by: input.by, at: deps.now() }))) {
    throw new DomainError('CAMPAIGN_STATE', `campaign ${campaign.id} is ${campaign.status}; only a campaign not launched yet can be given this permission`, { field: 'campaign' });
  }
  return (await deps.campaigns.get(campaign.id)) ?? campaign;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/**
 * The sender goes into the From header: an address that is one address (RFC 5322 addr-spec, checked
 * as every stored address is) and a display name without line breaks or other control characters,
 * so no value can add a header or name a second sender.
 */
function requireValidSender(from: { name: string; address: string }): void {
  const control = /[\u0000-\u001f\u007f]/;
  if (!isOneAddress(from.address)) {
    throw new DomainError('VALIDATION_FAILED', 'the sender address must be one e-mail address (e.g. uutiset@example.fi)', { field: 'from-address' });
  }
  if (control.test(from.name) || from.name.trim() === '' || from.name.length > 100) {
    throw new DomainError('VALIDATION_FAILED', 'the sender name must be one line of at most 100 characters', { field: 'from-name' });
  }
}

/** Names a template can read (`links.offer`, `vars.discount`), absolute http(s) URLs, plain values. */
function requireValidContent(content: { vars: Record<string, unknown>; links: Record<string, unknown> }): void {
  for (const [name, url] of Object.entries(content.links)) {
    if (!NAME.test(name)) throw new DomainError('VALIDATION_FAILED', `link name "${name}" must be letters, digits and _ (it is read as links.NAME)`, { field: `links.${name}` });
    if ((RESERVED_LINKS as readonly string[]).includes(name)) throw new DomainError('VALIDATION_FAILED', `links.${name} is made by Lupa for every recipient and cannot be set`, { field: `links.${name}` });
    if (typeof url !== 'string' || !isHttpUrl(url)) throw new DomainError('VALIDATION_FAILED', `links.${name} must be an absolute http:// or https:// URL`, { field: `links.${name}` });
  }
  for (const [name, value] of Object.entries(content.vars)) {
    if (!NAME.test(name)) throw new DomainError('VALIDATION_FAILED', `value name "${name}" must be letters, digits and _ (it is read as vars.NAME)`, { field: `vars.${name}` });
    const ok = typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value)) || (typeof value === 'string' && value.length <= 2000);
    if (!ok) throw new DomainError('VALIDATION_FAILED', `vars.${name} must be text (at most 2,000 characters), a number or true/false`, { field: `vars.${name}` });
  }
}

function isHttpUrl(value: string): boolean {
  if (value.length > 2000 || /[\s<>"]/.test(value)) return false;
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname !== '';
  } catch {
    return false;
  }
}

export interface LaunchResult {
  campaign: Campaign;
  deliveries: number;
  counts: DeliveryCounts;
}

export interface LaunchInput {
  campaignId: number;
  /** Launch a draft scheduled for later now, rather than refuse it. */
  ignoreSchedule?: boolean;
  /** A worker's launch of a due campaign: refused when the draft is no longer scheduled (the schedule was cleared). */
  onlyIfDue?: boolean;
  /**
   * A launch by hand: refused with RECENT_DUPLICATE while a campaign launched within `days` days sent
   * the same template or product to people this one selects, unless its id is in `despite`
   * (`days` 0: no check). A worker's launch of a scheduled draft does not ask: it was named at create.
   */
  recent?: { days: number; despite: readonly number[] };
}

/**
 * Launches a draft: resolves its audience as of now and writes every delivery. Of two launches of
 * one campaign that overlap (two workers finding it due), exactly one succeeds; the other gets
 * CAMPAIGN_STATE, and nothing is written twice.
 */
export async function launchCampaign(deps: CampaignDeps, input: LaunchInput): Promise<LaunchResult> {
  const campaign = await deps.campaigns.get(input.campaignId);
  if (campaign === null) throw new DomainError('NOT_FOUND', `no campaign ${input.campaignId}`, { field: 'campaign' });
  if (campaign.status !== 'draft') {
    throw new DomainError('CAMPAIGN_STATE', `campaign ${campaign.id} is ${campaign.status}; only a draft can be launched`, { field: 'campaign' });
  }
  const at = deps.now();
  const later = scheduledLater(campaign, at);
  if (later !== null && input.ignoreSchedule !== true) {
    throw new DomainError('CAMPAIGN_STATE', `campaign ${campaign.id} is scheduled to start at ${later}; launch it now explicitly (--now) or change the schedule`, { field: 'campaign' });
  }
  if (input.onlyIfDue === true && campaign.sendAt === null) {
    throw new DomainError('CAMPAIGN_STATE', `campaign ${campaign.id} is no longer scheduled`, { field: 'campaign' });
  }
  // What the message carries decides what it must be allowed for (rule 12): a partner's ad, a
  // personalised block, promotion in a service campaign.
  // A message is sent only as its template says: a campaign without one, or with one it cannot fill,
  // is refused here rather than left running with nothing it can send.
  const template = await campaignTemplate(deps, campaign);
  requireFilled(template, campaign, await productNameOf(deps, campaign));
  const purposes = campaignPurposes(campaign, template);
  // Mail that would not arrive (an unsubscribe link nobody can reach, half a DKIM setup, a sender
  // domain DMARC cannot align) is not sent at all: refused here, before anything is written.
  requireDeliverable(deps.sending, campaign, purposes.primary);
  if (input.recent !== undefined) await requireNotSentRecently(deps, campaign, input.recent, at);
  const query = await resolveAudienceQuery(deps, { purpose: purposes.primary, channel: campaign.channel, sku: campaign.sku, at, filter: campaign.filter });
  const further = await Promise.all(purposes.further.map((purpose) => narrowingFor(deps, campaign, purpose, at)));
  // Deliveries of a draft mean an earlier launch wrote them and stopped before marking the campaign
  // running (a crash), or another launch is just finishing: complete it rather than decide again.
  const existing = total(await deps.campaigns.deliveryCounts(campaign.id));
  let deliveries = existing;
  if (existing === 0) {
    try {
      deliveries = await deps.audience.materialise(query, {
        campaignId: campaign.id,
        createdAt: at,
        verdictOf: (facts) => launchVerdict(evaluate({ purpose: query.purpose, channel: query.channel, hasProduct: query.productCategory !== null }, facts)),
        further,
        // One marketing message per address; service messages stay per customer (rule 12).
        onePerAddress: purposes.primary !== 'service',
      });
    } catch (err) {
      // Two launches at once: one statement wins (one delivery per campaign and customer), the other lands here.
      if (total(await deps.campaigns.deliveryCounts(campaign.id)) > 0) throw launchedAlready(campaign.id);
      throw err;
    }
  }
  // The campaign's decision time is the one its deliveries were decided at, also when this call
  // completes another's launch.
  const asOf = existing === 0 ? at : ((await deps.campaigns.decidedAt(campaign.id)) ?? at);
  // Only the call that moves the draft to running has launched it: another may have got there first.
  if (!(await deps.campaigns.markLaunched(campaign.id, at, asOf, allPurposes(purposes)))) throw launchedAlready(campaign.id);
  const launched = (await deps.campaigns.get(campaign.id)) ?? campaign;
  return { campaign: launched, deliveries, counts: await deps.campaigns.deliveryCounts(campaign.id) };
}

/**
 * The earlier campaigns (launched within `days` days) that sent this campaign's template or product to
 * people it selects, newest first; none for a service campaign or when `days` is 0. Set-based: one
 * statement over the earlier campaigns' deliveries.
 */
export async function recentSendsOf(deps: { recentCampaigns: RecentCampaignStore }, campaign: Pick<Campaign, 'id' | 'purpose' | 'templateId' | 'sku' | 'filter'>, days: number, at: Instant): Promise<RecentSend[]> {
  if (days === 0 || !checksRecentSends(campaign)) return [];
  return deps.recentCampaigns.recentSends({ exceptId: campaign.id, templateId: campaign.templateId, sku: campaign.sku, since: recentSince(at, days), filter: campaign.filter, at });
}

async function requireNotSentRecently(deps: CampaignDeps, campaign: Campaign, recent: NonNullable<LaunchInput['recent']>, at: Instant): Promise<void> {
  if (deps.recentCampaigns === undefined) throw new Error('a launch by hand needs the recent-campaign store');
  const open = unacknowledged(await recentSendsOf({ recentCampaigns: deps.recentCampaigns }, campaign, recent.days, at), recent.despite);
  if (open.length === 0) return;
  const ids = open.map((r) => r.campaignId).join(',');
  throw new DomainError(
    'RECENT_DUPLICATE',
    `campaign ${campaign.id} would send the same offer again: ${open.map(describeRecentSend).join('; ')}. ` +
      `To send it anyway, launch naming them (--despite-recent ${ids}; API: despiteRecent); to leave those people out, create it with --exclude-recipients-of ${ids} (API: filter.excludeRecipientsOf)`,
    { field: 'campaign', details: { recent: open } },
  );
}

/** A further purpose's question over the campaign's audience; its reasons are qualified with the purpose. */
async function narrowingFor(deps: CampaignDeps, campaign: Campaign, purpose: Purpose, at: Instant): Promise<LaunchNarrowing> {
  // Soft opt-in is the campaign purpose's matter; the further purposes rest on consent or legitimate interest.
  const query = await resolveAudienceQuery(deps, { purpose, channel: campaign.channel, sku: null, at, filter: campaign.filter });
  return { query, verdictOf: (facts) => launchVerdict(furtherPart(purpose, evaluate({ purpose, channel: query.channel, hasProduct: false }, facts))) };
}

function launchVerdict(verdict: { allowed: boolean; basis: string | null; reasons: readonly string[] }): LaunchVerdict {
  return verdict.allowed ? { state: 'queued', basis: verdict.basis, reasons: [...verdict.reasons] } : { state: 'skipped', basis: null, reasons: [...verdict.reasons] };
}

function launchedAlready(id: number): DomainError {
  return new DomainError('CAMPAIGN_STATE', `campaign ${id} was launched already`, { field: 'campaign' });
}

function total(counts: DeliveryCounts): number {
  return Object.values(counts.byState).reduce((sum, n) => sum + (n ?? 0), 0);
}

const TRANSITIONS: Record<CampaignStatus, readonly CampaignStatus[]> = {
  draft: ['cancelled'],
  running: ['paused', 'cancelled'],
  paused: ['running', 'cancelled'],
  cancelled: [],
  done: [],
};

/**
 * Pause, resume or cancel; workers see it before their next batch. Resuming a scheduled draft that
 * was held at its start (never launched) makes it a draft again, due at once: a worker launches it
 * in its next round, checking again, or `campaign launch` does now. Returns the status it now has.
 */
export async function setCampaignStatus(deps: { campaigns: CampaignStore; deliveries: DeliveryStore }, input: { campaignId: number; status: CampaignStatus }): Promise<CampaignStatus> {
  const campaign = await deps.campaigns.get(input.campaignId);
  if (campaign === null) throw new DomainError('NOT_FOUND', `no campaign ${input.campaignId}`, { field: 'campaign' });
  if (campaign.status === 'paused' && campaign.launchedAt === null && input.status === 'running') {
    if (await deps.campaigns.releaseHeld(campaign.id)) return 'draft';
  }
  if (!TRANSITIONS[campaign.status].includes(input.status)) {
    throw new DomainError('CAMPAIGN_STATE', `campaign ${campaign.id} is ${campaign.status} and cannot become ${input.status}`, { field: 'campaign' });
  }
  await deps.deliveries.setStatus(campaign.id, input.status);
  return input.status;
}

/** A campaign's results: audience, skipped by reason, sent, delivered, bounces, complaints, unsubscribes, opens and clicks. */
export async function campaignResults(
  deps: { campaigns: CampaignStore; deliveries: DeliveryStore; tracking: TrackingStore; bounceReports: BounceReportStore },
  input: { campaignId: number },
): Promise<CampaignResults> {
  const campaign = await deps.campaigns.get(input.campaignId);
  if (campaign === null) throw new DomainError('NOT_FOUND', `no campaign ${input.campaignId}`, { field: 'campaign' });
  const [counts, outcomes, unsubscribed, tracking, senderRefusals] = await Promise.all([
    deps.campaigns.deliveryCounts(campaign.id),
    deps.deliveries.outcomeCounts(campaign.id),
    deps.deliveries.unsubscribes(campaign.id),
    deps.tracking.counts(campaign.id),
    deps.bounceReports.refusals(campaign.id),
  ]);
  const senderRefused = Object.values(senderRefusals).reduce((sum, n) => sum + n, 0);
  return {
    campaignId: campaign.id,
    purposes: campaign.purposes ?? [],
    audience: total(counts),
    skipped: counts.skippedBy,
    queued: counts.byState.queued ?? 0,
    sent: outcomes.sent,
    failed: counts.byState.failed ?? 0,
    delivered: Math.max(0, outcomes.sent - outcomes.hard - outcomes.soft - senderRefused),
    hardBounced: outcomes.hard,
    softBounced: outcomes.soft,
    retrying: outcomes.retrying,
    complaints: outcomes.complaints,
    senderRefused,
    senderRefusals,
    unsubscribed,
    opens: tracking.opens,
    clicks: tracking.clicks,
    links: tracking.links,
  };
}
