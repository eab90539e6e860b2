/**
 * Ad audiences as stored: a named selection (purpose `ad_audience` plus an optional filter) bound to
 * one audience on one platform; the hashed identifiers last sent to it; and each sync's outcome.
 * Lupa keeps what it sent, never what matched (the platforms do not say, compliance.md §2 rule 8).
 */
import type { AudienceFilter } from '../ports.ts';
import type { CustomerId, Instant } from '../records.ts';
import type { BlockingReason } from '../vocabulary.ts';
import type { AdPlatform, IdentifierKind } from './identifiers.ts';

export interface AdAudience {
  id: number;
  name: string;
  platform: AdPlatform;
  /** The platform's audience: Meta's custom audience id, or Google's user list id. */
  externalId: string;
  /** Who besides rule 8: the same filter shape as a campaign's (a segment, attributes, orders). */
  filter: AudienceFilter;
  createdAt: Instant;
  createdBy: string;
  /** The last sync that succeeded, or null before the first. */
  lastSync: AdAudienceSync | null;
  /** Identifiers on the platform after the last successful sync (hashes, each counted once). */
  identifiers: number;
}

export interface NewAdAudience {
  name: string;
  platform: AdPlatform;
  externalId: string;
  filter: AudienceFilter;
  createdBy: string;
  at: Instant;
}

/** One hashed identifier: SHA-256 of the platform's normal form, 64 lowercase hex digits. */
export interface HashedIdentifier {
  kind: IdentifierKind;
  hash: string;
}

export interface AdAudienceSync {
  id: number;
  audienceId: number;
  startedAt: Instant;
  finishedAt: Instant;
  status: 'succeeded' | 'failed';
  /** Customers rule 8 and the filter allow, as of the sync. */
  eligible: number;
  /** Customers excluded, by reason; one excluded for two reasons counts under both. */
  blocked: Partial<Record<BlockingReason, number>>;
  /** Identifiers sent as additions and as removals. */
  added: number;
  removed: number;
  /** Why a failed sync failed (an error code, no personal data). */
  error: string | null;
}

export type SyncOutcome = Omit<AdAudienceSync, 'id' | 'audienceId'>;

/** The contact data one page of allowed customers is hashed from. */
export interface CustomerContacts {
  customerId: CustomerId;
  emails: string[];
  /** Stored in E.164 already (core/addresses.ts). */
  phones: string[];
}

export interface AdAudienceStore {
  /** @throws DomainError AD_AUDIENCE_EXISTS when the name is taken. */
  create(audience: NewAdAudience): Promise<AdAudience>;
  get(id: number): Promise<AdAudience | null>;
  list(): Promise<AdAudience[]>;
  /** Every identifier last sent to the audience and not since removed, streamed. */
  sentIdentifiers(audienceId: number): AsyncIterable<HashedIdentifier>;
  /** The contacts of these customers, one set-based read. */
  contactsOf(customerIds: readonly CustomerId[]): Promise<CustomerContacts[]>;
  /**
   * Customers who ever withdrew an `ad_audience` consent or objected (any scope), in id order: the
   * only ones who can have refused an ad audience; whether they still do is the decision's to say.
   */
  refusalCandidates(): Promise<CustomerId[]>;
  /**
   * A successful sync: the additions recorded as sent at `outcome.finishedAt`, the removals
   * forgotten, and the outcome recorded, in one transaction.
   */
  recordSuccess(audienceId: number, added: readonly HashedIdentifier[], removed: readonly HashedIdentifier[], outcome: SyncOutcome): Promise<AdAudienceSync>;
  /** A failed sync: only its outcome; what was sent stays as after the last success. */
  recordFailure(audienceId: number, outcome: SyncOutcome): Promise<AdAudienceSync>;
  /**
   * Claims the audience's sync for `claim` at `at`: true for the one caller that wins, false while
   * another claim made or renewed after `staleBefore` holds it (one conditional UPDATE, so two
   * processes cannot both win). A claim older than that is a crashed process's and is taken over.
   */
  claimSync(audienceId: number, claim: string, at: Instant, staleBefore: Instant): Promise<boolean>;
  /** Renews a claim still held (its time moved to `at`); false when it was lost. */
  renewSyncClaim(audienceId: number, claim: string, at: Instant): Promise<boolean>;
  /** Gives a claim back, if still held. */
  releaseSync(audienceId: number, claim: string): Promise<void>;
  /** The audience's syncs, newest first. */
  syncs(audienceId: number, limit: number): Promise<AdAudienceSync[]>;
}

/** One platform's upload of a difference. Implementations retry rate-limit answers themselves. */
export interface AdPlatformClient {
  readonly platform: AdPlatform;
  /** Sends the removals, then the additions. @throws DomainError AD_PLATFORM_UNAVAILABLE when the platform refuses or cannot be reached. */
  upload(externalId: string, change: { add: readonly HashedIdentifier[]; remove: readonly HashedIdentifier[] }): Promise<void>;
}
