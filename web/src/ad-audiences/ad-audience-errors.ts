/** An ad audience request's error as a sentence: the platform's own codes here, the rest as everywhere. */
import type { TFunction } from 'i18next';
import { ApiError } from '../api/client.ts';
import { errorSentence } from '../api/errors.ts';
import { readableCode } from '../i18n/codes.ts';

const OWN = new Set(['AD_AUDIENCE_EXISTS', 'AD_PLATFORM_NOT_CONFIGURED', 'AD_PLATFORM_UNAVAILABLE', 'AD_SYNC_RUNNING']);

export function adAudienceError(err: unknown, t: TFunction): string {
  if (err instanceof ApiError && OWN.has(err.code)) return t(`adAudiences.errors.${err.code}`);
  return errorSentence(err, t);
}

/** Why a recorded sync failed, as a sentence: the sync keeps only its error code (no personal data, no platform message). */
export function syncFailure(code: string | null, t: TFunction): string {
  if (code !== null && OWN.has(code)) return t(`adAudiences.errors.${code}`);
  return code === null ? '' : readableCode(code);
}
