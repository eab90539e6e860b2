/** The command line's counts read as English: one in the singular, every other number in the plural. */
import { expect, it } from 'vitest';
import { counted } from './counted.ts';

it('says one in the singular and every other number in the plural, irregular ones as given', () => {
  expect([0, 1, 2, 1174].map((n) => counted(n, 'member'))).toEqual(['0 members', '1 member', '2 members', '1174 members']);
  expect([1, 3].map((n) => counted(n, 'delivery', 'deliveries'))).toEqual(['1 delivery', '3 deliveries']);
});
