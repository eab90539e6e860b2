/**
 * docs/console.md's sign-in table says which sections each demo user sees: it must be what the
 * console shows, the sections the role's permissions allow in navigation order (a section added to
 * the console without the table, or the other way round, fails here).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ROLES } from '../../src/core/access.ts';
import { en } from '../../web/src/i18n/en.ts';
import { allows, SECTIONS } from '../../web/src/session/permissions.ts';

function label(key: string): string {
  return key.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], en) as string;
}

describe('the sign-in table of docs/console.md', () => {
  it('names, for every role, exactly the sections it sees, in the navigation order', () => {
    const doc = readFileSync(new URL('../../docs/console.md', import.meta.url), 'utf8');
    for (const role of ROLES) {
      const row = doc.split('\n').find((line) => line.startsWith(`| \`${role}@lupa.example\` | ${role} |`));
      expect(row, role).toBeDefined();
      const sees = (row ?? '').split('|')[3] ?? '';
      // Notes in parentheses say how a section is seen; the names are what counts.
      const named = sees.replace(/\([^)]*\)/g, '').split(',').map((s) => s.trim()).filter((s) => s !== '');
      expect(named, role).toEqual(SECTIONS.filter((s) => allows(role, s.action)).map((s) => label(s.label)));
    }
  });
});
