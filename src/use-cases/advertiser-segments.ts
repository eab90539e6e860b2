/**
 * Audiences for advertisers [S28] as people manage them (CLI `lupa ads segments`,
 * `/v1/advertiser-segments`, the console's "For advertisers" screen): offer a segment under a name
 * advertisers see, withdraw it, hand advertisers a link to the catalogue (docs/sites-and-ads.md,
 * "Audiences for advertisers").
 */
import { advertiserView, type AdvertiserSegment, type AdvertiserSegmentStore, type AdvertiserView } from '../core/advertiser-segments.ts';
import { DomainError } from '../core/errors.ts';
import type { Instant } from '../core/records.ts';
import type { TokenSigner } from '../security/signed-tokens.ts';

export interface AdvertiserSegmentDeps {
  advertiserSegments: AdvertiserSegmentStore;
  now: () => Instant;
}

/** A catalogue link lives this many days unless asked otherwise; at most MAX_LINK_DAYS. */
export const DEFAULT_LINK_DAYS = 30;
export const MAX_LINK_DAYS = 365;

function text(value: unknown, field: string, max: number): string {
  if (typeof value !== 'string' || value.trim() === '' || value.trim().length > max) throw new DomainError('VALIDATION_FAILED', `${field} must be text of 1 to ${max} characters`, { field });
  return value.trim();
}

/**
 * Offers a segment to advertisers under `name` (1–100 characters) and `description` (1–500), or
 * changes how it is offered.
 * @throws VALIDATION_FAILED (name, description), NOT_FOUND (segmentId)
 */
export function offerSegment(deps: AdvertiserSegmentDeps, input: { segmentId: number; name: unknown; description: unknown }, by: string): Promise<AdvertiserSegment> {
  return deps.advertiserSegments.offer({ segmentId: input.segmentId, name: text(input.name, 'name', 100), description: text(input.description, 'description', 500), by, at: deps.now() });
}

/** @throws NOT_FOUND when the segment is not offered */
export async function withdrawSegment(deps: AdvertiserSegmentDeps, segmentId: number): Promise<void> {
  if (!(await deps.advertiserSegments.withdraw(segmentId))) throw new DomainError('NOT_FOUND', `segment ${segmentId} is not offered to advertisers`, { field: 'segmentId' });
}

/** What advertisers see: every offered segment's name, description and rounded size. */
export async function advertiserCatalogue(deps: Pick<AdvertiserSegmentDeps, 'advertiserSegments'>): Promise<AdvertiserView[]> {
  return (await deps.advertiserSegments.list()).map(advertiserView);
}

/**
 * The days a catalogue link is to live: DEFAULT_LINK_DAYS when not given.
 * @throws VALIDATION_FAILED (days) outside 1–MAX_LINK_DAYS
 */
export function linkDays(days: unknown): number {
  if (days === undefined || days === null) return DEFAULT_LINK_DAYS;
  if (typeof days !== 'number' || !Number.isInteger(days) || days < 1 || days > MAX_LINK_DAYS) throw new DomainError('VALIDATION_FAILED', `days must be a whole number from 1 to ${MAX_LINK_DAYS}`, { field: 'days' });
  return days;
}

/**
 * A signed link to the advertisers' catalogue page (`/a/{token}`), valid `days` days (see
 * linkDays); the expiry, in whole seconds since 1970, is the token's one signed field.
 * @throws VALIDATION_FAILED (days)
 */
export function catalogueLink(deps: { signer: TokenSigner; publicUrl: string; now: () => Instant }, days: unknown): { url: string; expiresAt: string } {
  const expires = Math.floor(Date.parse(deps.now()) / 1000) + linkDays(days) * 86_400;
  return { url: `${deps.publicUrl}/a/${deps.signer.sign('advertiser_catalogue', [expires])}`, expiresAt: new Date(expires * 1000).toISOString() };
}

/** Whether a catalogue token is one Lupa signed and has not expired. */
export function catalogueLinkValid(signer: TokenSigner, token: string, now: Instant): boolean {
  const fields = signer.verify('advertiser_catalogue', token);
  const expires = fields === null ? Number.NaN : Number(fields[0]);
  return Number.isFinite(expires) && expires * 1000 > Date.parse(now);
}
