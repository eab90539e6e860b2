/**
 * The server's sentences (readiness items, template problems) reach the console as phrases and are
 * said in the reader's language: every phrase has a Finnish and a Swedish text with the same
 * parameters as the English, a readiness item and a template's problem come out in Finnish with
 * their values (the line a problem is on among them), and a code the console lacks shows the
 * server's English.
 */
import i18next, { type TFunction } from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import { PHRASES_EN, type PhraseCode } from '../../src/core/phrases.ts';
import { publicUrlItem, asDevelopment, dkimItem } from '../../src/core/sending-readiness.ts';
import type { Brand } from '../../src/core/brands.ts';
import { DomainError } from '../../src/core/errors.ts';
import { compileTemplate } from '../../src/templates/compile-template.ts';
import { errorPhrase, phrasesText, phraseText, type ApiPhrase } from '../../web/src/i18n/phrases.ts';
import { en } from '../../web/src/i18n/en.ts';
import { fi } from '../../web/src/i18n/fi.ts';
import { sv } from '../../web/src/i18n/sv.ts';

const translators: Record<string, TFunction> = {};

beforeAll(async () => {
  for (const [lng, catalogue] of Object.entries({ en, fi, sv })) {
    const instance = i18next.createInstance();
    await instance.init({ lng, fallbackLng: 'en', resources: { [lng]: { translation: catalogue }, en: { translation: en } }, interpolation: { escapeValue: false } });
    translators[lng] = instance.t;
  }
});

const placeholders = (text: string): string[] => [...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1] ?? '').sort();

describe('the console’s texts for the server’s phrases', () => {
  for (const [lng, catalogue] of Object.entries({ fi, sv })) {
    it(`has a ${lng} text for every phrase, with the same parameters as the English`, () => {
      for (const code of Object.keys(PHRASES_EN) as PhraseCode[]) {
        const text = (catalogue.phrases as Record<string, string>)[code];
        expect(text, code).toBeTypeOf('string');
        expect(placeholders(text ?? ''), code).toEqual(placeholders(PHRASES_EN[code]));
      }
    });
  }

  it('says a readiness item, its nested reason and its development note in Finnish and Swedish', () => {
    const item = asDevelopment(publicUrlItem('https://lupa.test'));
    expect(item.summary).toBe("the public URL's host lupa.test ends in .test, a reserved name no mailbox provider resolves (blocks sending through a real relay)");
    const t = translators['fi'] as TFunction;
    expect(phrasesText(t, item.says.summary as ApiPhrase[], item.summary)).toBe(
      'julkisen osoitteen palvelin lupa.test päättyy .test, varattuun nimeen, jota mikään postipalvelu ei selvitä (estää lähettämisen oikean välityspalvelimen kautta)',
    );
    expect(phraseText(translators['sv'] as TFunction, item.says.fix as ApiPhrase)).toContain('sätt LUPA_PUBLIC_URL till den https://-adress');
    // The English the console shows is the server's own.
    expect(phrasesText(translators['en'] as TFunction, item.says.summary as ApiPhrase[])).toBe(item.summary);
  });

  it('says a brand setting named inside a fix in the reader’s language', () => {
    const brand = { name: 'uutisvirta', fromAddress: 'uutiset@uutisvirta.fi', dkim: { state: 'off' } } as unknown as Brand;
    const item = dkimItem(brand, null);
    expect(phraseText(translators['fi'] as TFunction, item.says.fix as ApiPhrase)).toContain('aseta brändin uutisvirta "dkim" tiedostossa LUPA_BRANDS_FILE');
  });

  it('says a template’s MJML problem in Finnish, keeping the line it is on', async () => {
    const definition = { id: 'broken', kind: 'service', defaultLocale: 'fi', locales: { fi: { subject: 'Hei', mjml: '<mjml><mj-body>\n<mj-section>\n<mj-text>x</mj-text>\n</mj-section></mj-body></mjml>' } } };
    const err = await compileTemplate(definition as never).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(DomainError);
    const details = (err as DomainError).details;
    expect(details?.['line']).toBe(3);
    const says = errorPhrase(details);
    expect(says?.code).toBe('template_mjml_error');
    expect(phraseText(translators['fi'] as TFunction, says as ApiPhrase)).toMatch(/^MJML-virhe kentässä locales\.fi\.mjml rivillä 3 \(mj-text\): /);
  });

  it('shows the server’s English for a phrase the console has no text for', () => {
    expect(phraseText(translators['fi'] as TFunction, { code: 'added_later', params: { x: 1 } }, 'said in English')).toBe('said in English');
    expect(phrasesText(translators['sv'] as TFunction, [{ code: 'added_later', params: {} }], 'said in English')).toBe('said in English');
  });
});
