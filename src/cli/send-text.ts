/**
 * Why `lupa campaign send` sent nothing, in a sentence a marketer can act on: the campaign is not
 * launched (or waits for its start time), paused (and why), cancelled, or has nothing left because
 * its deliveries were handled already, mostly by a worker running beside it (`npm start` sends
 * launched campaigns by itself on SQLite; `lupa worker` on PostgreSQL).
 */
import type { Campaign, DeliveryCounts } from '../core/campaign.ts';

/** What one `send` did (the counts of this call). */
export interface SendOutcome {
  sent: number;
  skipped: number;
  failed: number;
  stoppedBecause: string;
  nextRetryAt?: string;
}

/**
 * The line to print after a send that handed off, skipped and failed nothing; null when it did
 * something, or when it stopped only for retries that are not due (the summary says when).
 * `counts`: the campaign's deliveries by state after the call.
 */
export function nothingSentReason(campaign: Pick<Campaign, 'id' | 'status' | 'statusReason' | 'launchedAt' | 'sendAt'>, counts: DeliveryCounts, outcome: SendOutcome): string | null {
  if (outcome.sent + outcome.skipped + outcome.failed > 0 || outcome.stoppedBecause === 'retries_pending') return null;
  const n = (state: keyof DeliveryCounts['byState']): number => counts.byState[state] ?? 0;
  const id = campaign.id;
  switch (campaign.status) {
    case 'draft':
      return campaign.sendAt === null
        ? `nothing to send: campaign ${id} is a draft, not launched yet (lupa campaign launch ${id})`
        : `nothing to send yet: campaign ${id} is scheduled for ${campaign.sendAt}; a running worker launches and sends it then (lupa worker, or npm start on SQLite)`;
    case 'paused':
      if (campaign.launchedAt === null) return `nothing to send: campaign ${id} was held at its start${campaign.statusReason === null ? '' : ` (${campaign.statusReason})`}; fix that, then lupa campaign resume ${id}`;
      return `nothing sent: campaign ${id} is paused${campaign.statusReason === null ? '' : ` by Lupa (${campaign.statusReason})`}, ${fmt(n('queued'))} deliveries wait; lupa campaign resume ${id} to send them`;
    case 'cancelled':
      return `nothing sent: campaign ${id} is cancelled; its ${fmt(n('queued'))} queued deliveries stay unsent`;
    default: {
      const handled = `${fmt(n('sent'))} sent, ${fmt(n('skipped'))} skipped, ${fmt(n('failed'))} failed`;
      if (n('claimed') > 0) {
        return (
          `nothing left for this worker: ${fmt(n('claimed'))} deliveries of campaign ${id} are claimed by another worker (${handled} so far): ` +
          'it is sending them now, or it stopped and they go back to the queue when its claim runs out (LUPA_CLAIM_LEASE_SECONDS); run send again then'
        );
      }
      return (
        `nothing left to send: every delivery of campaign ${id} was handled already (${handled})${campaign.status === 'done' ? ' and the campaign is done' : ''}, ` +
        `by a running worker (npm start sends launched campaigns by itself on SQLite; lupa worker on PostgreSQL) or an earlier send; lupa campaign status ${id} shows the results`
      );
    }
  }
}

function fmt(n: number): string {
  return n.toLocaleString('en-US');
}
