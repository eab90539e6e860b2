/**
 * Use cases: the suppression list worked by a person (the DPO, an administrator). Search it, add a
 * manual suppression with a note, lift an entry with a note (core/suppression-list.ts has the rules).
 * Each is audited here, for the API and the command line alike, under the actor who did it: the
 * detail names the entry, its channel and reason, never the address or the note.
 */
import { DomainError } from '../core/errors.ts';
import type { AuditEntry, AuditLog, SuppressionStore } from '../core/ports.ts';
import type { Instant } from '../core/records.ts';
import {
  addressFilter,
  liftByHandRefusal,
  noteText,
  suppressionAddress,
  type AddressMatch,
  type SuppressionEntry,
  type SuppressionFilter,
  type SuppressionListStore,
  type SuppressionState,
} from '../core/suppression-list.ts';
import type { Channel, SuppressionReason } from '../core/vocabulary.ts';
import { MAX_PAGE, type Paged } from './listings.ts';

export interface SuppressionDeps {
  suppressions: SuppressionStore & SuppressionListStore;
  audit: AuditLog;
  now: () => Instant;
}

/** Who acts, as the audit log names them: a console user's id, an API key's id, `cli:USER`. */
export interface SuppressionActor {
  id: string;
  role: AuditEntry['role'];
}

export interface SuppressionSearch {
  channel?: Channel | undefined;
  reason?: SuppressionReason | undefined;
  state?: SuppressionState | undefined;
  address?: string | undefined;
  /** How `address` matches; `prefix` by default. */
  match?: AddressMatch | undefined;
  after?: number | undefined;
  limit: number;
}

async function audit(deps: SuppressionDeps, actor: SuppressionActor, action: string, detail: Record<string, string | number | string[]>): Promise<void> {
  await deps.audit.record({ at: deps.now(), actor: actor.id, role: actor.role, action, customerId: null, detail });
}

/** A page of the list, newest first; `next` is the cursor of the following page. Audited as one `suppressions.search` naming the filters used, not their values. */
export async function searchSuppressions(deps: SuppressionDeps, actor: SuppressionActor, input: SuppressionSearch): Promise<Paged<'suppressions', SuppressionEntry>> {
  if (!Number.isInteger(input.limit) || input.limit < 1 || input.limit > MAX_PAGE) throw new DomainError('VALIDATION_FAILED', `limit must be 1–${MAX_PAGE}`, { field: 'limit' });
  const filter: SuppressionFilter = {};
  if (input.channel !== undefined) filter.channel = input.channel;
  if (input.reason !== undefined) filter.reason = input.reason;
  if (input.state !== undefined) filter.state = input.state;
  if (input.address !== undefined && input.address.trim() !== '') filter.address = addressFilter(input.channel, input.address, input.match ?? 'prefix');
  const rows = await deps.suppressions.search(filter, { after: input.after ?? null, limit: input.limit });
  await audit(deps, actor, 'suppressions.search', { filters: Object.keys(filter) });
  const last = rows[rows.length - 1];
  return { suppressions: rows, next: rows.length === input.limit && last !== undefined ? String(last.id) : null };
}

/**
 * A manual suppression of one channel address from now on, with the note saying why (required).
 * The address is read as an import reads it (core/suppression-list.ts `suppressionAddress`). It
 * blocks what an unsubscribe blocks: marketing uses, never service messages (compliance.md rule 1).
 */
export async function addManualSuppression(
  deps: SuppressionDeps,
  actor: SuppressionActor,
  input: { channel: Channel; address: string; note: string },
): Promise<SuppressionEntry> {
  const address = suppressionAddress(input.channel, input.address);
  const note = noteText(input.note);
  if (note === null) throw new DomainError('VALIDATION_FAILED', 'a manual suppression needs a note saying why', { field: 'note' });
  const added = await deps.suppressions.add({ channel: input.channel, address, reason: 'manual', at: deps.now(), validUntil: null, source: actor.id, note });
  await audit(deps, actor, 'suppressions.add', { suppression: added.id, channel: added.channel, reason: added.reason });
  return requireEntry(deps, added.id);
}

/**
 * Lifts one entry from now on with the note saying why: a manual entry, hard bounce or complaint
 * (SUPPRESSION_LIFT_NEEDS_NOTE without a note); never an unsubscribe or a Robinson entry
 * (SUPPRESSION_NOT_LIFTABLE), nor one already lifted (SUPPRESSION_ALREADY_LIFTED). The lift is
 * appended; the suppression row stays as it was, and adding the address again blocks it again.
 */
export async function liftSuppression(deps: SuppressionDeps, actor: SuppressionActor, input: { id: number; note?: string | null | undefined }): Promise<SuppressionEntry> {
  const entry = await requireEntry(deps, input.id);
  const note = noteText(input.note);
  const refusal = liftByHandRefusal(entry, note);
  if (refusal !== null) throw refusal;
  await deps.suppressions.lift({ suppressionId: entry.id, at: deps.now(), source: actor.id, evidenceRef: null, note });
  await audit(deps, actor, 'suppressions.lift', { suppression: entry.id, channel: entry.channel, reason: entry.reason });
  return requireEntry(deps, entry.id);
}

async function requireEntry(deps: SuppressionDeps, id: number): Promise<SuppressionEntry> {
  const entry = await deps.suppressions.entry(id);
  if (entry === null) throw new DomainError('NOT_FOUND', `no suppression ${id}`, { field: 'id' });
  return entry;
}
