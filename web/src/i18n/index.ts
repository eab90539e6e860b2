/**
 * The console's languages (fi, sv, en): the person's choice is remembered in this browser; without
 * one, the browser's language when it is one of ours, else English. Dates and numbers are written
 * for Europe/Helsinki in the chosen language (30.11.2026 klo 9.05; 12 345).
 */
import { startOfDayIn } from '../../../src/core/time.ts';
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en } from './en.ts';
import { fi } from './fi.ts';
import { sv } from './sv.ts';

export const LANGUAGES = ['fi', 'sv', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
export const LANGUAGE_NAMES: Record<Language, string> = { fi: 'suomi', sv: 'svenska', en: 'English' };

const STORAGE_KEY = 'lupa.language';

function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/** The console's language as one of ours (i18next may report a fallback such as 'cimode'). */
export function consoleLanguage(value: string): Language {
  return isLanguage(value) ? value : 'en';
}

/** The remembered choice, else the first of the browser's languages we speak, else English. */
export function initialLanguage(): Language {
  const stored = localStorage.getItem(STORAGE_KEY);
  if (isLanguage(stored)) return stored;
  for (const tag of navigator.languages) {
    const base = tag.toLowerCase().split('-')[0];
    if (isLanguage(base)) return base;
  }
  return 'en';
}

export function chooseLanguage(language: Language): void {
  localStorage.setItem(STORAGE_KEY, language);
  document.documentElement.lang = language;
  void i18next.changeLanguage(language);
}

export function startI18n(): void {
  const lng = initialLanguage();
  document.documentElement.lang = lng;
  void i18next.use(initReactI18next).init({
    lng,
    fallbackLng: 'en',
    resources: { en: { translation: en }, fi: { translation: fi }, sv: { translation: sv } },
    interpolation: { escapeValue: false },
  });
}

const TIME_ZONE = 'Europe/Helsinki';

/** 30.11.2026 klo 9.05 (fi), 30.11.2026 09:05 (sv), 30/11/2026, 09:05 (en-GB): always Helsinki time. */
export function formatDateTime(iso: string, language: string): string {
  const locale = language === 'en' ? 'en-GB' : language;
  return new Intl.DateTimeFormat(locale, { dateStyle: 'short', timeStyle: 'short', timeZone: TIME_ZONE }).format(new Date(iso));
}

/** 12 345 in Finnish and Swedish, 12,345 in English. */
export function formatNumber(n: number, language: string): string {
  return new Intl.NumberFormat(language === 'en' ? 'en-GB' : language).format(n);
}

/** A price in cents as money in the reader's language: "19,90 €", "€19.90". */
export function formatPrice(cents: number, currency: string, language: string): string {
  return new Intl.NumberFormat(language === 'en' ? 'en-GB' : language, { style: 'currency', currency }).format(cents / 100);
}

/**
 * The instant a day (`2026-11-30`) begins in Helsinki (`2026-11-29T22:00:00.000Z`), for filters that
 * take whole days: the screens show Helsinki time, so "from 30.11." must mean Helsinki's 30.11.
 */
export function helsinkiDayStart(day: string): string {
  if (Number.isNaN(Date.parse(`${day}T00:00:00Z`))) return day;
  return startOfDayIn(day, TIME_ZONE);
}

/** The Helsinki day an instant falls on, as `2026-11-30`: what a timeline groups its entries by. */
export function helsinkiDay(iso: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(iso));
}

/** A Helsinki day (`2026-11-30`) in words: "maanantai 30.11.2026", "måndag 30.11.2026", "Monday, 30 November 2026". */
export function formatDay(day: string, language: string): string {
  const locale = language === 'en' ? 'en-GB' : language;
  // Noon UTC of the day is the same day in Helsinki, summer and winter.
  return new Intl.DateTimeFormat(locale, { dateStyle: 'full', timeZone: TIME_ZONE }).format(new Date(`${day}T12:00:00Z`));
}

/** The Helsinki time of day of an instant: 9.05 (fi), 09:05 (sv, en). */
export function formatTime(iso: string, language: string): string {
  const locale = language === 'en' ? 'en-GB' : language;
  return new Intl.DateTimeFormat(locale, { timeStyle: 'short', timeZone: TIME_ZONE }).format(new Date(iso));
}

/**
 * A calendar day (`2026-11-03`) as the language writes it, short: "3.11.2026", "3 nov. 2026",
 * "3 Nov 2026". The day is taken as it is written (no time zone moves it).
 */
export function formatShortDay(day: string, language: string): string {
  const locale = language === 'en' ? 'en-GB' : language;
  const at = new Date(`${day}T12:00:00Z`);
  if (Number.isNaN(at.getTime())) return day;
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(at);
}

/** Two calendar days as a period in the language: "3.11.–2.12.2026", "3 nov.–2 dec. 2026", "3 Nov – 2 Dec 2026". */
export function formatDayRange(from: string, to: string, language: string): string {
  const locale = language === 'en' ? 'en-GB' : language;
  const [a, b] = [new Date(`${from}T12:00:00Z`), new Date(`${to}T12:00:00Z`)];
  if (Number.isNaN(a.getTime()) || Number.isNaN(b.getTime()) || a > b) return `${from} – ${to}`;
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).formatRange(a, b);
}
