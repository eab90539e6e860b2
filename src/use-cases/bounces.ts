/**
 * What a mail system sends back (compliance.md §3), acted on only for the delivery the report is
 * bound to (see bounce-binding.ts) and only on that delivery's own address, never one quoted in
 * the report. The recipient's address at fault suppresses it at once; a temporary failure sends the
 * delivery again after a back-off and suppresses the address at the threshold; a complaint
 * suppresses and records a marketing opt-out in the ledger; a refusal caused by the sender is
 * counted for the campaign and suppresses nothing. A report bound to nothing is held for a person
 * and changes nothing. A campaign pauses itself at 0.3 % complaints or 5 % hard bounces.
 */
import { parseBounceSync, type BounceResult } from '../bounces/bounce-parser.ts';
import { normaliseEmail } from '../core/addresses.ts';
import type { BounceReportStore } from '../core/bounce-reports.ts';
import type { CampaignStore, DeliveryRecord, DeliveryStore } from '../core/campaign.ts';
import type { CustomerStore, LedgerStore, SuppressionStore } from '../core/ports.ts';
import type { CustomerId, Instant } from '../core/records.ts';
import { softBounceRetryAt, type SoftBounceRetryPolicy } from '../core/soft-bounce-retry.ts';
import type { TokenSigner } from '../security/signed-tokens.ts';
import { bindReport, type ReportEvidence } from './bounce-binding.ts';

export interface BounceDeps {
  deliveries: DeliveryStore;
  campaigns: CampaignStore;
  customers: CustomerStore;
  suppressions: SuppressionStore;
  ledger: LedgerStore;
  bounceReports: BounceReportStore;
  signer: TokenSigner;
  now: () => Instant;
  /** Temporary failures of one delivery after which the address is suppressed (default 3), and the back-off between. */
  softBounceRetry: SoftBounceRetryPolicy;
  /** Parses a raw report; the SMTP receiver parses in a worker thread (threaded-bounce-parser.ts). Default: in this thread. */
  parseReport?: (raw: Buffer) => Promise<BounceResult>;
}

export interface BounceReport extends ReportEvidence {
  class: 'hard' | 'soft' | 'complaint' | 'other';
  /** Whose side a failure is on; `sender`: counted for the campaign, the recipient untouched. */
  cause?: 'recipient' | 'temporary' | 'sender' | null;
  /** The failure's reason word (blocked, spamdetected, …), counted for sender-side refusals. */
  reason?: string | null;
  /** A delay warning: the relay is still retrying, so the message may yet arrive. */
  delayed?: boolean;
}

export interface BounceOutcome {
  deliveryId: number | null;
  /**
   * `counted`: a soft bounce below the limit; `refused`: a sender-side refusal, counted for the
   * campaign; `ignored`: nothing to do (no bound delivery, a soft bounce already counted, or a
   * complaint about a delivery already recorded as complained: docs/bounces.md).
   */
  action: 'suppressed' | 'counted' | 'opted_out' | 'refused' | 'ignored';
  pausedCampaign: number | null;
  /** When a soft-bounced delivery goes out again; null when it will not. */
  retryAt: Instant | null;
  /** The delivery's address that was acted on; null when none was. */
  address: string | null;
}

export const AUTO_PAUSE = { complaintRate: 0.003, hardBounceRate: 0.05 };

/** Bytes of a held report that are kept: enough for any report's text and the returned headers. */
export const HELD_MESSAGE_BYTES = 256 * 1024;

/** A report (provider webhook event, or a parsed message) acted on for the delivery it is bound to. */
export async function handleBounce(deps: BounceDeps, report: BounceReport): Promise<BounceOutcome> {
  const binding = await bindReport(deps, report);
  if (!('delivery' in binding)) return { deliveryId: null, action: 'ignored', pausedCampaign: null, retryAt: null, address: null };
  return actOn(deps, binding.delivery, report);
}

/** What became of a received message, as `lupa bounces receive` prints it. */
export interface ReceivedOutcome {
  action: 'suppressed' | 'retry' | 'complaint' | 'ignored' | 'held';
  delivery: number | null;
  address: string | null;
}

/**
 * A raw message received at the bounce domain (over SMTP, or from a file): parsed, bound, acted
 * on; held when bound to nothing. `envelopeTo`: the SMTP envelope recipients.
 */
