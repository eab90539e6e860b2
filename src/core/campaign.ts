/** Campaigns and their deliveries in the core's words. */
import type { RatedChannel } from './channel-rate.ts';
import type { EligibilityFacts } from './eligibility-facts.ts';
import type { UnalignedFromOverride } from './sending-readiness.ts';
import type { AudienceFilter, AudienceQuery } from './ports.ts';
import type { Instant, Sku } from './records.ts';
import type { Channel, Purpose } from './vocabulary.ts';

/** A campaign's statuses: a public contract (API, CLI, stored rows), add, never rename. */
export const CAMPAIGN_STATUSES = ['draft', 'running', 'paused', 'cancelled', 'done'] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];
/** A delivery's states: a public contract (API, CLI, stored rows), add, never rename. */
export const DELIVERY_STATES = ['queued', 'skipped', 'claimed', 'sent', 'failed', 'cancelled'] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

export interface Campaign {
  id: number;
  name: string;
  purpose: Purpose;
  channel: Channel;
  sku: Sku | null;
  filter: AudienceFilter;
  templateId: string | null;
  /** Sender shown to recipients; null: the brand's (core/brands.ts). */
  from: { name: string; address: string } | null;
  /** The brand it sends as: its From when it has none of its own, and its DKIM key; null: `default`. */
  brand: string | null;
  /** A recorded permission to send from a domain that does not align with the signature (null: none; such a launch is refused). */
  unalignedFrom: UnalignedFromOverride | null;
  /** Throttle: at most this many messages a second (null: as fast as the relay takes them). */
  perSecond: number | null;
  /** When a worker is to launch this draft (null: only when someone launches it). */
  sendAt: Instant | null;
  /** Values every message fills its template's `vars.*` with (docs/templates.md). */
  vars: CampaignVars;
  /** URLs every message fills its template's `links.*` with (absolute http(s)); never `unsubscribe` or `preferences`, which Lupa makes per recipient. */
  links: Record<string, string>;
  status: CampaignStatus;
  /** Why Lupa paused a running campaign itself (`CODE: message`), null otherwise; cleared when it is resumed. */
  statusReason: string | null;
  createdAt: Instant;
  launchedAt: Instant | null;
  /** The decision time used at launch. */
  asOf: Instant | null;
  /**
   * What its message was decided for at launch, the primary purpose first (message-purposes.ts):
   * the content can make it more than `purpose`. Null before the launch.
   */
  purposes: Purpose[] | null;
}

export type NewCampaign = Pick<Campaign, 'name' | 'purpose' | 'channel' | 'sku' | 'filter' | 'templateId'> &
  Partial<Pick<Campaign, 'from' | 'perSecond' | 'sendAt' | 'vars' | 'links' | 'brand' | 'unalignedFrom'>>;

/** A campaign's template values: text, numbers, true/false, the same for every recipient. */
export type CampaignVars = Record<string, string | number | boolean>;

/** The decision a launch records on a delivery row. */
export interface LaunchVerdict {
  state: 'queued' | 'skipped';
  basis: string | null;
  /** Reason codes, in rule order. */
  reasons: string[];
}

/** A delivery a worker has claimed: its lease protects it from other workers until it ends. */
export interface ClaimedDelivery {
  id: number;
  customerId: string;
  /** Times the delivery was claimed (a worker that died and a takeover make two). */
  attempts: number;
  /**
   * Which hand-off this is: 1 for the first, 2 for the retry after the first soft bounce, and so on.
   * A claim taken over after a crash keeps the number, so the message keeps its Message-ID.
   */
  sendAttempt: number;
}

/** A delivery as a report about it needs it. */
export interface DeliveryRecord {
  id: number;
  campaignId: number;
  customerId: string;
  /** When it was last handed off; null before the first hand-off. */
  sentAt: Instant | null;
  /** The Message-ID of the latest hand-off, exactly as handed off. */
  messageId: string | null;
  /** The address the latest hand-off went to (null for hand-offs recorded before it was kept). */
  sentTo: string | null;
  /** What came back so far: the first hard bounce or complaint stays; null when nothing did. */
  bounce: 'soft' | 'hard' | 'complaint' | null;
}

/** What a soft bounce did to its delivery. */
export interface SoftBounceRecord {
  /** Soft bounces of the delivery so far, this one included. */
  softBounces: number;
  /** When the delivery is due to be sent again, or null: it ends here (the limit, or a cancelled campaign). */
  retryAt: Instant | null;
}

