/**
 * The DPO's reads across customers: the audit log and the ledger filtered by who, what and when,
 * newest first, keyset-paged by their insertion order (audit id, ledger seq), so walking the pages
 * returns every row once even while rows are appended. Ports in the core's words; the stores
 * implement them over SQL (src/storage/sql-register-reads.ts).
 */
import type { PageRequest } from './listings.ts';
import type { AuditEntry } from './ports.ts';
import type { CustomerId, Instant, LedgerRecord } from './records.ts';

/** What an audit read is narrowed by; every field left out matches everything. */
export interface AuditFilter {
  customerId?: CustomerId;
  /** The API key id or console user id that acted (`AuditEntry.actor`). */
  actor?: string;
  /** An action as recorded, e.g. `customers.read`, `campaign.delivery`. */
  action?: string;
  /** From this instant (inclusive). */
  from?: Instant;
  /** Before this instant (exclusive). */
  to?: Instant;
}

/** A stored audit entry with its id (the paging key). */
export interface AuditRow extends AuditEntry {
  id: number;
}

/** What a ledger read is narrowed by; every field left out matches everything. */
export interface LedgerFilter {
  customerId?: CustomerId;
  /** A consent's purpose or an objection's scope (they share the stored column). */
  purpose?: string;
  /** A consent's channel; records for every channel (null) do not match a channel. */
  channel?: string;
  source?: string;
  kind?: 'consent' | 'objection';
  /** Records dated (`at`) from this instant (inclusive) ... */
  from?: Instant;
  /** ... and before this one (exclusive). */
  to?: Instant;
}

export interface RegisterReadStore {
  /** Audit entries matching the filter, newest first (id descending); `after` is the last id seen. */
  auditEntries(filter: AuditFilter, page: PageRequest<number>): Promise<AuditRow[]>;
  /** Ledger records matching the filter, newest recorded first (seq descending); `after` is the last seq seen. */
  ledgerRecords(filter: LedgerFilter, page: PageRequest<number>): Promise<LedgerRecord[]>;
}
