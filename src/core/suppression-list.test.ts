import { describe, expect, it } from 'vitest';
import { addressFilter, liftByHandRefusal, liftStorable, noteText, suppressionAddress } from './suppression-list.ts';

describe('the suppression list rules', () => {
  it('lets a person lift a manual entry, hard bounce or complaint only with a note, and once', () => {
    for (const reason of ['manual', 'hard_bounce', 'complaint'] as const) {
      expect(liftByHandRefusal({ reason, lift: null }, 'why')).toBeNull();
      expect(liftByHandRefusal({ reason, lift: null }, null)?.code).toBe('SUPPRESSION_LIFT_NEEDS_NOTE');
      expect(liftByHandRefusal({ reason, lift: { at: 'x', recordedAt: 'x', source: 's', note: 'n' } as never }, 'why')?.code).toBe('SUPPRESSION_ALREADY_LIFTED');
    }
    // An unsubscribe ends with the person's own consent, a Robinson entry with the register.
    for (const reason of ['unsubscribe', 'robinson'] as const) expect(liftByHandRefusal({ reason, lift: null }, 'why')?.code).toBe('SUPPRESSION_NOT_LIFTABLE');
  });

  it('stores a lift of an unsubscribe without a note (the consent is its evidence), of others only with one, of a Robinson entry never', () => {
    expect(liftStorable('unsubscribe', null)).toBeNull();
    expect(liftStorable('hard_bounce', null)?.code).toBe('SUPPRESSION_LIFT_NEEDS_NOTE');
    expect(liftStorable('manual', 'letter')).toBeNull();
    expect(liftStorable('robinson', 'asked')?.code).toBe('SUPPRESSION_NOT_LIFTABLE');
  });

  it('reads a note cleaned, blank as none, and refuses one too long', () => {
    expect(noteText('  Letter \u200b ')).toBe('Letter');
    expect(noteText('   ')).toBeNull();
    expect(noteText(undefined)).toBeNull();
    expect(() => noteText('x'.repeat(1001))).toThrow(/at most 1000/);
  });

  it('reads an address as an import does, per channel', () => {
    expect(suppressionAddress('email', ' Anna@Example.FI ')).toBe('anna@example.fi');
    expect(suppressionAddress('sms', '040 123 4567')).toBe('+358401234567');
    expect(suppressionAddress('post', 'Mannerheimintie 1 A, 00100 Helsinki')).toBe('mannerheimintie 1 a|00100');
    expect(() => suppressionAddress('post', 'somewhere')).toThrow(expect.objectContaining({ field: 'address' }));
    expect(() => suppressionAddress('web', 'x')).toThrow(expect.objectContaining({ field: 'channel' }));
  });

  it('folds a search the way addresses are stored: whole addresses normalised, starts lowercased, phone starts in E.164', () => {
    expect(addressFilter('email', 'Anna@Example.FI', 'exact')).toEqual({ value: 'anna@example.fi', match: 'exact' });
    expect(addressFilter(undefined, '040 123 4567', 'exact')).toEqual({ value: '+358401234567', match: 'exact' });
    expect(addressFilter(undefined, 'ANNA@', 'prefix')).toEqual({ value: 'anna@', match: 'prefix' });
    expect(addressFilter('sms', '040 12', 'prefix')).toEqual({ value: '+3584012', match: 'prefix' });
    expect(addressFilter(undefined, '00358 40', 'prefix')).toEqual({ value: '+35840', match: 'prefix' });
    expect(() => addressFilter('email', 'not an address', 'exact')).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
  });
});
