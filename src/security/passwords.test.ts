import { describe, expect, it } from 'vitest';
import { decoyHash, hashPassword, verifyPassword } from './passwords.ts';

const COST = { logN: 14, r: 8, p: 1 };

describe('password hashing (scrypt)', () => {
  it('verifies the password it hashed and refuses another, with a fresh salt each time', async () => {
    const a = await hashPassword('kissa istuu puussa', COST);
    const b = await hashPassword('kissa istuu puussa', COST);
    expect(a).not.toBe(b);
    expect(a).toMatch(/^scrypt\$14\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(await verifyPassword('kissa istuu puussa', a)).toBe(true);
    expect(await verifyPassword('kissa istuu puussa ', a)).toBe(false);
  });

  it('matches a password typed in another Unicode normal form (ä as a + combining diaeresis)', async () => {
    const stored = await hashPassword('Hämeenlinna-2026', COST);
    expect(await verifyPassword('Ha\u0308meenlinna-2026', stored)).toBe(true);
  });

  it('answers false, never throws, for a malformed or absurdly costly stored value', async () => {
    for (const stored of ['', 'plain', 'scrypt$14$8$1$salt', 'scrypt$40$8$1$AAAAAAAAAAAAAAAAAAAAAA$' + 'A'.repeat(43), 'bcrypt$x$y$z$a$b']) {
      expect(await verifyPassword('anything', stored)).toBe(false);
    }
    expect(await verifyPassword('anything', decoyHash(COST))).toBe(false);
  });
});
