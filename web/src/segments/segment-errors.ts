/**
 * The segment API's own errors as sentences in the person's language: in the form, the rule's place
 * as a condition number; in JSON, the place as a path (`all[1].orders.started.withinDays`) and what
 * is wrong there, from the phrase the server sends (`details.says`, core/phrases.ts `rule_*`).
 */
import type { TFunction } from 'i18next';
import { ApiError } from '../api/client.ts';
import { errorSentence } from '../api/errors.ts';
import { errorPhrase, phraseText } from '../i18n/phrases.ts';

/** `rule.all.2.orders…` → 3 (the form's condition number), or null when the place is not a row. */
export function conditionNumber(field: string | undefined): number | null {
  const match = /^rule\.(?:all|any)\.(\d+)/.exec(field ?? '');
  return match === null ? null : Number(match[1]) + 1;
}

/** `rule.all.1.orders.started` → `all[1].orders.started`; `rule` → '' (the whole rule). */
export function rulePath(field: string | undefined): string {
  const parts = (field ?? 'rule').split('.').slice(1);
  return parts.map((p, i) => (/^\d+$/.test(p) ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

/** What is wrong with a rule written as JSON: where, and what, in the person's language. */
export function jsonRuleSentence(err: ApiError, t: TFunction): string {
  const says = errorPhrase(err.details);
  const problem = says === null ? (typeof err.details?.['problem'] === 'string' ? err.details['problem'] : err.message) : phraseText(t, says, err.message);
  const path = rulePath(err.field);
  return path === '' ? t('segments.errors.jsonRule', { problem }) : t('segments.errors.jsonRuleAt', { path, problem });
}

/**
 * Where reading `text` as JSON stops, as line and column (1-based), or null when it is JSON. Found
 * by reading it here rather than from the browser's message: Chromium names no position for text
 * cut short ("Unexpected end of JSON input") or for an unexpected token (`[1,]`), Safari for none.
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

export function segmentErrorSentence(err: unknown, t: TFunction, mode: 'form' | 'json' = 'form'): string {
  if (!(err instanceof ApiError)) return errorSentence(err, t);
  if (err.code === 'INVALID_SEGMENT_RULE') {
    if (mode === 'json') return jsonRuleSentence(err, t);
    const n = conditionNumber(err.field);
    return n === null ? t('segments.errors.rule') : t('segments.errors.ruleAt', { n });
  }
  if (err.code === 'SEGMENT_EXISTS') return t('segments.errors.exists');
  if (err.code === 'SEGMENT_IN_USE') {
    const audiences = Array.isArray(err.details?.['adAudiences']) ? (err.details['adAudiences'] as number[]) : [];
    if (audiences.length > 0) return t('segments.errors.inUseByAdAudience', { audiences: audiences.join(', ') });
    return t('segments.errors.inUse', { campaigns: Array.isArray(err.details?.['campaigns']) ? (err.details['campaigns'] as number[]).join(', ') : '' });
  }
  if (err.code === 'VALIDATION_FAILED' && err.field === 'name') return t('segments.errors.name');
  return errorSentence(err, t);
}
