import { describe, expect, it } from 'vitest';
import { normaliseEmail, normalisePhone, postalKey } from './addresses.ts';

describe('normalisePhone', () => {
  it('takes a Finnish number without country code as +358: 040 123 4567 → +358401234567', () => {
    expect(normalisePhone('040 123 4567')).toBe('+358401234567');
  });

  it('ignores hyphens, brackets, dots and surrounding spaces', () => {
    expect(normalisePhone(' 040-123 4567 ')).toBe('+358401234567');
    expect(normalisePhone('(040) 123.4567')).toBe('+358401234567');
    expect(normalisePhone('09 1234 5678')).toBe('+358912345678');
  });

  it('keeps a foreign number with +: +46 70 123 45 67 → +46701234567', () => {
    expect(normalisePhone('+46 70 123 45 67')).toBe('+46701234567');
  });

  it('reads a leading 00 as the international prefix', () => {
    expect(normalisePhone('00358 40 123 4567')).toBe('+358401234567');
    expect(normalisePhone('0046701234567')).toBe('+46701234567');
  });

  it('gives the same E.164 for every way of writing one number', () => {
    const forms = ['040 123 4567', '+358 40 123 4567', '00358401234567', '+358-40-1234567'];
    expect(new Set(forms.map((f) => normalisePhone(f)))).toEqual(new Set(['+358401234567']));
  });

  it('drops the trunk zero written in brackets after the country code: +358 (0)40 123 4567', () => {
    expect(normalisePhone('+358 (0)40 123 4567')).toBe('+358401234567');
  });

  it('uses another default country code when given one', () => {
    expect(normalisePhone('070 123 45 67', '46')).toBe('+46701234567');
  });

  it('returns null for junk', () => {
    for (const junk of ['', '   ', 'abc', 'call me', '+', '0', '401234567', '+358 40', '+1234567890123456', '040 123 4567 ext 5', '040/1234567', '++358401234567']) {
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

  it('returns null for what cannot be an address', () => {
    for (const junk of ['', 'anna', 'anna@', '@example.fi', 'anna@example', 'an na@example.fi', 'anna@@example.fi', 'a@b@example.fi', 'anna@example.fi x']) {
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

  it('tells apart the same street in another postcode', () => {
    expect(postalKey({ street: 'Kauppakatu 1', postalCode: '40100' })).not.toBe(postalKey({ street: 'Kauppakatu 1', postalCode: '33100' }));
  });
});
