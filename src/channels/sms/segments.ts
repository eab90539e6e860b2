/**
 * How many SMS segments a text takes and where it is cut, as gateways bill it (3GPP TS 23.038 / 23.040).
 * A text fits the GSM 7-bit default alphabet (with its extension table, whose characters take two
 * septets) or goes as UCS-2. One segment holds 160 septets or 70 UCS-2 units; a concatenated
 * message loses 7 septets or 3 units per segment to the user data header (153 / 67).
 */

const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM_EXTENSION = '\f^{}\\[~]|€';

const BASIC = new Set(GSM_BASIC);
const EXTENSION = new Set(GSM_EXTENSION);

export type SmsEncoding = 'gsm7' | 'ucs2';

export interface SmsSegments {
  encoding: SmsEncoding;
  /** Septets (GSM-7) or UTF-16 code units (UCS-2) the text takes. */
  units: number;
  segments: number;
  /** Units still free in the last segment. */
  remaining: number;
}

/**
 * Segments and units of a text, as gateways bill it. A concatenated message is cut greedily, and
 * never inside a character: a two-septet extension character (its escape and its code) and a UTF-16
 * surrogate pair stay in one segment, so 153 × `]` takes 3 segments, not 2 (a phone shows a split
 * escape or pair as a wrong character). Errors: none; any string has a count.
 */
export function countSegments(text: string): SmsSegments {
  const { encoding, units, parts } = layout(text);
  const limit = parts.length > 1 ? LIMITS[encoding].multi : LIMITS[encoding].single;
  return { encoding, units, segments: parts.length, remaining: limit - (parts.at(-1)?.units ?? 0) };
}

/** The parts a text is sent in, in order: none for an empty text, the whole text when it fits one segment. */
export function splitSegments(text: string): string[] {
  return layout(text).parts.map((p) => p.text);
}

/** Units per segment: alone, and in a concatenated message (after the 6-octet user data header). */
const LIMITS: Record<SmsEncoding, { single: number; multi: number }> = { gsm7: { single: 160, multi: 153 }, ucs2: { single: 70, multi: 67 } };

interface Part {
  text: string;
  units: number;
}

function layout(text: string): { encoding: SmsEncoding; units: number; parts: Part[] } {
  const encoding = encodingOf(text);
  // Code points, not UTF-16 units: a surrogate pair is one character of two units.
  const chars = [...text].map((ch) => ({ ch, units: unitsOf(ch, encoding) }));
  const units = chars.reduce((n, c) => n + c.units, 0);
  if (units === 0) return { encoding, units, parts: [] };
  if (units <= LIMITS[encoding].single) return { encoding, units, parts: [{ text, units }] };
  const parts: Part[] = [];
  let current: Part = { text: '', units: 0 };
  for (const c of chars) {
    if (current.units + c.units > LIMITS[encoding].multi) {
      parts.push(current);
      current = { text: '', units: 0 };
    }
    current.text += c.ch;
    current.units += c.units;
  }
  parts.push(current);
  return { encoding, units, parts };
}

function encodingOf(text: string): SmsEncoding {
  for (const ch of text) if (!BASIC.has(ch) && !EXTENSION.has(ch)) return 'ucs2';
  return 'gsm7';
}

/** Septets in GSM-7 (an extension character is an escape and a code); UTF-16 units in UCS-2 (an emoji outside the BMP takes two). */
function unitsOf(ch: string, encoding: SmsEncoding): number {
  if (encoding === 'ucs2') return ch.length;
  return EXTENSION.has(ch) ? 2 : 1;
}
