/** An API error as a sentence in the person's language, saying what to do: never a raw code or a stack. */
import type { TFunction } from 'i18next';
import { ApiError } from './client.ts';

const KNOWN = new Set([
  'SIGN_IN_FAILED',
  'SIGN_IN_LOCKED',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'CSRF_FAILED',
  'LINK_INVALID',
  'VALIDATION_FAILED',
  'UNKNOWN_CUSTOMER',
  'UNKNOWN_PRODUCT',
  'NOT_FOUND',
  'USER_EXISTS',
  'TEMPLATE_IN_USE',
  'STORE_UNAVAILABLE',
  'network',
]);

export function errorSentence(err: unknown, t: TFunction): string {
  if (!(err instanceof ApiError)) return t('errors.other', { code: 'client' });
  if (!KNOWN.has(err.code)) return t('errors.other', { code: err.code });
  return t(`errors.${err.code}`, {
    field: err.field ?? '',
    message: err.message,
    retryAt: typeof err.details?.['retryAt'] === 'string' ? new Date(err.details['retryAt']).toLocaleTimeString() : '',
  });
}
