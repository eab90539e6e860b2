/**
 * Group commit for the audit log. Every read of a customer's data through the API writes an audit
 * entry before the data is served; at a thousand reads a second one commit each is what limits
 * the tail latency. Entries arriving together are written in one statement: each `record()`
 * resolves only once its entry is committed, so nothing is served unaudited, and a failed write
 * fails every request of that batch.
 */
import type { AuditEntry, AuditLog } from '../core/ports.ts';
import type { CustomerId } from '../core/records.ts';
import { GroupCommit } from './group-commit.ts';

interface BatchWriter {
  recordMany(entries: readonly AuditEntry[]): Promise<void>;
  forCustomer(customerId: CustomerId): Promise<AuditEntry[]>;
  /** Makes every committed entry visible to reads of audit_log (SqlAuditLog's journal). */
  fold(): Promise<void>;
  close(): Promise<void>;
}

export class GroupCommitAuditLog implements AuditLog {
  private readonly commits: GroupCommit<AuditEntry>;

  constructor(
    private readonly store: BatchWriter,
    maxBatch = 500,
  ) {
    this.commits = new GroupCommit((batch) => store.recordMany(batch), maxBatch);
  }

  record(entry: AuditEntry): Promise<void> {
    return this.commits.add(entry);
  }

  /** Resolves once every entry recorded so far is committed (or its batch failed). */
  settled(): Promise<void> {
    return this.commits.settled();
  }

  /** Resolves once every entry recorded so far is committed and readable in audit_log. */
  async readable(): Promise<void> {
    await this.commits.settled();
    await this.store.fold();
  }

  /** Writes what is pending and folds it (on closing the store). */
  async close(): Promise<void> {
    await this.commits.settled();
    await this.store.close();
  }

  async forCustomer(customerId: CustomerId): Promise<AuditEntry[]> {
    await this.commits.settled();
    return this.store.forCustomer(customerId);
  }
}