export interface DeliveryStore {
  /**
   * Claims up to `limit` queued deliveries of the campaign (or ones whose lease ran out: their worker
   * died) for `workerId` until `leaseUntil`. Several workers never claim the same row.
   */
  claim(campaignId: number, workerId: string, limit: number, now: Instant, leaseUntil: Instant): Promise<ClaimedDelivery[]>;
  /**
   * Running campaigns a worker has something to do for at `now`: deliveries to claim (due retries
   * and expired claims included), or none open at all (the campaign is to be marked done).
   */
  workable(now: Instant): Promise<number[]>;
  /** Gives claims the worker took but will not hand off back to the queue, as if never claimed. */
  release(ids: readonly number[], workerId: string): Promise<void>;
  /** Records the hand-off (its Message-ID, and the address it went to); only the worker holding the claim can. */
  markSent(id: number, workerId: string, at: Instant, messageId: string, sentTo: string): Promise<void>;
  /** The re-check before hand-off refused it: skipped with the reasons of that moment. */
  markSkipped(id: number, workerId: string, reasons: readonly string[]): Promise<void>;
  markFailed(id: number, workerId: string, error: string): Promise<void>;
  /** Sets the status (by hand: pause, resume, cancel); clears any reason Lupa had paused it for. */
  setStatus(campaignId: number, status: CampaignStatus): Promise<void>;
  /** Pauses a running campaign that cannot go on, with the reason (`CODE: message`); false when it was not running. */
  pauseRunning(campaignId: number, reason: string): Promise<boolean>;
  /** The delivery's campaign, customer and latest hand-off, for a report bound to it. */
  find(id: number): Promise<DeliveryRecord | null>;
  /** Records a permanent failure or a complaint: final for the delivery, and a retry it was waiting for is dropped. */
  recordBounce(id: number, kind: 'hard' | 'complaint'): Promise<void>;
  /**
   * Records a temporary failure of the delivery's latest hand-off and, when `retryAt` gives a time
   * for this count of soft bounces, puts it back in the queue until then (a campaign that was done
   * runs again; a cancelled one gets no retry). Null when the report was not counted: the latest
   * hand-off has already had its answer (a repeated report), or there was no hand-off to answer.
   */
  recordSoftBounce(id: number, retryAt: (softBounces: number) => Instant | null): Promise<SoftBounceRecord | null>;
  /** Marks a running campaign done when no delivery is queued (retries included) or claimed; true when it did. */
  completeIfDrained(campaignId: number): Promise<boolean>;
  /** The earliest time a queued retry of the campaign is due, or null when none waits. */
  nextRetryAt(campaignId: number): Promise<Instant | null>;
  /** Outcomes of a campaign's deliveries (see `CampaignResults` for what each counts). */
  outcomeCounts(campaignId: number): Promise<OutcomeCounts>;
  /** Unsubscribes recorded from this campaign's messages. */
  unsubscribes(campaignId: number): Promise<number>;
}

/**
 * Deliveries by what became of their hand-offs. A delivery counts once in each: `sent` once it was
 * handed off at least once; the bounce counts by the answer to its latest hand-off, so a soft bounce
 * whose retry went out unanswered counts as sent, not as soft-bounced.
 */
export interface OutcomeCounts {
  sent: number;
  hard: number;
  soft: number;
  complaints: number;
  /** Soft-bounced deliveries waiting for (or in) their retry; part of `soft`. */
  retrying: number;
}

/** Everything a campaign led to, for its results (issue: per campaign, over API and CLI). */
export interface CampaignResults {
  campaignId: number;
  /** What the message was decided for at launch, the primary purpose first (empty before the launch). */
  purposes: Purpose[];
  audience: number;
  skipped: Record<string, number>;
  queued: number;
  /** Deliveries handed off at least once. */
  sent: number;
  failed: number;
  /** Sent, and the latest hand-off was not bounced (a complaint counts as delivered: it arrived). */
  delivered: number;
  hardBounced: number;
  /** Sent, and the latest hand-off came back with a temporary failure (retrying, or ended at the limit). */
  softBounced: number;
  /** Of `softBounced`: waiting for a retry or being sent again now. */
  retrying: number;
  complaints: number;
  /** Sent, and refused for a cause on the sender's side (block list, reputation, content, authentication): not the recipient's fault, never suppressed. */
  senderRefused: number;
  /** `senderRefused` by reason (`blocked`, `spamdetected`, `authfailure`, …), for the operator to act on. */
  senderRefusals: Record<string, number>;
  unsubscribed: number;
  opens: TrackingCounts['opens'];
  clicks: TrackingCounts['clicks'];
  /** Clicks per link (see `TrackingCounts.links`). */
  links: TrackingCounts['links'];
}

/** Hand-offs per channel and one-second window, counted for every worker on the database (see channel-rate.ts). */
export interface ChannelRateStore {
  /**
   * Takes up to `wanted` of the `limit` hand-offs of `channel` in the window starting at `window`, in
   * one atomic step: workers taking at once never get more than `limit` together. Returns how many
   * it got (0 when the window is used up).
   */
  take(channel: RatedChannel, window: Instant, wanted: number, limit: number): Promise<number>;
  /** Deletes the counts of windows that started before `before`. */
  forget(before: Instant): Promise<void>;
}

export interface TemplateStore {
  save(id: string, definition: unknown, at: Instant): Promise<void>;
  /** The stored definition (validated when compiled), or null. */
  get(id: string): Promise<unknown>;
}

