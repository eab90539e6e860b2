import { describe, expect, it } from 'vitest';
import { foldName, nameWords, prefixEnd, searchWords } from './name-words.ts';

describe('name words', () => {
  it('folds case and diacritics, and spells the letters that do not decompose', () => {
    expect(foldName('Mäkinen')).toBe('makinen');
    expect(foldName('ÅSTRÖM')).toBe('astrom');
    expect(foldName('Søren Æbeltoft Strauß')).toBe('soren aebeltoft strauss');
    expect(foldName('Łukasz Dvořák')).toBe('lukasz dvorak');
  });

  it('keeps each word, and a part joined by punctuation also whole', () => {
    expect(nameWords('Anna-Liisa Virtanen')).toEqual(['anna', 'liisa', 'virtanen', 'annaliisa']);
    expect(nameWords("Sean O'Brien")).toEqual(['sean', 'o', 'brien', 'obrien']);
    expect(nameWords('Oy  Testi Ab  Oy')).toEqual(['oy', 'testi', 'ab']);
    expect(nameWords('—')).toEqual([]);
  });

  it('orders search words longest first, without repeats or a word that starts another', () => {
    expect(searchWords('ai Virtanen AINO')).toEqual(['virtanen', 'aino']);
    expect(searchWords('Mä ma')).toEqual(['ma']);
    expect(searchWords(' %_ ')).toEqual([]);
  });

  it('bounds a prefix range above every word that starts with it', () => {
    expect('virtanen' < prefixEnd('virt')).toBe(true);
    expect('virt' >= 'virt' && 'virtz' < prefixEnd('virt')).toBe(true);
    expect('viru' < prefixEnd('virt')).toBe(false);
  });
});
