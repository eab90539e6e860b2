/**
 * No singling out through counts (GDPR recital 26; compliance.md §2 rule 11 uses the same minimum
 * for survey answers): a person who may not read customer records sees no count of fewer than
 * `minGroup` people. A filter that narrows to a handful of customers would otherwise tell that
 * handful's consent and objection state one by one.
 *
 * Hiding the small cells alone is not enough when the cells add up to a total that is shown: with
 * 1,000 evaluated and 997 allowed, the three blocked people are told by subtraction, and with
 * 1,000 allowed and a basis of 997, the hidden other basis is 3. So the answer is protected as
 * statistical offices protect a table (secondary suppression): within the partition
 * evaluated = not allowed + Σ allowed by basis, the hidden cells always hold at least `minGroup`
 * people between them, more cells being hidden, smallest first, until they do.
 */

/** The counts of an audience question (use-cases/audience.ts). */
export interface GroupCounts {
  evaluated: number;
  allowed: number;
  byBasis: Partial<Record<string, number>>;
  blocked: Partial<Record<string, number>>;
  asOf: string;
}

/** Counts as shown to such a person: null where the count is withheld (0 is shown: it names nobody). */
export interface ShownCounts {
  asOf: string;
  evaluated: number | null;
  allowed: number | null;
  byBasis: Record<string, number | null>;
  blocked: Record<string, number | null>;
  /** Set when counts were withheld: the minimum group size they were held to. */
  suppressedBelow?: number;
}

/** The key under which the not-allowed remainder (evaluated − allowed, never shown) takes part. */
const NOT_ALLOWED = '\u0000not-allowed';

/**
 * `counts` as shown to a person who may not read customer records. Withheld: every count of 1 to
 * `minGroup` − 1; a whole selection that small (no breakdown at all); and, so that nothing withheld
 * is told by subtraction, further cells of the partition above, smallest first, and `allowed`
 * whenever the not-allowed remainder is withheld. Blocking reasons overlap (one customer may count
 * under two), so they are no partition; a reason that counts every blocked customer would still
 * give the remainder away, and is withheld with it.
 */
export function withoutSmallGroups(counts: GroupCounts, minGroup: number): ShownCounts {
  const small = (n: number): boolean => n > 0 && n < minGroup;
  // A small selection shows nothing but its smallness: no breakdown, no totals.
  if (small(counts.evaluated)) return { ...counts, evaluated: null, allowed: null, byBasis: {}, blocked: {}, suppressedBelow: minGroup };
  const cells = (r: Partial<Record<string, number>>): [string, number][] => Object.entries(r).filter((e): e is [string, number] => e[1] !== undefined);
  const notAllowed = counts.evaluated - counts.allowed;
  const partition = new Map<string, number>([[NOT_ALLOWED, notAllowed], ...cells(counts.byBasis)]);
  const hidden = secondarySuppression(partition, minGroup);
  const cell = (key: string, n: number): number | null => (hidden.has(key) ? null : n);
  const byBasis = Object.fromEntries(cells(counts.byBasis).map(([k, n]) => [k, cell(k, n)]));
  const remainderHidden = hidden.has(NOT_ALLOWED);
  const blocked = Object.fromEntries(cells(counts.blocked).map(([k, n]) => [k, small(n) || (remainderHidden && n === notAllowed) ? null : n]));
  // Allowed = Σ by basis, so it is withheld only with the remainder (evaluated − allowed).
  const allowed = remainderHidden ? null : counts.allowed;
  const withheld = hidden.size > 0 || Object.values(blocked).some((n) => n === null);
  return { asOf: counts.asOf, evaluated: counts.evaluated, allowed, byBasis, blocked, ...(withheld ? { suppressedBelow: minGroup } : {}) };
}

/**
 * The keys to withhold in one partition of a shown total (counts ≥ 0): every small count, then,
 * while the withheld hold fewer than `minGroup` people between them, the smallest count still
 * shown (zeros excepted: a zero names nobody and hides nothing).
 */
export function secondarySuppression(partition: ReadonlyMap<string, number>, minGroup: number): Set<string> {
  const hidden = new Set([...partition].filter(([, n]) => n > 0 && n < minGroup).map(([k]) => k));
  const held = (): number => [...hidden].reduce((sum, k) => sum + (partition.get(k) ?? 0), 0);
  const shownByAscending = [...partition].filter(([k, n]) => n > 0 && !hidden.has(k)).sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : 1));
  for (const [key] of shownByAscending) {
    if (hidden.size === 0 || held() >= minGroup) break;
    hidden.add(key);
  }
  return hidden;
}

/**
 * One count (a segment's members) as shown to a person who may not read customer records: null for
 * 1 to `minGroup` − 1, otherwise rounded to the nearest multiple of `minGroup` (statistical offices'
 * rounding to base 5). Two counts that differ by a handful of people, such as a rule with and without
 * one more condition, would otherwise tell that handful by subtraction; rounded, they differ by a
 * multiple of the base or not at all.
 */
export function roundedCount(n: number, minGroup: number): number | null {
  if (n === 0) return 0;
  if (n < minGroup) return null;
  return Math.max(minGroup, Math.round(n / minGroup) * minGroup);
}
