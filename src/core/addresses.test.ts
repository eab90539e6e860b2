import { describe, expect, it } from 'vitest';
import { checkPhone, normaliseEmail, normalisePhone, postalKey } from './addresses.ts';

// Invisible characters that arrive from copy-paste, spreadsheets and right-to-left text.
const ZWSP = '\u200B';
const ZWJ = '\u200D';
const BOM = '\uFEFF';
const SOFT_HYPHEN = '\u00AD';
const LRM = '\u200E';
const NBSP = '\u00A0';

describe('normalisePhone', () => {
  it('takes a Finnish number without country code as +358: 040 123 4567 → +358401234567', () => {
    expect(normalisePhone('040 123 4567')).toBe('+358401234567');
  });

  it('ignores hyphens, brackets, dots, slashes and surrounding spaces', () => {
    expect(normalisePhone(' 040-123 4567 ')).toBe('+358401234567');
    expect(normalisePhone('(040) 123.4567')).toBe('+358401234567');
    expect(normalisePhone('040/1234567')).toBe('+358401234567');
    expect(normalisePhone('09 1234 5678')).toBe('+358912345678');
  });

  it('keeps a foreign number with +: +46 70 123 45 67 → +46701234567', () => {
    expect(normalisePhone('+46 70 123 45 67')).toBe('+46701234567');
  });

  it('reads a leading 00 (and Finland’s 990) as the international prefix', () => {
    expect(normalisePhone('00358 40 123 4567')).toBe('+358401234567');
    expect(normalisePhone('0046701234567')).toBe('+46701234567');
    expect(normalisePhone('990 358 40 123 4567')).toBe('+358401234567');
  });

  it('drops the trunk zero after the country code, written in brackets or not', () => {
    expect(normalisePhone('+358 (0)40 123 4567')).toBe('+358401234567');
    expect(normalisePhone('+358 040 123 4567')).toBe('+358401234567');
    expect(normalisePhone('00358 040 123 4567')).toBe('+358401234567');
  });

  it('reads digits that begin with 358 and are too long for a Finnish number as international (MSISDN form)', () => {
    expect(normalisePhone('358401234503')).toBe('+358401234503');
  });

  it('refuses a national number written without its trunk 0, saying why', () => {
    expect(checkPhone('401234506')).toEqual({ ok: false, refusal: 'no_prefix' });
    expect(checkPhone('40 123 4506')).toEqual({ ok: false, refusal: 'no_prefix' });
  });

  it('refuses a number with an extension rather than dropping it', () => {
    expect(checkPhone('040 123 4567 ext 5')).toEqual({ ok: false, refusal: 'extension' });
  });

  it('ignores invisible characters, NBSP and full-width digits', () => {
    expect(normalisePhone(`${BOM}040${NBSP}123${ZWSP}4567${LRM}`)).toBe('+358401234567');
    expect(normalisePhone('\u202A+358 40 123 4567\u202C')).toBe('+358401234567');
    expect(normalisePhone('０４０ １２３ ４５６７')).toBe('+358401234567');
  });

  it('gives the same E.164 for every way of writing one number', () => {
    const forms = ['040 123 4567', '+358 40 123 4567', '00358401234567', '+358-40-1234567', '+358 040 1234567', '(040) 123 4567', '358401234567'];
    expect(new Set(forms.map((f) => normalisePhone(f)))).toEqual(new Set(['+358401234567']));
  });

  it('uses another default country when given one (ISO 3166 code)', () => {
    expect(normalisePhone('070 123 45 67', 'SE')).toBe('+46701234567');
    // Norway writes no trunk prefix, so a bare national number is complete there.
    expect(normalisePhone('41234567', 'NO')).toBe('+4741234567');
  });

  it('returns null for junk', () => {
    for (const junk of ['', '   ', 'abc', 'call me', '+', '0', '401234567', '+358 40', '+1234567890123456', '040 123 4567 ext 5', '++358401234567', 'tel: 040 1234567']) {
      expect(normalisePhone(junk), junk).toBeNull();
    }
  });
});

