/** The segment API's own errors as sentences in the person's language, the rule's place as a condition number. */
import type { TFunction } from 'i18next';
import { ApiError } from '../api/client.ts';
import { errorSentence } from '../api/errors.ts';

/** `rule.all.2.orders…` → 3 (the form's condition number), or null when the place is not a row. */
export function conditionNumber(field: string | undefined): number | null {
  const match = /^rule\.(?:all|any)\.(\d+)/.exec(field ?? '');
  return match === null ? null : Number(match[1]) + 1;
}

export function segmentErrorSentence(err: unknown, t: TFunction): string {
  if (!(err instanceof ApiError)) return errorSentence(err, t);
  if (err.code === 'INVALID_SEGMENT_RULE') {
    const n = conditionNumber(err.field);
    return n === null ? t('segments.errors.rule') : t('segments.errors.ruleAt', { n });
  }
  if (err.code === 'SEGMENT_EXISTS') return t('segments.errors.exists');
  if (err.code === 'SEGMENT_IN_USE') return t('segments.errors.inUse', { campaigns: Array.isArray(err.details?.['campaigns']) ? (err.details['campaigns'] as number[]).join(', ') : '' });
  if (err.code === 'VALIDATION_FAILED' && err.field === 'name') return t('segments.errors.name');
  return errorSentence(err, t);
}
