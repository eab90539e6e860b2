/**
 * A sentence the server sends as a phrase (a stable code and its parameters, src/core/phrases.ts),
 * said in the person's language from the catalogue's `phrases` section. A parameter that is a
 * phrase is said first; a list of them is joined with "; ". A code the catalogue lacks (a server
 * newer than the console) is shown in the English the server sent beside it.
 */
import type { TFunction } from 'i18next';

interface InnerPhrase {
  code: string;
  params: Record<string, string | number>;
}
export interface ApiPhrase {
  code: string;
  params: Record<string, string | number | InnerPhrase | InnerPhrase[]>;
}

function said(t: TFunction, code: string, params: Record<string, string | number>, fallback: string): string {
  // Only a plain code is looked up: `.` and `:` mean nesting and namespaces to i18next.
  if (!/^[a-z0-9_]+$/.test(code)) return fallback;
  const text: unknown = t(`phrases.${code}`, { ...params, defaultValue: fallback });
  return typeof text === 'string' && text !== '' ? text : fallback;
}

function paramText(t: TFunction, value: ApiPhrase['params'][string]): string | number {
  if (typeof value === 'string' || typeof value === 'number') return value;
  if (Array.isArray(value)) return value.map((p) => said(t, p.code, p.params, p.code)).join('; ');
  return said(t, value.code, value.params, value.code);
}

/** The phrase in the person's language; `english` is the server's own text, shown for a code without one. */
export function phraseText(t: TFunction, phrase: ApiPhrase, english = ''): string {
  const params = Object.fromEntries(Object.entries(phrase.params).map(([name, value]) => [name, paramText(t, value)]));
  return said(t, phrase.code, params, english);
}

/** Phrases said one after the other (a summary and the notes added to it). */
export function phrasesText(t: TFunction, phrases: readonly ApiPhrase[], english = ''): string {
  const known = phrases.every((p) => /^[a-z0-9_]+$/.test(p.code) && t(`phrases.${p.code}`, { defaultValue: '' }) !== '');
  return known ? phrases.map((p) => phraseText(t, p)).join('') : english;
}

/** The phrase an API error carries in `details.says` (a template's problem), or null. */
export function errorPhrase(details: Record<string, unknown> | undefined): ApiPhrase | null {
  const says = details?.['says'];
  if (typeof says !== 'object' || says === null) return null;
  const { code, params } = says as { code?: unknown; params?: unknown };
  return typeof code === 'string' && typeof params === 'object' && params !== null ? (says as ApiPhrase) : null;
}
