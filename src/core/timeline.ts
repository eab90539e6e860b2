/**
 * The customer's history as one timeline (docs/customer-service.md#the-customers-history, [S26]):
 * entries of every kind Lupa holds about one customer, newest first. Each kind comes from a source
 * of its own (src/storage/timeline/sources/); the store reads each source's next rows after the
 * cursor and `mergeNewestFirst` joins them into one page. The order is total: time descending, then
 * kind descending, then id descending (`compareEntries`), so a cursor (at, kind, id) names exactly
 * where a page ended, and no entry is skipped or returned twice, also among equal times.
 */
import { DomainError } from './errors.ts';
import type { CustomerId, Instant } from './records.ts';

/** A summary field: what the entry shows beside its time (names, states, counts, reason codes). */
export type TimelineValue = string | number | null | string[];

export interface TimelineEntry {
  /** When it happened: an ISO-8601 instant with milliseconds, in UTC. */
  at: Instant;
  /** The source's kind (`order_started`, `message`, …); the filter's unit. */
  kind: string;
  /** The row's id within its kind (an order id, a ledger sequence number, …), as text. */
  id: string;
  /** The fields the kind shows; named by the source, never the data of another customer. */
  summary: Record<string, TimelineValue>;
}

/** Where a page ended: the last entry's position in the timeline's order. */
export interface TimelineCursor {
  at: Instant;
  kind: string;
  id: string;
}

export interface TimelineQuery {
  customerId: CustomerId;
  /** The kinds to read; every kind when empty. */
  kinds: readonly string[];
  /** Entries at or after this time (inclusive); none: from the start. */
  from: Instant | null;
  /** Entries before this time (exclusive); none: up to now and later. */
  before: Instant | null;
  /** The previous page's last entry; null for the first page. */
  cursor: TimelineCursor | null;
  /** Entries per page (1–100 over the API). */
  limit: number;
}

/**
 * The store's side: `kinds` lists every source's kind in the registry's order; `page` answers at
 * most `limit` entries after the cursor and whether more follow, reading each requested source once
 * (never a query per entry).
 */
export interface TimelineStore {
  readonly kinds: readonly string[];
  page(query: TimelineQuery): Promise<{ entries: TimelineEntry[]; more: boolean }>;
}

/**
 * Text order by code point, as SQLite's BINARY collation and PostgreSQL's "C" collation compare
 * UTF-8 bytes (JavaScript's `<` compares UTF-16 units, which differ above U+FFFF).
 */
export function compareText(a: string, b: string): number {
  if (a === b) return 0;
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = (x[i]?.codePointAt(0) ?? 0) - (y[i]?.codePointAt(0) ?? 0);
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

/** Negative when `a` comes first in the timeline (newer; then the greater kind, then the greater id). */
export function compareEntries(a: TimelineCursor, b: TimelineCursor): number {
  if (a.at !== b.at) return a.at < b.at ? 1 : -1;
  if (a.kind !== b.kind) return -compareText(a.kind, b.kind);
  // Ids compare as text, integer ids too ("10" before "9"): the sources order them so in SQL.
  return -compareText(a.id, b.id);
}

/**
 * One page from each source's rows (each newest first, each already after the cursor and holding at
 * most `limit + 1` rows): the first `limit` of them all, and whether any further one exists. A
 * source that returned `limit + 1` rows, or rows beyond the page, means more.
 */
export function mergeNewestFirst(lists: readonly (readonly TimelineEntry[])[], limit: number): { entries: TimelineEntry[]; more: boolean } {
  const all = lists.flat().sort(compareEntries);
  return { entries: all.slice(0, limit), more: all.length > limit };
}

/** The cursor of the page after `entries` (null when none follows). */
export function nextCursor(entries: readonly TimelineEntry[], more: boolean): string | null {
  const last = entries[entries.length - 1];
  return more && last !== undefined ? encodeTimelineCursor(last) : null;
}

/** A cursor as the API passes it: the JSON array `[at, kind, id]`. */
export function encodeTimelineCursor(entry: TimelineCursor): string {
  return JSON.stringify([entry.at, entry.kind, entry.id]);
}

/**
 * The cursor a caller passed back.
 * @throws DomainError VALIDATION_FAILED (field `cursor`) when it is not a `next` this API gave
 */
export function decodeTimelineCursor(text: string): TimelineCursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = null;
  }
  if (
    Array.isArray(parsed) &&
    parsed.length === 3 &&
    parsed.every((v) => typeof v === 'string' && v.length > 0 && v.length <= 200) &&
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(parsed[0] as string)
  ) {
    const [at, kind, id] = parsed as [string, string, string];
    return { at: at as Instant, kind, id };
  }
  throw new DomainError('VALIDATION_FAILED', 'cursor must be the `next` of an earlier page', { field: 'cursor' });
}
