/**
 * No singling out through counts (GDPR recital 26; compliance.md §2 rule 11 uses the same minimum
 * for survey answers): a person who may not read customer records sees no count of fewer than
 * `minGroup` people. A filter that narrows to a handful of customers would otherwise tell that
 * handful's consent and objection state one by one.
 */

/** The counts of an audience question (use-cases/audience.ts). */
export interface GroupCounts {
  evaluated: number;
  allowed: number;
  byBasis: Partial<Record<string, number>>;
  blocked: Partial<Record<string, number>>;
  asOf: string;
}

/** Counts as shown to such a person: null where the count is between 1 and minGroup − 1 (0 is shown: it names nobody). */
export interface ShownCounts {
  asOf: string;
  evaluated: number | null;
  allowed: number | null;
  byBasis: Record<string, number | null>;
  blocked: Record<string, number | null>;
  /** Set when counts were withheld: the minimum group size they were held to. */
  suppressedBelow?: number;
}

export function withoutSmallGroups(counts: GroupCounts, minGroup: number): ShownCounts {
  const small = (n: number): boolean => n > 0 && n < minGroup;
  // A small selection shows nothing but its smallness: no breakdown, no totals.
  if (small(counts.evaluated)) return { ...counts, evaluated: null, allowed: null, byBasis: {}, blocked: {}, suppressedBelow: minGroup };
  const cell = (n: number): number | null => (small(n) ? null : n);
  const cells = (r: Partial<Record<string, number>>): [string, number][] => Object.entries(r).filter((e): e is [string, number] => e[1] !== undefined);
  const byBasis = Object.fromEntries(cells(counts.byBasis).map(([k, n]) => [k, cell(n)]));
  const blocked = Object.fromEntries(cells(counts.blocked).map(([k, n]) => [k, cell(n)]));
  const withheld = [counts.allowed, ...cells(counts.byBasis).map(([, n]) => n), ...cells(counts.blocked).map(([, n]) => n)].some(small);
  return { ...counts, allowed: cell(counts.allowed), byBasis, blocked, ...(withheld ? { suppressedBelow: minGroup } : {}) };
}
