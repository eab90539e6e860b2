/**
 * One ad audience brought up to date on its platform (compliance.md §2 rule 8): who may be uploaded
 * now is the set-based audience decision for `ad_audience`; their identifiers are hashed page by
 * page and merged against what was sent last time (one hash join in memory, no per-customer query):
 * identifiers new since then are added, identifiers of everyone who withdrew, objected, left the
 * filter or was erased are removed. An identifier is never sent while any customer holding it
 * refuses (withdrew the consent or objected): two customer records with one e-mail address are
 * one mailbox on the platform, and one owner's objection outweighs the other's consent. Only after the platform accepted all of it is the new state
 * recorded; a failed sync records its failure and leaves the last successful state, so the next
 * sync sends the difference again.
 *
 * One sync of an audience runs at a time, whichever process starts it (the upkeep thread, the API,
 * the CLI, several servers on PostgreSQL): each merge reads the state the one before recorded, so
 * overlapping syncs would send the same difference twice, record it twice, and could let an older
 * sync's addition reach the platform after a newer sync's removal of a person who withdrew. A sync
 * claims its audience in the store first; another caller meanwhile gets AD_SYNC_RUNNING at once
 * (it does not wait: the running sync sends what it would have sent).
 */
import { randomUUID } from 'node:crypto';
import { IDENTIFIER_KINDS, type AdPlatform, type IdentifierKind } from '../../core/ad-audiences/identifiers.ts';
import type { AdAudience, AdAudienceSync, AdPlatformClient, HashedIdentifier, SyncOutcome } from '../../core/ad-audiences/ports.ts';
import { DomainError, isDomainError } from '../../core/errors.ts';
import type { CustomerId, Instant } from '../../core/records.ts';
import type { BlockingReason } from '../../core/vocabulary.ts';
import { allowedCustomers, audienceCounts, blockedCustomers } from '../audience.ts';
import { adAudienceInput, requireAdAudience, type AdAudienceDeps } from './ad-audiences.ts';
import { customerIdentifiers } from './hashed-identifiers.ts';

/** The platform clients configured here; a platform without settings is absent. */
export type AdPlatformClients = Partial<Record<AdPlatform, AdPlatformClient>>;

export interface SyncDeps extends AdAudienceDeps {
  platforms: AdPlatformClients;
}

/** How often a running sync renews its claim (milliseconds). */
export const SYNC_CLAIM_RENEW_MS = 60_000;
/**
 * A claim not renewed for this long (seconds) is a crashed process's, and the next sync takes it
 * over. Five missed renewals: a process busy for a while is not mistaken for a dead one.
 */
export const SYNC_CLAIM_STALE_SECONDS = 300;

/** Allowed customers whose contacts are read in one statement. */
const CONTACT_PAGE = 10_000;

/** State of one identifier during the merge: sent before and not (yet) seen now, or wanted now. */
const SENT_NOT_SEEN = 0;
const WANTED = 1;

export interface SyncDifference {
  eligible: number;
  add: HashedIdentifier[];
  remove: HashedIdentifier[];
}

/** The reasons that are a person's own refusal of the purpose (not a missing consent or address). */
const REFUSALS: ReadonlySet<BlockingReason> = new Set(['OBJECTED', 'PROFILING_OBJECTED', 'CONSENT_WITHDRAWN']);

/**
 * The hashed identifiers of every customer who refuses the audience's purpose now, wherever the
 * filter would put them: the candidates (anyone who ever withdrew or objected, from the ledger)
 * decided set-based in pages, their contacts hashed. Few customers refuse, so this stays small.
 */
export async function refusedIdentifiers(deps: AdAudienceDeps, platform: AdPlatform, at: SyncOutcome['startedAt']): Promise<Record<IdentifierKind, Set<string>>> {
  const refused: Record<IdentifierKind, Set<string>> = { email: new Set(), phone: new Set() };
  const candidates = await deps.adAudiences.refusalCandidates();
  for (let i = 0; i < candidates.length; i += CONTACT_PAGE) {
    const refusers: CustomerId[] = [];
    for await (const { customerId, reasons } of blockedCustomers(deps, adAudienceInput({ customerIds: candidates.slice(i, i + CONTACT_PAGE) }, at))) {
      if (reasons.some((r) => REFUSALS.has(r))) refusers.push(customerId);
    }
    for (const contacts of await deps.adAudiences.contactsOf(refusers)) {
      for (const identifier of customerIdentifiers(platform, contacts)) refused[identifier.kind].add(identifier.hash);
    }
  }
  return refused;
}

/**
 * The difference between who may be uploaded now and what was sent: additions and removals.
 * Memory is one map entry per identifier sent or wanted, and one per refusing customer's identifier.
 */
