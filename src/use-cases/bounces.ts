/**
 * What a mail system sends back (compliance.md §3): a permanent failure suppresses the address at
 * once; a temporary one sends the delivery again after a back-off, and suppresses the address at
 * the threshold; a complaint suppresses and records a marketing opt-out in the ledger. The return
 * path (VERP) names the delivery, so the campaign's rates are kept, and a campaign pauses itself at
 * 0.3 % complaints or 5 % hard bounces.
 */
import { normaliseEmail } from '../core/addresses.ts';
import type { CampaignStore, DeliveryStore } from '../core/campaign.ts';
import type { CustomerStore, LedgerStore, SuppressionStore } from '../core/ports.ts';
import type { CustomerId, Instant } from '../core/records.ts';
import { softBounceRetryAt, type SoftBounceRetryPolicy } from '../core/soft-bounce-retry.ts';
import type { TokenSigner } from '../security/signed-tokens.ts';
import { deliveryFromBounceAddress } from '../channels/email/verp.ts';

export interface BounceDeps {
  deliveries: DeliveryStore;
  campaigns: CampaignStore;
  customers: CustomerStore;
  suppressions: SuppressionStore;
  ledger: LedgerStore;
  signer: TokenSigner;
  now: () => Instant;
  /** Temporary failures of one delivery after which the address is suppressed (default 3), and the back-off between. */
  softBounceRetry: SoftBounceRetryPolicy;
}

export interface BounceReport {
  class: 'hard' | 'soft' | 'complaint' | 'other';
  recipient: string | null;
  /** The envelope recipients the report came to: our signed return paths. */
  envelopeTo: readonly string[];
  /** A delay warning: the relay is still retrying, so the message may yet arrive. */
  delayed?: boolean;
}

export interface BounceOutcome {
  deliveryId: number | null;
  /** `counted`: a soft bounce below the limit; `ignored`: nothing to do (also a soft bounce already counted for that hand-off). */
  action: 'suppressed' | 'counted' | 'opted_out' | 'ignored';
  pausedCampaign: number | null;
  /** When a soft-bounced delivery goes out again; null when it will not. */
  retryAt: Instant | null;
}

export const AUTO_PAUSE = { complaintRate: 0.003, hardBounceRate: 0.05 };

export async function handleBounce(deps: BounceDeps, report: BounceReport): Promise<BounceOutcome> {
  const deliveryId = report.envelopeTo.map((a) => deliveryFromBounceAddress(deps.signer, a)).find((id) => id !== null) ?? null;
  const delivery = deliveryId === null ? null : await deps.deliveries.find(deliveryId);
  const customer = delivery === null ? null : await deps.customers.getCustomer(delivery.customerId as CustomerId);
  const address = normaliseEmail(report.recipient ?? customer?.emails[0] ?? '');
  const at = deps.now();
  const outcome: BounceOutcome = { deliveryId: delivery?.id ?? null, action: 'ignored', pausedCampaign: null, retryAt: null };
  if (address === null || report.class === 'other') return outcome;

  if (report.class === 'hard') {
    await deps.suppressions.add({ channel: 'email', address, reason: 'hard_bounce', at, validUntil: null, source: 'dsn' });
    if (delivery !== null) await deps.deliveries.recordBounce(delivery.id, 'hard');
    outcome.action = 'suppressed';
  } else if (report.class === 'soft') {
    // Without a delivery there is no hand-off to count the failure against; and while the relay
    // still retries, sending again could deliver the message twice: its final report counts.
    if (delivery === null || report.delayed === true) return outcome;
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
        { kind: 'consent', customerId: customer.id, purpose: 'marketing', channel: 'email', value: 'withdrawn', at, source: 'complaint', noticeVersion: null, noticeLocale: null, evidenceRef: `delivery:${delivery?.id ?? ''}` },
      ]);
    }
    if (delivery !== null) await deps.deliveries.recordBounce(delivery.id, 'complaint');
    outcome.action = 'opted_out';
  }
  if (delivery !== null) outcome.pausedCampaign = await autoPause(deps, delivery.campaignId);
  return outcome;
}

/** Pauses a running campaign whose complaint or hard-bounce rate reached the limit; returns its id when it did. */
async function autoPause(deps: BounceDeps, campaignId: number): Promise<number | null> {
  const campaign = await deps.campaigns.get(campaignId);
  if (campaign?.status !== 'running') return null;
  const { sent, hard, complaints } = await deps.deliveries.outcomeCounts(campaignId);
  if (sent === 0) return null;
  if (complaints / sent >= AUTO_PAUSE.complaintRate || hard / sent >= AUTO_PAUSE.hardBounceRate) {
    await deps.deliveries.setStatus(campaignId, 'paused');
    return campaignId;
  }
  return null;
}
