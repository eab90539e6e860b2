/**
 * The text cleaning every address goes through before it is compared: one Unicode form (NFC, so a
 * street typed on macOS, which writes "ä" as "a" + U+0308, equals the same street typed elsewhere),
 * no invisible characters, no surrounding whitespace.
 */

/**
 * Characters that show nothing but make two equal-looking strings differ: zero-width space,
 * non-joiner and joiner (U+200B–U+200D), word joiner (U+2060), BOM / zero-width no-break space
 * (U+FEFF), soft hyphen (U+00AD), Mongolian vowel separator (U+180E), the bidi marks and controls
 * (U+200E, U+200F, U+061C, U+202A–U+202E, U+2066–U+2069) and the invisible operators (U+2061–U+2064).
 * Joiners matter inside emoji and some scripts, never inside an e-mail, a phone number or a
 * Finnish street address.
 */
const INVISIBLE = /[\u00AD\u061C\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/g;

/** Printable ASCII only: nothing to compose and nothing invisible, so the costly steps are skipped. */
const PLAIN_ASCII = /^[\x20-\x7E]*$/;

/**
 * `raw` in NFC without invisible characters, trimmed of whitespace (String.prototype.trim's set,
 * which includes NBSP U+00A0, U+202F and U+3000). Whitespace inside is kept: each caller decides.
 */
export function cleanText(raw: string): string {
  if (PLAIN_ASCII.test(raw)) return raw.trim();
  return raw.replace(INVISIBLE, '').normalize('NFC').trim();
}

/** Whether `text` is printable ASCII (callers use it to skip Unicode work on the common case). */
export function isPlainAscii(text: string): boolean {
  return PLAIN_ASCII.test(text);
}
