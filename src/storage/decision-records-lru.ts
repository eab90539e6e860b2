/**
 * The customers' decision records kept in memory by the decision records caches (SQLite:
 * decision-records-cache.ts, PostgreSQL: postgres-decision-records-cache.ts): customer id → records
 * by channel, the least recently read dropped first once `capacity` customers are kept. What makes
 * an entry exact (forgetting the customers that changed) is each cache's own business.
 * Records are shared between readers: callers treat them as read-only, as they treat every record
 * the stores return.
 */
import type { DecisionRecords } from '../core/ports.ts';
import type { CustomerId } from '../core/records.ts';
import type { Channel } from '../core/vocabulary.ts';

export type ChannelKey = Channel | 'every';

export class DecisionRecordsLru {
  /** Map order is recency of use (oldest first). */
  private readonly entries = new Map<string, Map<ChannelKey, DecisionRecords>>();

  /** `capacity`: customers kept at most (LUPA_DECISION_CACHE_CUSTOMERS). */
  constructor(readonly capacity: number) {}

  get size(): number {
    return this.entries.size;
  }

  get(customerId: CustomerId, channel: ChannelKey): DecisionRecords | undefined {
    const byChannel = this.entries.get(customerId);
    const records = byChannel?.get(channel);
    if (byChannel === undefined || records === undefined) return undefined;
    // Most recently used last.
    this.entries.delete(customerId);
    this.entries.set(customerId, byChannel);
    return records;
  }

  /** Unknown customers are not kept: a first read after their import finds them. */
  set(customerId: CustomerId, channel: ChannelKey, records: DecisionRecords | null): void {
    if (records === null) return;
    let byChannel = this.entries.get(customerId);
    if (byChannel === undefined) {
      byChannel = new Map();
      this.entries.set(customerId, byChannel);
      if (this.entries.size > this.capacity) {
        const oldest = this.entries.keys().next().value;
        if (oldest !== undefined) this.entries.delete(oldest);
      }
    }
    byChannel.set(channel, records);
  }

  forget(customerId: string): void {
    this.entries.delete(customerId);
  }

  clear(): void {
    this.entries.clear();
  }
}
