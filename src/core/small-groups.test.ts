import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { withoutSmallGroups, type GroupCounts } from './small-groups.ts';

const asOf = '2026-01-01T00:00:00.000Z';

describe('counts without small groups', () => {
  it('does not tell three blocked people by subtracting the allowed from the evaluated', () => {
    const shown = withoutSmallGroups({ evaluated: 1000, allowed: 997, byBasis: { consent: 600, soft_opt_in: 397 }, blocked: { NO_CONSENT: 3 }, asOf }, 5);
    expect(shown.evaluated).toBe(1000);
    expect(shown.allowed).toBeNull();
    expect(shown.blocked.NO_CONSENT).toBeNull();
    // Σ by basis would give the allowed back: the smallest basis is withheld with them.
    expect(shown.byBasis).toEqual({ consent: 600, soft_opt_in: null });
    expect(shown.suppressedBelow).toBe(5);
  });

  it('does not tell a small basis by subtracting the others from the allowed', () => {
    const shown = withoutSmallGroups({ evaluated: 2000, allowed: 1000, byBasis: { consent: 990, soft_opt_in: 7, legitimate_interest: 3 }, blocked: { NO_CONSENT: 1000 }, asOf }, 5);
    expect(shown.allowed).toBe(1000);
    expect(shown.byBasis).toEqual({ consent: 990, soft_opt_in: null, legitimate_interest: null });
    expect(shown.blocked.NO_CONSENT).toBe(1000);
  });

  it('withholds nothing when every count is zero or large enough', () => {
    const counts = { evaluated: 100, allowed: 60, byBasis: { consent: 60, soft_opt_in: 0 }, blocked: { NO_CONSENT: 40 }, asOf };
    expect(withoutSmallGroups(counts, 5)).toEqual({ ...counts });
  });

  it('on any counts: nothing withheld can be worked out from what is shown', () => {
    const counts = fc
      .record({ notAllowed: fc.nat(40), bases: fc.array(fc.nat(40), { minLength: 1, maxLength: 4 }), reasons: fc.array(fc.nat(40), { maxLength: 3 }) })
      .map(({ notAllowed, bases, reasons }): GroupCounts => {
        const allowed = bases.reduce((a, b) => a + b, 0);
        // Blocking reasons each count at most everyone blocked; the first counts all of them.
        const blocked = Object.fromEntries([notAllowed, ...reasons.map((r) => Math.min(r, notAllowed))].map((n, i) => [`R${i}`, n]));
        return { evaluated: allowed + notAllowed, allowed, byBasis: Object.fromEntries(bases.map((n, i) => [`B${i}`, n])), blocked: notAllowed === 0 ? {} : blocked, asOf };
      });
    fc.assert(
      fc.property(counts, fc.integer({ min: 2, max: 10 }), (c, min) => {
        const shown = withoutSmallGroups(c, min);
        const small = (n: number | null): boolean => n !== null && n > 0 && n < min;
        if (shown.evaluated === null) {
          expect(c.evaluated > 0 && c.evaluated < min).toBe(true);
          return;
        }
        // No shown count is small.
        expect([shown.allowed, ...Object.values(shown.byBasis), ...Object.values(shown.blocked)].some(small)).toBe(false);
        // The people hidden in the partition evaluated = not allowed + Σ by basis: none, or at least min.
        const notAllowedHidden = shown.allowed === null;
        const hiddenBases = Object.entries(shown.byBasis).filter(([, n]) => n === null).map(([k]) => c.byBasis[k] as number);
        const held = (notAllowedHidden ? c.evaluated - c.allowed : 0) + hiddenBases.reduce((a, b) => a + b, 0);
        expect(held === 0 || held >= min).toBe(true);
        // The remainder is shown (through allowed) only when it is not small.
        if (!notAllowedHidden) expect(small(c.evaluated - c.allowed)).toBe(false);
        // A reason that counts every blocked customer is shown only with the remainder.
        if (notAllowedHidden) expect(Object.entries(shown.blocked).some(([k, n]) => n !== null && n === c.evaluated - c.allowed && c.blocked[k] === n)).toBe(false);
      }),
      { numRuns: 500 },
    );
  });
});
