/**
 * A segment's member count as the server showed it: exact for a role that may read customer
 * records, rounded for the others and said to be ("about 40"); nobody is exactly nobody, never
 * "about 0".
 */
import type { TFunction } from 'i18next';
import { formatNumber } from '../i18n/index.ts';

export function memberCountText(t: TFunction, language: string, n: number, roundedTo: number | undefined): string {
  const exact = formatNumber(n, language);
  return roundedTo === undefined || n === 0 ? exact : t('segments.about', { n: exact });
}
