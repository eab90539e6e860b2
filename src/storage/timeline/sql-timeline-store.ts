/**
 * The customer's timeline over the registered sources (registry.ts): each requested source read
 * once for `limit + 1` rows after the cursor, the rows merged newest first in the core's order.
 */
import type { Kysely } from 'kysely';
import type { Instant } from '../../core/records.ts';
import { mergeNewestFirst, type TimelineEntry, type TimelineQuery, type TimelineStore, type TimelineValue } from '../../core/timeline.ts';
import type { Schema } from '../schema.ts';
import { TIMELINE_SOURCES } from './registry.ts';
import type { SourceRow, TimelineSource, TimelineTables } from './source.ts';

export class SqlTimelineStore implements TimelineStore {
  readonly kinds: readonly string[];
  private readonly db: Kysely<TimelineTables>;

  constructor(
    db: Kysely<Schema>,
    private readonly dialect: 'sqlite' | 'postgres',
    private readonly sources: readonly TimelineSource[] = TIMELINE_SOURCES,
  ) {
    this.db = db as unknown as Kysely<TimelineTables>;
    this.kinds = sources.map((s) => s.kind);
  }

  async page(query: TimelineQuery): Promise<{ entries: TimelineEntry[]; more: boolean }> {
    const chosen = query.kinds.length === 0 ? this.sources : this.sources.filter((s) => query.kinds.includes(s.kind));
    const read = { customerId: query.customerId, from: query.from, before: query.before, cursor: query.cursor, take: query.limit + 1, dialect: this.dialect };
    const lists = await Promise.all(chosen.map(async (source) => (await source.read(this.db, read)).map((row) => entryOf(source, row))));
    return mergeNewestFirst(lists, query.limit);
  }
}

function entryOf(source: TimelineSource, { at, id, ...fields }: SourceRow): TimelineEntry {
  return { at: at as Instant, kind: source.kind, id: String(id), summary: source.summary?.(fields) ?? (fields as Record<string, TimelineValue>) };
}
