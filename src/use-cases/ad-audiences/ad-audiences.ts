/**
 * Ad audiences as people manage them (CLI `lupa audiences`, `/v1/ad-audiences`, the console):
 * create one, list them, read one's syncs, and preview who rule 8 lets be uploaded. Who may be
 * uploaded is the set-based audience decision (use-cases/audience.ts) for purpose `ad_audience`.
 */
import { AD_AUDIENCE_CHANNEL, type AdPlatform } from '../../core/ad-audiences/identifiers.ts';
import type { AdAudience, AdAudienceStore, AdAudienceSync } from '../../core/ad-audiences/ports.ts';
import { DomainError } from '../../core/errors.ts';
import type { AudienceFilter } from '../../core/ports.ts';
import type { Instant } from '../../core/records.ts';
import type { BlockingReason } from '../../core/vocabulary.ts';
import { audienceCounts, requireKnownFilter, type AudienceDeps } from '../audience.ts';

export interface AdAudienceDeps extends AudienceDeps {
  adAudiences: AdAudienceStore;
  now: () => Instant;
}

const MAX_NAME = 100;

/** Who an ad audience's upload is about, as the audience decision takes it. */
export function adAudienceInput(filter: AudienceFilter, at: Instant) {
  return { purpose: 'ad_audience' as const, channel: AD_AUDIENCE_CHANNEL, sku: null, at, filter };
}

export interface AdAudiencePreview {
  /** Customers the filter selects. */
  evaluated: number;
  /** Customers rule 8 and the filter allow. */
  eligible: number;
  /** Customers excluded, by reason code; one excluded for two reasons counts under both. */
  blocked: Partial<Record<BlockingReason, number>>;
}

/** Who would be uploaded now: counts only, the same as `decide` for purpose `ad_audience` customer by customer. */
export async function previewAdAudience(deps: AudienceDeps & { now: () => Instant }, filter: AudienceFilter): Promise<AdAudiencePreview> {
  const counts = await audienceCounts(deps, adAudienceInput(filter, deps.now()));
  return { evaluated: counts.evaluated, eligible: counts.allowed, blocked: counts.blocked };
}

export interface NewAdAudienceInput {
  name: string;
  platform: AdPlatform;
  /** Meta's custom audience id, or Google's user list id: digits. */
  externalId: string;
  filter: AudienceFilter;
}

/** @throws VALIDATION_FAILED (name, externalId), NOT_FOUND (segment), UNKNOWN_PRODUCT, AD_AUDIENCE_EXISTS */
export async function createAdAudience(deps: Pick<AdAudienceDeps, 'adAudiences' | 'catalogue' | 'segments' | 'now'>, input: NewAdAudienceInput, by: string): Promise<AdAudience> {
  const name = input.name.trim();
  if (name === '' || name.length > MAX_NAME) throw new DomainError('VALIDATION_FAILED', `an ad audience needs a name of 1 to ${MAX_NAME} characters`, { field: 'name' });
  if (!/^\d{1,30}$/.test(input.externalId)) {
    throw new DomainError('VALIDATION_FAILED', `externalId must be the platform's audience id, digits only (Meta's custom audience id, Google's user list id)`, { field: 'externalId' });
  }
  // A segment need not be computed yet when the audience is made; the sync checks it then.
  await requireKnownFilter({ catalogue: deps.catalogue }, input.filter);
  if (input.filter.segment !== undefined && deps.segments !== undefined && (await deps.segments.get(input.filter.segment)) === null) {
    throw new DomainError('NOT_FOUND', `no segment ${input.filter.segment}`, { field: 'segment' });
  }
  return deps.adAudiences.create({ name, platform: input.platform, externalId: input.externalId, filter: input.filter, createdBy: by, at: deps.now() });
}

export async function requireAdAudience(deps: Pick<AdAudienceDeps, 'adAudiences'>, id: number): Promise<AdAudience> {
  const audience = await deps.adAudiences.get(id);
  if (audience === null) throw new DomainError('NOT_FOUND', `no ad audience ${id}`, { field: 'id' });
  return audience;
}

export interface AdAudienceStatus {
  audience: AdAudience;
  /** Newest first. */
  syncs: AdAudienceSync[];
}

/** One audience with its last `limit` syncs. @throws NOT_FOUND */
export async function adAudienceStatus(deps: Pick<AdAudienceDeps, 'adAudiences'>, id: number, limit = 20): Promise<AdAudienceStatus> {
  const audience = await requireAdAudience(deps, id);
  return { audience, syncs: await deps.adAudiences.syncs(id, limit) };
}
