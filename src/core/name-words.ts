/**
 * The words a customer is found by in a name search, and the words of a search, folded alike:
 * lower case, diacritics removed (NFKD, then combining marks dropped: "Mäkinen" → "makinen",
 * "Åström" → "astrom"), a few letters that do not decompose spelled as they are typed on a plain
 * keyboard ("ø" → "o", "ß" → "ss"). A word is a run of letters and digits; a name part joined by
 * punctuation ("Anna-Liisa", "O'Brien") is also kept whole without it ("annaliisa", "obrien"),
 * so it is found however it is typed. The store keeps these words (customers.name_words, a JSON
 * array; the customer_name_words index) and a search matches each of its words against the start
 * of some word of the name (docs/decisions/0016).
 */

const SPELLED: Record<string, string> = { ø: 'o', æ: 'ae', œ: 'oe', ß: 'ss', đ: 'd', ð: 'd', ł: 'l', þ: 'th', ı: 'i' };
const NOT_DECOMPOSED = /[øæœßđðłþı]/g;
const MARKS = /\p{M}+/gu;
const SEPARATORS = /[^\p{L}\p{N}]+/u;
const SPACES = /\s+/u;

/** Lower case without diacritics: what both a stored name and a search are compared in. */
export function foldName(text: string): string {
  return text.normalize('NFKD').replace(MARKS, '').toLowerCase().replace(NOT_DECOMPOSED, (c) => SPELLED[c] ?? c).normalize('NFC');
}

function words(folded: string): string[] {
  return folded.split(SEPARATORS).filter((w) => w !== '');
}

/**
 * The distinct folded words of a name, in order of first appearance: each run of letters and
 * digits, and each space-separated part with its punctuation left out when it has any.
 * A name without letters or digits has none (it is then found by its other fields only).
 */
export function nameWords(name: string): string[] {
  const folded = foldName(name);
  const out = new Set<string>(words(folded));
  for (const part of folded.split(SPACES)) {
    const joined = words(part).join('');
    if (joined !== '') out.add(joined);
  }
  return [...out];
}

/**
 * Whether a name search is the customer's whole name, in any word order, case and diacritics
 * folded: "salo pekka" and "Salo, Pekka" are "Pekka Salo"; "Anna Liisa Virta" and "annaliisa
 * virta" are "Anna-Liisa Virta". A search that is only the start of the name's words is not.
 */
export function isWholeName(name: string, query: string): boolean {
  const same = (a: readonly string[], b: readonly string[]): boolean => a.length > 0 && a.length === b.length && a.every((w, i) => w === b[i]);
  const runs = (text: string): string[] => [...new Set(words(foldName(text)))].sort();
  const parts = (text: string): string[] => [...new Set(foldName(text).split(SPACES).map((part) => words(part).join('')).filter((w) => w !== ''))].sort();
  return same(runs(name), runs(query)) || same(parts(name), parts(query));
}

/**
 * The words of a name search, folded as names are, without repeats and without a word that is the
 * start of another one (it adds nothing: "ai aino" asks what "aino" asks), longest first.
 */
export function searchWords(query: string): string[] {
  const all = [...new Set(words(foldName(query)))];
  return all
    .filter((w) => !all.some((other) => other !== w && other.startsWith(w)))
    .sort((a, b) => b.length - a.length || (a < b ? -1 : 1));
}

/**
 * The end (exclusive) of the range of words that start with `prefix`, in code-point (byte) order:
 * `word >= prefix AND word < prefixEnd(prefix)` is a prefix match an ordinary index answers.
 */
export function prefixEnd(prefix: string): string {
  return `${prefix}\u{10FFFF}`;
}
