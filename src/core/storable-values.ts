/**
 * What every store Lupa runs on can hold, checked once at the edge (import rows, API bodies,
 * queries and paths) so that SQLite and PostgreSQL give the same answer to the same input: text
 * without NUL characters (PostgreSQL's text cannot hold U+0000) and without lone UTF-16 surrogates
 * (not valid Unicode: PostgreSQL refuses them in UTF-8, SQLite would store mojibake), and business
 * times within years 1900–2200 (year 0 does not exist in PostgreSQL, years 1–99 are read back as
 * 19xx/20xx by some drivers, and a year 0025 is a typing error, not a consent from antiquity).
 */
import { DomainError } from './errors.ts';

export const MIN_YEAR = 1900;
export const MAX_YEAR = 2200;

const NUL = '\u0000';
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why a text cannot be stored, or null when it can. */
export function textProblem(text: string): string | null {
  if (text.includes(NUL)) return 'contains a NUL character (U+0000)';
  if (LONE_SURROGATE.test(text)) return 'contains a lone UTF-16 surrogate (not valid Unicode text)';
  return null;
}

/**
 * Walks a parsed JSON value (objects, arrays, strings, keys included) and throws VALIDATION_FAILED
 * naming the first field (`address.street`, `emails[1]`) whose text cannot be stored. Depth is
 * bounded by the JSON parser's input limits; the walk is linear in the value's size.
 */
export function requireStorable(value: unknown, path = ''): void {
  if (typeof value === 'string') {
    const problem = textProblem(value);
    if (problem !== null) throw new DomainError('VALIDATION_FAILED', `${path === '' ? 'the value' : path} ${problem}`, { field: path === '' ? 'value' : path });
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item, i) => requireStorable(item, `${path}[${i}]`));
    return;
  }
  if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      const at = path === '' ? key : `${path}.${key}`;
      if (textProblem(key) !== null) throw new DomainError('VALIDATION_FAILED', `a field name ${textProblem(key) ?? ''}`, { field: path === '' ? 'value' : path });
      requireStorable(item, at);
    }
  }
}

/** Throws INVALID_DATE unless `year` is within MIN_YEAR–MAX_YEAR. */
export function requireBusinessYear(year: number, field: string): void {
  if (!(year >= MIN_YEAR && year <= MAX_YEAR)) {
    throw new DomainError('INVALID_DATE', `${field} must lie between the years ${MIN_YEAR} and ${MAX_YEAR} (got year ${year})`, { field });
  }
}
