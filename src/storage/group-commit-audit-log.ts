/**
 * Group commit for the audit log. Every read of a customer's data through the API writes an audit
 * entry before the data is served; at a thousand reads a second one commit each is what limits
 * the tail latency. Entries arriving together are written in one statement: each `record()`
 * resolves only once its entry is committed, so nothing is served unaudited, and a failed write
 * fails every request of that batch.
 */
import type { AuditEntry, AuditLog } from '../core/ports.ts';
import type { CustomerId } from '../core/records.ts';

interface BatchWriter {
  recordMany(entries: readonly AuditEntry[]): Promise<void>;
  forCustomer(customerId: CustomerId): Promise<AuditEntry[]>;
}

interface Pending {
  entry: AuditEntry;
  resolve: () => void;
  reject: (err: unknown) => void;
}

export class GroupCommitAuditLog implements AuditLog {
  private queue: Pending[] = [];
  private flushing: Promise<void> | null = null;

  constructor(
    private readonly store: BatchWriter,
    private readonly maxBatch = 500,
  ) {}

  record(entry: AuditEntry): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ entry, resolve, reject });
      // While one batch is being written the next one collects; it starts as soon as the first is done.
      if (this.flushing === null) this.flushing = this.flushLoop();
    });
  }

  async forCustomer(customerId: CustomerId): Promise<AuditEntry[]> {
    await this.flushing;
    return this.store.forCustomer(customerId);
  }

  private async flushLoop(): Promise<void> {
    // Let the requests of this event-loop turn join the first batch.
    await new Promise<void>((resolve) => setImmediate(resolve));
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch);
      try {
        await this.store.recordMany(batch.map((p) => p.entry));
        for (const p of batch) p.resolve();
      } catch (err) {
        for (const p of batch) p.reject(err);
      }
    }
    this.flushing = null;
  }
}
