/**
 * A refused campaign change (launch, pause, resume, cancel, schedule) as a sentence in the person's
 * language: the codes only these changes answer with (docs/errors.md) get their own sentence, with
 * the field the API names; every other error reads as elsewhere in the console (api/errors.ts).
 */
import type { TFunction } from 'i18next';
import { ApiError } from '../api/client.ts';
import { errorSentence } from '../api/errors.ts';

const CAMPAIGN_CODES = new Set(['CAMPAIGN_STATE', 'TEMPLATE_INVALID', 'LAUNCH_NOT_DELIVERABLE', 'INVALID_DATE']);

export function campaignErrorSentence(err: unknown, t: TFunction): string {
  if (err instanceof ApiError && CAMPAIGN_CODES.has(err.code)) return t(`campaign.errors.${err.code}`, { field: err.field ?? '', message: err.message });
  return errorSentence(err, t);
}