export async function receiveReport(deps: BounceDeps, raw: Buffer, envelopeTo: readonly string[]): Promise<ReceivedOutcome> {
  const parsed = deps.parseReport === undefined ? parseBounceSync(raw) : await deps.parseReport(raw);
  const report: BounceReport = { class: parsed.class, cause: parsed.cause ?? null, reason: parsed.reason ?? null, delayed: parsed.delayed === true, envelopeTo, original: parsed.original };
  const binding = await bindReport(deps, report);
  if (!('delivery' in binding)) {
    const message = raw.subarray(0, HELD_MESSAGE_BYTES);
    await deps.bounceReports.hold({ receivedAt: deps.now(), sizeBytes: raw.length, reason: binding.held, message, truncated: message.length < raw.length });
    return { action: 'held', delivery: null, address: null };
  }
  const outcome = await actOn(deps, binding.delivery, report);
  const action = ({ suppressed: 'suppressed', counted: 'retry', opted_out: 'complaint', refused: 'ignored', ignored: 'ignored' } as const)[outcome.action];
  return { action, delivery: outcome.deliveryId, address: outcome.address };
}

async function actOn(deps: BounceDeps, delivery: DeliveryRecord, report: BounceReport): Promise<BounceOutcome> {
  const at = deps.now();
  const outcome: BounceOutcome = { deliveryId: delivery.id, action: 'ignored', pausedCampaign: null, retryAt: null, address: null };
  if (report.class === 'other') {
    if (report.cause === 'sender' && (await deps.bounceReports.recordRefusal(delivery.id, delivery.campaignId, report.reason ?? 'unknown', at))) outcome.action = 'refused';
    return outcome;
  }
  // A repeated complaint (a second feedback report, or the webhook as well) was acted on the first
  // time: the ledger gets one opt-out per complained delivery, not one per report.
  if (report.class === 'complaint' && delivery.bounce === 'complaint') return outcome;
  const customer = await deps.customers.getCustomer(delivery.customerId as CustomerId);
  // The address the delivery went to; for hand-offs recorded before it was kept, the customer's.
  const address = normaliseEmail(delivery.sentTo ?? customer?.emails[0] ?? '');
  if (address === null) return outcome;

  if (report.class === 'hard') {
    await deps.suppressions.add({ channel: 'email', address, reason: 'hard_bounce', at, validUntil: null, source: 'dsn' });
    await deps.deliveries.recordBounce(delivery.id, 'hard');
    outcome.action = 'suppressed';
  } else if (report.class === 'soft') {
    // While the relay still retries, sending again could deliver the message twice: its final report counts.
    if (report.delayed === true) return outcome;
    const policy = deps.softBounceRetry;
    const recorded = await deps.deliveries.recordSoftBounce(delivery.id, (n) => softBounceRetryAt(policy, at, n));
    if (recorded === null) return outcome;
    if (recorded.softBounces >= policy.limit) {
      await deps.suppressions.add({ channel: 'email', address, reason: 'hard_bounce', at, validUntil: null, source: 'soft_bounce_limit' });
      outcome.action = 'suppressed';
    } else {
      outcome.action = 'counted';
      outcome.retryAt = recorded.retryAt;
    }
  } else {
    await deps.suppressions.add({ channel: 'email', address, reason: 'complaint', at, validUntil: null, source: 'feedback_report' });
    if (customer !== null) {
      await deps.ledger.append([
        { kind: 'consent', customerId: customer.id, purpose: 'marketing', channel: 'email', value: 'withdrawn', at, source: 'complaint', noticeVersion: null, noticeLocale: null, evidenceRef: `delivery:${delivery.id}` },
      ]);
    }
    await deps.deliveries.recordBounce(delivery.id, 'complaint');
    outcome.action = 'opted_out';
  }
  outcome.address = address;
  outcome.pausedCampaign = await autoPause(deps, delivery.campaignId);
  return outcome;
}

/** Pauses a running campaign whose complaint or hard-bounce rate reached the limit; returns its id when it did. */
async function autoPause(deps: BounceDeps, campaignId: number): Promise<number | null> {
  const campaign = await deps.campaigns.get(campaignId);
  if (campaign?.status !== 'running') return null;
  const { sent, hard, complaints } = await deps.deliveries.outcomeCounts(campaignId);
  if (sent === 0) return null;
  const reason =
    complaints / sent >= AUTO_PAUSE.complaintRate
      ? `COMPLAINT_RATE: ${complaints} complaints for ${sent} sent reached ${AUTO_PAUSE.complaintRate * 100} %`
      : hard / sent >= AUTO_PAUSE.hardBounceRate
        ? `HARD_BOUNCE_RATE: ${hard} hard bounces for ${sent} sent reached ${AUTO_PAUSE.hardBounceRate * 100} %`
        : null;
  if (reason !== null && (await deps.deliveries.pauseRunning(campaignId, reason))) return campaignId;
  return null;
}