describe('normaliseEmail', () => {
  it('trims and lowercases', () => {
    expect(normaliseEmail('  Anna.Virtanen@Example.FI ')).toBe('anna.virtanen@example.fi');
  });

  it('keeps dots and +tags: they are part of the address as typed', () => {
    expect(normaliseEmail('First.Last+news@Gmail.com')).toBe('first.last+news@gmail.com');
  });

  it('drops the trailing root dot of the domain', () => {
    expect(normaliseEmail('anna@example.fi.')).toBe('anna@example.fi');
  });

  it('removes invisible characters and NBSP wherever they were pasted', () => {
    for (const pasted of [`anna${ZWSP}@example.fi`, `${BOM}anna@example.fi`, `anna@exam${SOFT_HYPHEN}ple.fi`, `${LRM}anna@example.fi${NBSP}`, `an${ZWJ}na@example.fi`]) {
      expect(normaliseEmail(pasted), JSON.stringify(pasted)).toBe('anna@example.fi');
    }
  });

  it('writes an internationalised domain in its punycode form, so both spellings are one address', () => {
    expect(normaliseEmail('matti@päivä.fi')).toBe('matti@xn--piv-qlac.fi');
    expect(normaliseEmail('MATTI@PÄIVÄ.FI')).toBe('matti@xn--piv-qlac.fi');
    expect(normaliseEmail('matti@xn--piv-qlac.fi')).toBe('matti@xn--piv-qlac.fi');
    // UTS #46 also maps the ideographic full stop and full-width letters.
    expect(normaliseEmail('matti@päivä。ｆｉ')).toBe('matti@xn--piv-qlac.fi');
  });

  it('composes a decomposed local part (NFC): a + U+0308 equals ä', () => {
    expect(normaliseEmail('ta\u0308hti@example.fi')).toBe(normaliseEmail('tähti@example.fi'));
    expect(normaliseEmail('ta\u0308hti@example.fi')).toBe('t\u00E4hti@example.fi');
  });

  it('returns null for what cannot be an address', () => {
    for (const junk of ['', 'anna', 'anna@', '@example.fi', 'anna@example', 'an na@example.fi', 'anna@@example.fi', 'a@b@example.fi', 'anna@example.fi x', 'anna@example..fi', 'anna@.example.fi', 'anna@example.fi..']) {
      expect(normaliseEmail(junk), junk).toBeNull();
    }
  });
});

describe('postalKey', () => {
  it('folds case and spacing of the street and removes spaces from the postcode', () => {
    expect(postalKey({ street: '  Mannerheimintie   1 A  5 ', postalCode: '00 100' })).toBe('mannerheimintie 1 a 5|00100');
  });

  it('matches however the address was typed', () => {
    const a = postalKey({ street: 'HÄMEENTIE 12 B 3', postalCode: '00530' });
    const b = postalKey({ street: 'Hämeentie\t12  b 3', postalCode: ' 00530 ' });
    expect(a).toBe(b);
    expect(a).toBe('hämeentie 12 b 3|00530');
  });

  it('equals a street written in decomposed Unicode (as macOS writes it) to the composed one', () => {
    expect(postalKey({ street: 'Ha\u0308meentie 12', postalCode: '00530' })).toBe(postalKey({ street: 'Hämeentie 12', postalCode: '00530' }));
  });

  it('ignores invisible characters and NBSP in street and postcode', () => {
    expect(postalKey({ street: `Hämeen${SOFT_HYPHEN}tie${NBSP}12${ZWSP}`, postalCode: `${BOM}00530` })).toBe('hämeentie 12|00530');
  });

  it('folds the case of a postcode with letters', () => {
    expect(postalKey({ street: '10 Downing Street', postalCode: 'sw1a 2aa' })).toBe(postalKey({ street: '10 Downing Street', postalCode: 'SW1A 2AA' }));
  });

  it('tells apart the same street in another postcode', () => {
    expect(postalKey({ street: 'Kauppakatu 1', postalCode: '40100' })).not.toBe(postalKey({ street: 'Kauppakatu 1', postalCode: '33100' }));
  });
});
