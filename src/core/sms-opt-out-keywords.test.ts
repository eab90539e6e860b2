import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { foldedWords, SMS_OPT_OUT_KEYWORDS, smsOptOutKeyword } from './sms-opt-out-keywords.ts';

const optsOut = (body: string) => smsOptOutKeyword(body) !== null;
/** Each body with its verdict, so that a failure names the body. */
const verdicts = (bodies: string[]) => bodies.map((body) => [body, optsOut(body)]);
const all = (bodies: string[], verdict: boolean) => bodies.map((body) => [body, verdict]);

describe('SMS opt-out replies', () => {
  it('recognises the carriers’ and Twilio’s standard keywords, alone or in one word', () => {
    const bodies = ['STOP', 'STOPALL', 'STOP ALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'OPTOUT', 'OPT OUT', 'OPT-OUT', 'REVOKE', 'REMOVE'];
    expect(verdicts(bodies)).toEqual(all(bodies, true));
  });

  it('recognises Finnish forms: imperative, plural, first person, passive, the noun, and "don’t send"', () => {
    const bodies = [
      'Lopeta', 'Lopettakaa', 'Lopetan', 'Lopetetaan', 'Lopetus', 'Lopettaisitteko viestit', 'Peru', 'Peruuta', 'Peruutan tilauksen', 'Peruuttakaa',
      'Poista minut listalta', 'Poistakaa numeroni', 'Seis', 'Stoppi', 'Älä lähetä enää', 'Älkää lähettäkö mainoksia', 'ala laheta',
    ];
    expect(verdicts(bodies)).toEqual(all(bodies, true));
  });

  it('recognises Swedish forms, one word or two', () => {
    const bodies = ['Sluta', 'Sluta skicka', 'Stoppa', 'Stopp', 'Avsluta', 'Avregistrera mig', 'Avanmäl', 'Avbeställ', 'Avbryt', 'Ta bort mig', 'Radera mitt nummer', 'Stop. Tack så mycket'];
    expect(verdicts(bodies)).toEqual(all(bodies, true));
  });

  it('ignores case, punctuation, symbols, emoji, quotes and leading spaces around the first word', () => {
    const bodies = ['stop!!!', 'Lopeta, kiitos', 'LOPETA!', 'Stop 🛑', '🛑STOP', '  \n\tstop', '"Stop"', '“Lopeta”', '«Sluta»', '¡¿STOP?!', '...stop...', '(stop)', '🙏🏽 lopettakaa', '👍️ stop', '#stop', 'stop\u200b'];
    expect(verdicts(bodies)).toEqual(all(bodies, true));
  });

  it('passes over one courtesy word before the keyword', () => {
    const bodies = ['Please stop', 'PLS STOP!', 'Please, unsubscribe me', 'Snälla sluta', 'Vänligen ta bort mig'];
    expect(verdicts(bodies)).toEqual(all(bodies, true));
    const notOptOuts = ['Please', 'Please do not stop', 'Snälla sluta inte'];
    expect(verdicts(notOptOuts)).toEqual(all(notOptOuts, false));
  });

  it('folds full-width and compatibility letters and decomposed umlauts (NFKC)', () => {
    const bodies = ['ＳＴＯＰ', 'ｓｔｏｐ', '𝐒𝐓𝐎𝐏', 'Ⓢⓣⓞⓟ', 'Ｌｏｐｅｔａ', 'ﬆop', 'A\u0308la\u0308 la\u0308heta\u0308', 'Avanma\u0308l', 'S\u00ADTOP'];
    expect(verdicts(bodies)).toEqual(all(bodies, true));
  });

  it('does not opt out on replies that only mention stopping later, stop a longer word, or say not to stop', () => {
    const bodies = [
      'Stopparen tuli', 'Kiitos, en halua lopettaa', 'En halua lopettaa', 'Älä lopeta', 'Ei kiitos lopettamista', 'Hei, voitteko poistaa vanhan osoitteen?',
      'Sluta inte skicka', 'Stoppa inte', 'Ta inte bort mig', 'Tack! Jag vill inte sluta', 'stopped by the shop', 'Stopping by later', 'Please do not stop',
      'Endless thanks', 'Perunat tulivat', 'Poistui', 'Kiitos tiedosta', 'ei', 'START', 'UNSTOP', 'HELP', '', '   ', '🛑', '1 stop',
    ];
    expect(verdicts(bodies)).toEqual(all(bodies, false));
  });

  it('names the keyword it matched, preferring two words over one', () => {
    expect(smsOptOutKeyword('Stop all, please')).toEqual({ words: 'stop all', lang: 'en' });
    expect(smsOptOutKeyword('Stop, kiitos')).toEqual({ words: 'stop', lang: 'en' });
    expect(smsOptOutKeyword('Älä lähetä')).toEqual({ words: 'älä lähetä', lang: 'fi' });
    expect(smsOptOutKeyword('Ta bort')).toEqual({ words: 'ta bort', lang: 'sv' });
  });

  it('keeps every keyword in the folded form a reply is compared in', () => {
    for (const k of SMS_OPT_OUT_KEYWORDS) expect(foldedWords(k.words).join(' ')).toBe(k.words);
    expect(new Set(SMS_OPT_OUT_KEYWORDS.map((k) => k.words)).size).toBe(SMS_OPT_OUT_KEYWORDS.length);
  });

  it('is listed in docs/sms.md exactly as the table holds it', () => {
    const doc = readFileSync(new URL('../../docs/sms.md', import.meta.url), 'utf8');
    const LANGUAGES = { en: 'English', fi: 'Finnish', sv: 'Swedish' } as const;
    for (const [lang, name] of Object.entries(LANGUAGES)) {
      const row = doc.split('\n').find((line) => line.startsWith(`| ${name} |`)) ?? '';
      const listed = [...row.matchAll(/`([^`]+)`/g)].map((m) => m[1]);
      expect([lang, listed]).toEqual([lang, SMS_OPT_OUT_KEYWORDS.filter((k) => k.lang === lang).map((k) => k.words)]);
    }
  });
});