export async function syncDifference(deps: AdAudienceDeps, audience: AdAudience, at: SyncOutcome['startedAt']): Promise<SyncDifference> {
  // One map per kind, keyed by the hash itself: no key string is built per identifier.
  const state: Record<IdentifierKind, Map<string, number>> = { email: new Map(), phone: new Map() };
  for await (const sent of deps.adAudiences.sentIdentifiers(audience.id)) state[sent.kind].set(sent.hash, SENT_NOT_SEEN);
  const refused = await refusedIdentifiers(deps, audience.platform, at);
  const add: HashedIdentifier[] = [];
  let eligible = 0;
  const take = async (ids: CustomerId[]): Promise<void> => {
    for (const contacts of await deps.adAudiences.contactsOf(ids)) {
      for (const identifier of customerIdentifiers(audience.platform, contacts)) {
        // Also held by someone who refuses: not wanted (removed if it was sent).
        if (refused[identifier.kind].has(identifier.hash)) continue;
        const seen = state[identifier.kind];
        const before = seen.get(identifier.hash);
        if (before === WANTED) continue;
        if (before === undefined) add.push(identifier);
        seen.set(identifier.hash, WANTED);
      }
    }
  };
  let page: CustomerId[] = [];
  for await (const { customerId } of allowedCustomers(deps, adAudienceInput(audience.filter, at))) {
    eligible += 1;
    page.push(customerId);
    if (page.length === CONTACT_PAGE) {
      await take(page);
      page = [];
    }
  }
  await take(page);
  const remove: HashedIdentifier[] = [];
  for (const kind of IDENTIFIER_KINDS) for (const [hash, value] of state[kind]) if (value === SENT_NOT_SEEN) remove.push({ kind, hash });
  return { eligible, add, remove };
}

/**
 * Syncs one audience now. Resolves with the sync as recorded (succeeded).
 * @throws NOT_FOUND, AD_PLATFORM_NOT_CONFIGURED, AD_SYNC_RUNNING (another sync of it runs: nothing
 *   done or recorded), AD_PLATFORM_UNAVAILABLE (recorded as a failed sync first)
 */
export async function syncAdAudience(deps: SyncDeps, id: number): Promise<AdAudienceSync> {
  const audience = await requireAdAudience(deps, id);
  const client = deps.platforms[audience.platform];
  if (client === undefined) {
    throw new DomainError('AD_PLATFORM_NOT_CONFIGURED', `${audience.platform} is not configured: see docs/sites-and-ads.md for its settings`, { field: 'platform' });
  }
  const claim = randomUUID();
  const claimedAt = deps.now();
  const staleBefore = new Date(Date.parse(claimedAt) - SYNC_CLAIM_STALE_SECONDS * 1000).toISOString() as Instant;
  if (!(await deps.adAudiences.claimSync(audience.id, claim, claimedAt, staleBefore))) {
    throw new DomainError('AD_SYNC_RUNNING', `ad audience ${audience.id} is being synced now (by this or another process): try again when that sync has finished`, { field: 'id' });
  }
  // Renewed while the sync runs, so that a long upload is not taken for a crashed one.
  const renewal = setInterval(() => {
    // A renewal that fails (the store briefly away) is retried at the next tick; the stale limit allows five.
    deps.adAudiences.renewSyncClaim(audience.id, claim, deps.now()).catch(() => undefined);
  }, SYNC_CLAIM_RENEW_MS);
  renewal.unref();
  try {
    return await syncClaimed(deps, audience, client);
  } finally {
    clearInterval(renewal);
    await deps.adAudiences.releaseSync(audience.id, claim);
  }
}

/** The sync itself, under the audience's claim. */
async function syncClaimed(deps: SyncDeps, audience: AdAudience, client: AdPlatformClient): Promise<AdAudienceSync> {
  const startedAt = deps.now();
  let eligible = 0;
  let blocked: SyncOutcome['blocked'] = {};
  try {
    const counts = await audienceCounts(deps, adAudienceInput(audience.filter, startedAt));
    blocked = counts.blocked;
    const diff = await syncDifference(deps, audience, startedAt);
    eligible = diff.eligible;
    await client.upload(audience.externalId, { add: diff.add, remove: diff.remove });
    return await deps.adAudiences.recordSuccess(audience.id, diff.add, diff.remove, {
      startedAt,
      finishedAt: deps.now(),
      status: 'succeeded',
      eligible,
      blocked,
      added: diff.add.length,
      removed: diff.remove.length,
      error: null,
    });
  } catch (err) {
    const code = isDomainError(err) ? err.code : 'INTERNAL';
    await deps.adAudiences.recordFailure(audience.id, { startedAt, finishedAt: deps.now(), status: 'failed', eligible, blocked, added: 0, removed: 0, error: code });
    throw err;
  }
}

/** Every audience synced in turn (the periodic job); one failing does not stop the rest. */
export async function syncAllAdAudiences(deps: SyncDeps, onError: (audienceId: number, err: unknown) => void): Promise<AdAudienceSync[]> {
  const done: AdAudienceSync[] = [];
  for (const audience of await deps.adAudiences.list()) {
    if (deps.platforms[audience.platform] === undefined) continue;
    try {
      done.push(await syncAdAudience(deps, audience.id));
    } catch (err) {
      onError(audience.id, err);
    }
  }
  return done;
}
