/**
 * The timeline's order and cursor: newest first, then the greater kind, then the greater id as
 * text by code point (as SQLite's BINARY and PostgreSQL's "C" collation compare); a merge takes the
 * first `limit` of every source's rows and knows when more follow; a cursor the API did not give is
 * refused naming the field.
 */
import { describe, expect, it } from 'vitest';
import type { Instant } from './records.ts';
import { compareEntries, compareText, decodeTimelineCursor, encodeTimelineCursor, mergeNewestFirst, nextCursor, type TimelineEntry } from './timeline.ts';

const entry = (at: string, kind: string, id: string): TimelineEntry => ({ at: at as Instant, kind, id, summary: {} });

describe('the timeline order', () => {
  it('compares text by code point, also above U+FFFF', () => {
    expect(compareText('a', 'b')).toBeLessThan(0);
    expect(compareText('10', '9')).toBeLessThan(0);
    // UTF-16 puts U+1F600 (a surrogate pair, 0xD83D…) before U+FFFD; code points (and UTF-8 bytes) after it.
    expect(compareText('\u{1F600}', '\uFFFD')).toBeGreaterThan(0);
    expect(compareText('ab', 'a')).toBeGreaterThan(0);
  });

  it('puts the newer first, then the greater kind, then the greater id', () => {
    const sorted = [entry('2026-01-01T00:00:00.000Z', 'call', '1'), entry('2026-01-02T00:00:00.000Z', 'ledger', '1'), entry('2026-01-01T00:00:00.000Z', 'offer', '2'), entry('2026-01-01T00:00:00.000Z', 'offer', '3')].sort(compareEntries);
    expect(sorted.map((e) => `${e.at.slice(8, 10)} ${e.kind} ${e.id}`)).toEqual(['02 ledger 1', '01 offer 3', '01 offer 2', '01 call 1']);
  });

  it('merges sources into one page and says whether more follow', () => {
    const a = [entry('2026-01-03T00:00:00.000Z', 'a', '1'), entry('2026-01-01T00:00:00.000Z', 'a', '2')];
    const b = [entry('2026-01-02T00:00:00.000Z', 'b', '1')];
    const two = mergeNewestFirst([a, b], 2);
    expect([two.entries.map((e) => e.kind), two.more]).toEqual([['a', 'b'], true]);
    expect(decodeTimelineCursor(nextCursor(two.entries, two.more) ?? '')).toEqual({ at: '2026-01-02T00:00:00.000Z', kind: 'b', id: '1' });
    const all = mergeNewestFirst([a, b], 3);
    expect([all.entries.length, all.more, nextCursor(all.entries, all.more)]).toEqual([3, false, null]);
  });

  it('refuses a cursor it did not give', () => {
    expect(decodeTimelineCursor(encodeTimelineCursor({ at: '2026-01-01T00:00:00.000Z' as Instant, kind: 'order_started', id: 'Ö-1' }))).toEqual({ at: '2026-01-01T00:00:00.000Z', kind: 'order_started', id: 'Ö-1' });
    for (const bad of ['', 'abc', '[]', '["2026-01-01", "x", "1"]', '["2026-01-01T00:00:00.000Z", "x"]', '["2026-01-01T00:00:00.000Z", "x", 1]']) {
      expect(() => decodeTimelineCursor(bad), bad).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED', field: 'cursor' }));
    }
  });
});
