/**
 * The segment API's own errors as sentences in the person's language: in the form, the rule's place
 * as a condition number; in JSON, the place as a path (`all[1].orders.started.withinDays`) and what
 * is wrong there, from the phrase the server sends (`details.says`, core/phrases.ts `rule_*`).
 */
import type { TFunction } from 'i18next';
import { ApiError } from '../api/client.ts';
import { errorSentence } from '../api/errors.ts';
import { errorPhrase, phraseText } from '../i18n/phrases.ts';

// Where JSON text stops being JSON: read alike by the CLI's files and the console's editors.
export { jsonErrorOffset, jsonSyntaxPlace } from '../../../src/core/json-text.ts';

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
