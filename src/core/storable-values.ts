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

/** In JSON text: an escaped NUL or surrogate (`\u0000`, `\uD800`–`\uDFFF`), or a raw NUL. */
const RISKY_IN_JSON = /\\u(?:0000|[dD][89a-fA-F])|\u0000/;

/**
 * True when no string parsed from this JSON text can hold what the stores cannot: it has no NUL
 * and no lone surrogate as a character, and no escape that could make one. Then the parsed value
 * needs no `requireStorable` walk; false says only that it must be walked (an escaped backslash
 * before `u0000`, a well-formed escaped pair, may be harmless).
 */
export function storableJsonText(text: string): boolean {
  return !RISKY_IN_JSON.test(text) && !LONE_SURROGATE.test(text);
}

/**
 * Walks a parsed JSON value (objects, arrays, strings, keys included) and throws VALIDATION_FAILED
 * naming the first field (`address.street`, `emails[1]`) whose text cannot be stored. The walk
 * keeps its own stack rather than recursing, so any depth a JSON parser accepts (an NDJSON line
 * of a million `[`) is walked in linear time without overflowing the call stack; a field's path
 * is spelt out only for the one refused.
 */
export function requireStorable(value: unknown, path = ''): void {
  // Each entry: a value (or a field name) still to check, and how to name it: its parent and key.
  const stack: Visit[] = [{ value, parent: null, key: path, isName: false }];
  for (let visit = stack.pop(); visit !== undefined; visit = stack.pop()) {
    const item = visit.value;
    if (typeof item === 'string') {
      const problem = textProblem(item);
      if (problem === null) continue;
      // A field name is reported at the object that holds it, as `value` at the top.
      const at = pathOf(visit.isName ? (visit.parent as Visit) : visit);
      const message = visit.isName ? `a field name ${problem}` : `${at === '' ? 'the value' : at} ${problem}`;
      throw new DomainError('VALIDATION_FAILED', message, { field: at === '' ? 'value' : at });
    }
    if (typeof item !== 'object' || item === null) continue;
    // Pushed last first, so that fields are checked (and the first bad one named) in text order,
    // each name before its value.
    if (Array.isArray(item)) {
      for (let i = item.length - 1; i >= 0; i--) stack.push({ value: item[i], parent: visit, key: i, isName: false });
    } else {
      const entries = Object.entries(item);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, child] = entries[i] as [string, unknown];
        stack.push({ value: child, parent: visit, key, isName: false }, { value: key, parent: visit, key, isName: true });
      }
    }
  }
}

interface Visit {
  value: unknown;
  parent: Visit | null;
  /** The key in the parent (an index for an array item); for the root, the path it was given. */
  key: string | number;
  /** The entry checks a field name (`value` is the key), not the value under it. */
  isName: boolean;
}

/** `address.street`, `emails[1]`: the path of a visited value, built only when it is reported. */
function pathOf(visit: Visit): string {
  const keys: (string | number)[] = [];
  let root: Visit = visit;
  for (let v: Visit | null = visit; v !== null; v = v.parent) {
    if (v.parent === null) root = v;
    else keys.push(v.key);
  }
  let path = String(root.key);
  for (let i = keys.length - 1; i >= 0; i--) {
    const key = keys[i];
    path = typeof key === 'number' ? `${path}[${key}]` : path === '' ? `${key}` : `${path}.${key}`;
  }
  return path;
}

/** Throws INVALID_DATE unless `year` is within MIN_YEAR–MAX_YEAR. */
export function requireBusinessYear(year: number, field: string): void {
  if (!(year >= MIN_YEAR && year <= MAX_YEAR)) {
    throw new DomainError('INVALID_DATE', `${field} must lie between the years ${MIN_YEAR} and ${MAX_YEAR} (got year ${year})`, { field });
  }
}
