/**
 * How many SMS segments a text takes, as gateways bill it (3GPP TS 23.038 / 23.040).
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

export function countSegments(text: string): SmsSegments {
  let septets = 0;
  let gsm = true;
  for (const ch of text) {
    if (BASIC.has(ch)) septets += 1;
    else if (EXTENSION.has(ch)) septets += 2;
    else {
      gsm = false;
      break;
    }
  }
  if (gsm) return split('gsm7', septets, 160, 153);
  // UCS-2 counts UTF-16 code units: an emoji outside the BMP takes two.
  return split('ucs2', text.length, 70, 67);
}

function split(encoding: SmsEncoding, units: number, single: number, multi: number): SmsSegments {
  if (units <= single) return { encoding, units, segments: units === 0 ? 0 : 1, remaining: single - units };
  const segments = Math.ceil(units / multi);
  return { encoding, units, segments, remaining: segments * multi - units };
}
