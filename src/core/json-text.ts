/**
 * JSON text read strictly (RFC 8259), and where it stops when it is not JSON: the line and column
 * every reader of a JSON file or field names (the CLI's files, the console's JSON editors), since
 * JavaScript engines name no position for text cut short ("Unexpected end of JSON input").
 */
import { DomainError } from './errors.ts';

/**
 * Where reading `text` as JSON stops, as line and column (1-based), or null when it is JSON. Found
 * by reading it here rather than from the engine's message: V8 names no position for text cut short
 * ("Unexpected end of JSON input") or for an unexpected token (`[1,]`), Safari for none.
 */
export function jsonSyntaxPlace(text: string): { line: number; column: number } | null {
  const offset = jsonErrorOffset(text);
  if (offset === null) return null;
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: (before.at(-1)?.length ?? 0) + 1 };
}

/**
 * The offset at which strict JSON (RFC 8259) reading of `text` stops, or null when it is JSON: the
 * character that cannot stand there, or the end of a text cut short. One pass, no recursion (a
 * nesting of any depth costs nothing more).
 */
export function jsonErrorOffset(text: string): number | null {
  const n = text.length;
  const open: ('{' | '[')[] = [];
  let i = 0;
  const skipSpace = (): void => {
    while (i < n && ' \t\n\r'.includes(text.charAt(i))) i++;
  };
  const digits = (): boolean => {
    const from = i;
    while (i < n && text.charAt(i) >= '0' && text.charAt(i) <= '9') i++;
    return i > from;
  };
  const string = (): boolean => {
    i++; // the opening quote
    while (i < n) {
      const c = text.charAt(i);
      if (c === '"') {
        i++;
        return true;
      }
      if (c < ' ') return false;
      if (c !== '\\') {
        i++;
        continue;
      }
      i++;
      if (i < n && '"\\/bfnrt'.includes(text.charAt(i))) i++;
      else if (text.charAt(i) === 'u') {
        i++;
        for (let k = 0; k < 4; k++, i++) if (i >= n || !/[0-9a-fA-F]/.test(text.charAt(i))) return false;
      } else return false;
    }
    return false;
  };
  const number = (): boolean => {
    if (text.charAt(i) === '-') i++;
    if (text.charAt(i) === '0') i++;
    else if (!digits()) return false;
    if (text.charAt(i) === '.') {
      i++;
      if (!digits()) return false;
    }
    if (text.charAt(i) === 'e' || text.charAt(i) === 'E') {
      i++;
      if (text.charAt(i) === '+' || text.charAt(i) === '-') i++;
      if (!digits()) return false;
    }
    return true;
  };
  const word = (w: string): boolean => {
    for (const c of w) {
      if (text.charAt(i) !== c) return false;
      i++;
    }
    return true;
  };
  /** A value from `i`: a container is opened (its end is read by the loop), anything else read whole. */
  const value = (): 'opened' | 'read' | 'bad' => {
    skipSpace();
    const c = text.charAt(i);
    if (c === '{' || c === '[') {
      open.push(c);
      i++;
      return 'opened';
    }
    const ok = c === '"' ? string() : c === '-' || (c >= '0' && c <= '9') ? number() : c === 't' ? word('true') : c === 'f' ? word('false') : c === 'n' ? word('null') : false;
    return ok ? 'read' : 'bad';
  };
  /** A member's name and colon: false where it is not. */
  const key = (): boolean => {
    skipSpace();
    if (text.charAt(i) !== '"' || !string()) return false;
    skipSpace();
    if (text.charAt(i) !== ':') return false;
    i++;
    return true;
  };

  let state = value();
  for (;;) {
    if (state === 'bad') return i;
    if (state === 'opened') {
      // Just inside a container: its end at once, or its first member.
      skipSpace();
      const top = open.at(-1);
      if (text.charAt(i) === (top === '{' ? '}' : ']')) {
        i++;
        open.pop();
      } else if (top === '{' && !key()) return i;
      else {
        state = value();
        continue;
      }
    }
    // After a value: the end of the text, a comma and the next member, or the container's end.
    skipSpace();
    const top = open.at(-1);
    if (top === undefined) return i < n ? i : null;
    if (text.charAt(i) === ',') {
      i++;
      if (top === '{' && !key()) return i;
      state = value();
    } else if (text.charAt(i) === (top === '{' ? '}' : ']')) {
      i++;
      open.pop();
      state = 'read';
    } else return i;
  }
}

/**
 * `text` read as JSON; VALIDATION_FAILED (with `field`, `details.line` and `details.column`) naming
 * `source` (a file's name), the line and column, and what stands there when it is not JSON.
 */
export function parseJsonText(text: string, source: string, field: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    const offset = jsonErrorOffset(text) ?? text.length;
    const place = jsonSyntaxPlace(text) ?? { line: 1, column: 1 };
    const what = offset >= text.length ? 'the text ends before the JSON does (cut short?)' : `unexpected ${JSON.stringify(text.charAt(offset))}`;
    throw new DomainError('VALIDATION_FAILED', `${source} is not JSON: line ${place.line}, column ${place.column}: ${what}`, { field, details: place });
  }
}
