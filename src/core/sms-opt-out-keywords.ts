/**
 * Which SMS replies are opt-outs: the keyword table and the rule that reads a reply against it.
 *
 * The rule (product choice, after the carriers' practice of acting on a keyword at the start of
 * the reply): the reply is folded (Unicode NFKC, so full-width and compatibility letters become
 * plain ones; lower case; combining marks, variation selectors and zero-width characters dropped)
 * and cut into words, a word being a run of letters and digits (`\p{L}\p{N}`). Punctuation,
 * symbols, emoji, quotes and spaces only separate words. The reply is an opt-out when its first
 * word, or its first two words, is a keyword below, and the next word is not a negation
 * (Swedish puts it after the verb: "Sluta inte" is "don't stop"). One courtesy word before the
 * keyword is passed over ("Please stop", "Snälla sluta"). A keyword later in the message does
 * not count: "Kiitos, en halua lopettaa" is not an opt-out.
 *
 * Words are matched whole, never by prefix: "Stopparen" and "stopped" are not "stop". Finnish
 * inflects, so each Finnish verb is listed with the forms a reply uses (imperative, 1st person,
 * passive, infinitive, the noun), and words with ä/ö also as typed without them.
 *
 * Sources:
 * - Twilio, default opt-out keywords ("Twilio support for opt-out keywords (SMS STOP filtering)"
 *   and the Advanced Opt-Out guide): STOP, STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT, REVOKE, OPTOUT.
 * - CTIA Messaging Principles and Best Practices and the US carriers' short-code handbook:
 *   STOP, END, CANCEL, UNSUBSCRIBE, QUIT; Telnyx's defaults add STOP ALL.
 * - FCC 24-24 (TCPA consent revocation, in force 11 April 2025): "stop", "quit", "end",
 *   "revoke", "opt out", "cancel", "unsubscribe" revoke consent.
 * - AWS End User Messaging SMS, required opt-out keywords: adds OPT-OUT and REMOVE.
 * - Finnish and Swedish (product choice, no carrier list exists): the everyday verbs for stop,
 *   cancel, remove and unsubscribe that senders' "reply LOPETA / SLUTA" instructions invite.
 */

/** One keyword: the words as folded (one or two), with the language it belongs to. */
export interface SmsOptOutKeyword {
  words: string;
  lang: 'en' | 'fi' | 'sv';
}

const ENGLISH = ['stop', 'stopall', 'stop all', 'unsubscribe', 'cancel', 'end', 'quit', 'optout', 'opt out', 'revoke', 'remove'];

const FINNISH = [
  // lopettaa "to stop", lopetus "the ending"
  'lopeta', 'lopettakaa', 'lopetan', 'lopetamme', 'lopetetaan', 'lopettaa', 'lopetus', 'lopettaisitte', 'lopettaisitteko', 'lopettaisitko',
  // perua / peruuttaa "to cancel", peruutus "a cancellation"
  'peru', 'perukaa', 'perun', 'perutaan', 'perua', 'peruuta', 'peruuttakaa', 'peruutan', 'peruutetaan', 'peruuttaa', 'peruutus',
  // poistaa "to remove" ("Poista minut listalta"), poisto "removal"
  'poista', 'poistakaa', 'poistan', 'poistetaan', 'poistaa', 'poisto',
  // "halt", and the colloquial "stoppi"
  'seis', 'stoppi',
  // "don't send", singular and plural, also without ä/ö
  'älä lähetä', 'älkää lähettäkö', 'ala laheta', 'alkaa lahettako',
];

const SWEDISH = [
  // sluta "stop", avsluta "end", stoppa / stopp "stop"
  'sluta', 'avsluta', 'avslut', 'stoppa', 'stopp',
  // avregistrera "deregister", avanmäla "unsubscribe", avbeställa "cancel an order", avbryta "cancel"
  'avregistrera', 'avregistrering', 'avanmäl', 'avanmäla', 'avanmälan', 'avanmal', 'avanmala', 'avanmalan',
  'avbeställ', 'avbeställa', 'avbeställning', 'avbestall', 'avbestalla', 'avbestallning', 'avbryt',
  // "remove", "erase"
  'ta bort', 'radera',
];

/** Every opt-out keyword, folded as `foldSmsText` folds a reply. */
export const SMS_OPT_OUT_KEYWORDS: readonly SmsOptOutKeyword[] = [
  ...ENGLISH.map((words) => ({ words, lang: 'en' as const })),
  ...FINNISH.map((words) => ({ words, lang: 'fi' as const })),
  ...SWEDISH.map((words) => ({ words, lang: 'sv' as const })),
];

/** Swedish negations, which follow the imperative: "Sluta inte", "Stoppa ej". */
const NEGATIONS = new Set(['inte', 'ej', 'icke']);

/** Words of courtesy that may come before the keyword. */
const COURTESY = new Set(['please', 'pls', 'plz', 'kindly', 'vänligen', 'vanligen', 'snälla', 'snalla']);

const BY_WORDS = new Map(SMS_OPT_OUT_KEYWORDS.map((k) => [k.words, k]));

/**
 * The words of a text, folded for matching: NFKC, lower case, marks and format characters
 * (variation selectors, zero-width joiners and spaces, soft hyphens) removed, then runs of
 * letters and digits. `"  “ＳＴＯＰ!” 🛑"` → `["stop"]`.
 */
export function foldedWords(text: string): string[] {
  const folded = text.normalize('NFKC').toLowerCase().normalize('NFC').replace(/[\p{M}\p{Cf}]/gu, '');
  return folded.match(/[\p{L}\p{N}]+/gu) ?? [];
}

/**
 * Characters of a reply that are read: the longest message an SMS gateway hands on (Twilio's
 * limit for a message body is 1,600 characters). The rule looks at the first words only, and
 * folding costs more than linear time on a long run of combining marks (NFKC puts them in
 * canonical order), so the rest of a longer text is not read.
 */
export const MAX_REPLY_CHARS = 1600;

/**
 * The opt-out keyword a reply starts with, or null when the reply is not an opt-out.
 * A two-word keyword wins over a one-word one ("stop all" over "stop"). Reads at most
 * MAX_REPLY_CHARS characters.
 */
export function smsOptOutKeyword(body: string): SmsOptOutKeyword | null {
  const words = foldedWords(body.slice(0, MAX_REPLY_CHARS));
  const [first, second, third] = COURTESY.has(words[0] ?? '') ? words.slice(1) : words;
  if (first === undefined) return null;
  const two = second === undefined ? undefined : BY_WORDS.get(`${first} ${second}`);
  if (two !== undefined) return third !== undefined && NEGATIONS.has(third) ? null : two;
  const one = BY_WORDS.get(first);
  if (one === undefined || (second !== undefined && NEGATIONS.has(second))) return null;
  return one;
}