export interface DeliveryCounts {
  byState: Partial<Record<DeliveryState, number>>;
  /** Skipped deliveries by blocking reason (a delivery skipped for two reasons counts under both). */
  skippedBy: Record<string, number>;
}

/** A brand and From address that unfinished e-mail campaigns send as. */
export interface SenderInUse {
  /** Null: the default brand. */
  brand: string | null;
  /** Null: the brand's own address. */
  fromAddress: string | null;
  /** How many such campaigns there are. */
  campaigns: number;
  /** How many of them have no override for an unaligned From, and the lowest id of those (null when all have). */
  withoutOverride: number;
  exampleId: number | null;
}

export interface CampaignStore {
  create(input: NewCampaign, at: Instant): Promise<Campaign>;
  get(id: number): Promise<Campaign | null>;
  /** Moves a draft to running, recording what its message was decided for; false when it was not a draft (launched already, or cancelled). */
  markLaunched(id: number, at: Instant, asOf: Instant, purposes: readonly Purpose[]): Promise<boolean>;
  /** Sets or clears a draft's start time; false when it is not a draft (any more). */
  schedule(id: number, sendAt: Instant | null): Promise<boolean>;
  /** Drafts whose start time has come (at or before `now`), earliest first. */
  dueForLaunch(now: Instant, limit: number): Promise<number[]>;
  /**
   * Holds a scheduled draft that may not start (its mail would not arrive): paused, with the reason
   * (`CODE: message`), never launched. False when it is no scheduled draft (any more).
   */
  holdScheduled(id: number, reason: string): Promise<boolean>;
  /** A held draft back to a draft (its start time kept, so a worker launches it at once); false when it was not held. */
  releaseHeld(id: number): Promise<boolean>;
  /** Records a draft's permission to send from an unaligned domain; false when it is not a draft. */
  allowUnalignedFrom(id: number, override: UnalignedFromOverride): Promise<boolean>;
  /** Campaigns launched and not finished (running or paused) whose message is this template, by id. */
  sendingWithTemplate(templateId: string): Promise<{ id: number; name: string }[]>;
  /** The senders of e-mail campaigns not finished (draft, running, paused), by brand and From address, with the campaigns that have no override. */
  sendersInUse(): Promise<SenderInUse[]>;
  deliveryCounts(id: number): Promise<DeliveryCounts>;
  /** When the campaign's deliveries were decided (the launch's decision time), or null before a launch wrote any. */
  decidedAt(id: number): Promise<Instant | null>;
}

/** One tracking hit, as recorded: with its delivery only where per-person tracking is allowed. */
export interface TrackingEvent {
  campaignId: number;
  deliveryId: number | null;
  kind: 'open' | 'click';
  linkIdx: number | null;
  at: Instant;
  machine: boolean;
  machineReason: string | null;
}

export interface TrackingCounts {
  opens: { people: number; machines: number; uniquePeople: number };
  clicks: { people: number; machines: number; uniquePeople: number };
  /** Clicks per tracked link, in the order of the links in the message (`idx`), people and machines apart; only links clicked at least once. */
  links: LinkClicks[];
}

/** One tracked link's clicks: `url` is the stored target (null if the link was never stored). */
export interface LinkClicks {
  idx: number;
  url: string | null;
  people: number;
  machines: number;
  uniquePeople: number;
}

export interface TrackingStore {
  /** Takes the hit off the request path: it is written with others in a batch. */
  record(event: TrackingEvent): void;
  /** Writes what is buffered (also on close: a clean shutdown loses no hit). */
  flush(): Promise<void>;
  counts(campaignId: number): Promise<TrackingCounts>;
}

export interface CampaignLinkStore {
  setLinks(campaignId: number, urls: readonly string[]): Promise<void>;
  /** The stored URL of a campaign's link, or null. */
  url(campaignId: number, idx: number): Promise<string | null>;
}

export interface LaunchTarget {
  campaignId: number;
  createdAt: Instant;
  /** The verdict for every distinct combination of facts found in the audience. */
  verdictOf: (facts: EligibilityFacts) => LaunchVerdict;
  /**
   * Further purposes the message's content needs (compliance.md §2 rule 12), each with its own
   * audience question: in the same transaction, each narrows the deliveries as `appendPart`
   * (message-purposes.ts) joins a further purpose's verdict to the campaign purpose's.
   */
  further?: readonly LaunchNarrowing[];
  /**
   * One message per address (rule 12, marketing): of queued deliveries whose customers share the
   * channel address, all but the lowest customer id are skipped with `DUPLICATE_ADDRESS`.
   */
  onePerAddress?: boolean;
}

/** A further purpose's question over the same audience, and its verdict (reasons qualified) per facts. */
export interface LaunchNarrowing {
  query: AudienceQuery;
  verdictOf: (facts: EligibilityFacts) => LaunchVerdict;
}
