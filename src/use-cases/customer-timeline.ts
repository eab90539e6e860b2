/**
 * Use case: one page of a customer's timeline (src/core/timeline.ts), for the API, the CLI and the
 * console alike. Every page read is audited by its caller, who knows who reads (the route with
 * `auditCustomers`, the CLI under the operating-system user), as `customers.timeline` with
 * `timelineAuditDetail`: the kinds asked, the window and how many entries were read, never the entries.
 */
import { DomainError } from '../core/errors.ts';
import type { CustomerStore } from '../core/ports.ts';
import type { CustomerId, Instant } from '../core/records.ts';
import { decodeTimelineCursor, nextCursor, type TimelineEntry, type TimelineStore } from '../core/timeline.ts';

/** The largest page: 100 entries over the API, as every listing. */
export const MAX_TIMELINE_PAGE = 100;

export interface TimelineDeps {
  timeline: TimelineStore;
  customers: CustomerStore;
}

/** The audit action of a timeline page read. */
export const TIMELINE_AUDIT_ACTION = 'customers.timeline';

export interface TimelinePage {
  customerId: string;
  entries: TimelineEntry[];
  next: string | null;
}

export interface TimelineRequest {
  customerId: string;
  /** Kinds to read (the store's `kinds`); none or empty: every kind. */
  kinds?: readonly string[] | undefined;
  /** Entries at or after this time. */
  from?: Instant | undefined;
  /** Entries before this time. */
  before?: Instant | undefined;
  /** The `next` of the page before. */
  cursor?: string | undefined;
  limit: number;
}

/**
 * At most `limit` entries, newest first, and the cursor of the next page (null on the last).
 * @throws DomainError UNKNOWN_CUSTOMER; VALIDATION_FAILED for an unknown kind (field `kinds`), a
 *   limit outside 1–100, a window that ends before it starts, or a cursor this API did not give
 */
export async function customerTimeline(deps: TimelineDeps, input: TimelineRequest): Promise<TimelinePage> {
  const kinds = [...new Set(input.kinds ?? [])];
  const unknown = kinds.filter((k) => !deps.timeline.kinds.includes(k));
  if (unknown.length > 0) throw new DomainError('VALIDATION_FAILED', `unknown kinds ${unknown.join(', ')}; kinds are ${deps.timeline.kinds.join(', ')}`, { field: 'kinds' });
  if (!Number.isInteger(input.limit) || input.limit < 1 || input.limit > MAX_TIMELINE_PAGE) {
    throw new DomainError('VALIDATION_FAILED', `limit must be 1–${MAX_TIMELINE_PAGE}`, { field: 'limit' });
  }
  if (input.from !== undefined && input.before !== undefined && input.before <= input.from) {
    throw new DomainError('VALIDATION_FAILED', 'before must be later than after', { field: 'before' });
  }
  const cursor = input.cursor === undefined ? null : decodeTimelineCursor(input.cursor);
  const customerId = input.customerId as CustomerId;
  if ((await deps.customers.getCustomer(customerId)) === null) throw new DomainError('UNKNOWN_CUSTOMER', `no customer with id ${input.customerId}`, { field: 'id' });
  const { entries, more } = await deps.timeline.page({ customerId, kinds, from: input.from ?? null, before: input.before ?? null, cursor, limit: input.limit });
  return { customerId, entries, next: nextCursor(entries, more) };
}

/** What the audit entry of a page read says: the question and the count, never the entries. */
export function timelineAuditDetail(input: TimelineRequest, page: TimelinePage): Record<string, string | number | null> {
  const kinds = input.kinds ?? [];
  return {
    kinds: kinds.length === 0 ? 'all' : [...new Set(kinds)].join(','),
    after: input.from ?? null,
    before: input.before ?? null,
    page: input.cursor === undefined ? 'first' : 'next',
    entries: page.entries.length,
  };
}
