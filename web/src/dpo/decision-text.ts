/**
 * A decision's verdict, legal basis and reason codes as sentences in the person's language
 * (catalogue `dpo.reasons`, `dpo.bases`; the codes are src/core/vocabulary.ts, docs/reasons.md).
 * A delivery's code may carry its further purpose (`profiling:OBJECTED`); a code the console does
 * not know yet is named as it is, never dropped.
 */
import type { TFunction } from 'i18next';
import { ALLOWING_REASONS, BASES, BLOCKING_REASONS, LAUNCH_REASONS, PURPOSES, type Basis, type LaunchReason, type ReasonCode } from '../../../src/core/vocabulary.ts';
import type { paths } from '../api/schema';
import type { en } from '../i18n/en.ts';

export type Decision = paths['/v1/decide']['get']['responses'][200]['content']['application/json'];

/** The build fails until the catalogue has a sentence for every reason code and legal basis (fi and sv must match en key for key). */
type Missing = Exclude<ReasonCode | LaunchReason, keyof (typeof en)['dpo']['reasons']> | Exclude<Basis, keyof (typeof en)['dpo']['bases']>;
export type EveryCodeHasASentence = [Missing] extends [never] ? true : { missing: Missing };
export const everyCodeHasASentence: EveryCodeHasASentence = true;

const KNOWN_REASONS: readonly string[] = [...BLOCKING_REASONS, ...ALLOWING_REASONS, ...LAUNCH_REASONS];

function isIn<T extends string>(list: readonly T[], value: string): value is T {
  return (list as readonly string[]).includes(value);
}

export function reasonSentence(code: string, t: TFunction): string {
  const colon = code.indexOf(':');
  if (colon > 0) {
    const purpose = code.slice(0, colon);
    const inner = reasonSentence(code.slice(colon + 1), t);
    return isIn(PURPOSES, purpose) ? t('dpo.reasons.forPurpose', { purpose: t(`purposes.${purpose}`), sentence: inner }) : inner;
  }
  return KNOWN_REASONS.includes(code) ? t(`dpo.reasons.${code}`) : t('dpo.reasons.other', { code });
}

/** "Allowed, on the basis of consent." or "Not allowed." */
export function verdictSentence(decision: { allowed: boolean; basis: string | null }, t: TFunction): string {
  if (!decision.allowed) return t('dpo.decisions.blocked');
  const basis = decision.basis !== null && isIn(BASES, decision.basis) ? t(`dpo.bases.${decision.basis}`) : (decision.basis ?? '');
  return t('dpo.decisions.allowed', { basis });
}
