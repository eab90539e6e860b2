/**
 * The console's reader works in the console: no text in fi, sv or en tells them to run a command of
 * the CLI (`lupa …`, `npx …`) or to give one of its options (`--brand`). Where the console has a way,
 * the text points to it; where it has none, it says what can be done (a key is made on the server).
 */
import { describe, expect, it } from 'vitest';
import { en } from '../../web/src/i18n/en.ts';
import { fi } from '../../web/src/i18n/fi.ts';
import { sv } from '../../web/src/i18n/sv.ts';

/** Every text of a catalogue with its key: `phrases.fix_dkim_key_2048`. */
function* texts(node: unknown, key: string): Generator<[string, string]> {
  if (typeof node === 'string') yield [key, node];
  else if (typeof node === 'object' && node !== null) for (const [k, v] of Object.entries(node)) yield* texts(v, key === '' ? k : `${key}.${k}`);
}

// "lupa" after a letter is part of a Finnish word ("markkinointilupa"), not the command.
const COMMAND = /(?<!\p{L})lupa [a-z]|(?<![\p{L}-])--[a-z]|\bnpx /u;

describe('the console’s texts', () => {
  for (const [language, catalogue] of Object.entries({ en, fi, sv })) {
    it(`tell no ${language} reader to run a command`, () => {
      expect([...texts(catalogue, '')].filter(([, text]) => COMMAND.test(text)).map(([key]) => key)).toEqual([]);
    });
  }
});
