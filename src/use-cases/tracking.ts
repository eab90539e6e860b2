/**
 * Open pixel and click redirect (compliance.md §2 rule 9, §3). The links carry a signed ticket:
 * the delivery, the campaign, when it was sent and whether per-person tracking was allowed for
 * this recipient when the message was made, so a hit needs no lookup of the person. A click goes
 * only to the URL stored for that link; a bad token gets nothing.
 */
import type { CampaignLinkStore, TrackingStore } from '../core/campaign.ts';
import { classifyHit, type TrafficSettings } from '../core/machine-traffic.ts';
import type { Instant } from '../core/records.ts';
import type { TokenSigner } from '../security/signed-tokens.ts';

export interface TrackingTicket {
  deliveryId: number;
  campaignId: number;
  /** Whether this recipient may be tracked per person (rule 9: `site_ads` or tracking consent, or the `always` setting). */
  perPerson: boolean;
  /** When the message was sent, in whole seconds since the epoch. */
  sentAtSeconds: number;
}

export interface TrackingDeps {
  signer: TokenSigner;
  tracking: TrackingStore;
  links: CampaignLinkStore;
  traffic: TrafficSettings;
}

export function openPixelUrl(signer: TokenSigner, publicUrl: string, t: TrackingTicket): string {
  return `${publicUrl}/o/${signer.sign('open', ticketFields(t))}.gif`;
}

export function clickUrl(signer: TokenSigner, publicUrl: string, t: TrackingTicket, linkIdx: number): string {
  return `${publicUrl}/c/${signer.sign('click', [...ticketFields(t), linkIdx])}`;
}

/** Records an open; false when the token is not one of ours. */
export function recordOpen(deps: TrackingDeps, token: string, userAgent: string | undefined, nowMs: number): boolean {
  const fields = deps.signer.verify('open', token);
  const ticket = fields === null ? null : ticketFrom(fields);
  if (ticket === null) return false;
  deps.tracking.record(event(deps, ticket, 'open', null, userAgent, nowMs));
  return true;
}

/** Records a click and returns where it goes, or null (no redirect at all) for a bad token or link. */
export async function recordClick(deps: TrackingDeps, token: string, userAgent: string | undefined, nowMs: number): Promise<string | null> {
  const fields = deps.signer.verify('click', token);
  const ticket = fields === null ? null : ticketFrom(fields);
  const linkIdx = Number(fields?.[4]);
  if (ticket === null || !Number.isInteger(linkIdx) || linkIdx < 0) return null;
  const url = await deps.links.url(ticket.campaignId, linkIdx);
  if (url === null) return null;
  deps.tracking.record(event(deps, ticket, 'click', linkIdx, userAgent, nowMs));
  return url;
}

function event(deps: TrackingDeps, t: TrackingTicket, kind: 'open' | 'click', linkIdx: number | null, userAgent: string | undefined, nowMs: number) {
  const verdict = classifyHit(userAgent, nowMs / 1000 - t.sentAtSeconds, deps.traffic);
  return {
    campaignId: t.campaignId,
    // Without per-person permission the hit counts for the campaign only.
    deliveryId: t.perPerson ? t.deliveryId : null,
    kind,
    linkIdx,
    at: new Date(nowMs).toISOString() as Instant,
    machine: verdict.machine,
    machineReason: verdict.machine ? verdict.reason : null,
  };
}

function ticketFields(t: TrackingTicket): (string | number)[] {
  return [t.deliveryId, t.campaignId, t.perPerson ? 1 : 0, t.sentAtSeconds];
}

function ticketFrom(fields: string[]): TrackingTicket | null {
  const [deliveryId, campaignId, perPerson, sentAtSeconds] = fields.map(Number);
  if (![deliveryId, campaignId, sentAtSeconds].every((n) => Number.isSafeInteger(n))) return null;
  return { deliveryId: deliveryId ?? 0, campaignId: campaignId ?? 0, perPerson: perPerson === 1, sentAtSeconds: sentAtSeconds ?? 0 };
}
