/**
 * SQL text assembled by hand (set-based statements whose shape depends on the question: an
 * audience filter, a segment's rule tree) with its values bound, never spliced: `param` marks a
 * value in the text and `withParams` turns the text into a Kysely query that binds each value in
 * its dialect's placeholder style.
 */
import { sql, type RawBuilder } from 'kysely';

export type SqlValue = string | number | null;

/** Collects bound values for one statement; `param(v)` returns the marker to put in the text. */
export class SqlParams {
  readonly values: SqlValue[] = [];

  readonly param = (value: SqlValue): string => `\u0000${this.values.push(value) - 1}\u0000`;

  /** The text with its markers bound, ready to `.execute(db)`. */
  bind(text: string): RawBuilder<unknown> {
    return withParams(text, this.values);
  }
}

/** SQL text whose values are marked `\0N\0` → a Kysely query with each value bound in its dialect's style. */
export function withParams(text: string, values: readonly SqlValue[]): RawBuilder<unknown> {
  const parts = text.split(/\u0000(\d+)\u0000/);
  return sql.join(
    parts.map((part, i) => (i % 2 === 0 ? sql.raw(part) : sql`${values[Number(part)]}`)),
    sql``,
  );
}
