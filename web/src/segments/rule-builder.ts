/**
 * The segment builder's simple form: one group (all or any) of condition rows, each maybe negated,
 * to and from the rule language (docs/segments-and-predictions.md). A stored rule that the form
 * cannot show (nested groups, several fields in one orders condition) is edited as JSON instead.
 */
import type { SegmentRule } from '../../../src/core/segments/rule.ts';

export const ROW_KINDS = [
  'city',
  'postalCodePrefix',
  'locale',
  'kind',
  'orderedCategory',
  'activeCategory',
  'orderedWithinDays',
  'consentEmail',
  'consentSms',
  'openedWithinDays',
  'clickedWithinDays',
  'interestAny',
  'interestStated',
  'interestInferred',
] as const;
export type RowKind = (typeof ROW_KINDS)[number];

export interface BuilderRow {
  kind: RowKind;
  /** Text, a choice, or a number of days as text. */
  value: string;
  negate: boolean;
}

export interface BuilderState {
  match: 'all' | 'any';
  rows: BuilderRow[];
}

/** Rows whose value is a number of days. */
export const DAY_ROWS: readonly RowKind[] = ['orderedWithinDays', 'openedWithinDays', 'clickedWithinDays'];
/** Rows whose value is an interest topic, by the interest's source. */
export const INTEREST_ROWS = { interestAny: 'any', interestStated: 'stated', interestInferred: 'inferred' } as const satisfies Partial<Record<RowKind, string>>;
/** Rows that need no value. */
export const VALUELESS_ROWS: readonly RowKind[] = ['consentEmail', 'consentSms'];

function conditionOf(row: BuilderRow): SegmentRule {
  const days = Number(row.value);
  switch (row.kind) {
    case 'city':
      return { attribute: 'city', equals: row.value };
    case 'postalCodePrefix':
      return { attribute: 'postalCode', startsWith: row.value };
    case 'locale':
      return { attribute: 'locale', equals: row.value };
    case 'kind':
      return { attribute: 'kind', equals: row.value };
    case 'orderedCategory':
      return { orders: { category: [row.value] } };
    case 'activeCategory':
      return { orders: { category: [row.value], active: true } };
    case 'orderedWithinDays':
      return { orders: { started: { withinDays: days } } };
    case 'consentEmail':
      return { consent: { purpose: 'marketing', channel: 'email' } };
    case 'consentSms':
      return { consent: { purpose: 'marketing', channel: 'sms' } };
    case 'openedWithinDays':
      return { engagement: { event: 'open', withinDays: days } };
    case 'clickedWithinDays':
      return { engagement: { event: 'click', withinDays: days } };
    case 'interestAny':
    case 'interestStated':
    case 'interestInferred':
      return { interest: { topic: row.value, source: INTEREST_ROWS[row.kind] } };
  }
}

/** The rule the form says; the server checks it (INVALID_SEGMENT_RULE names the row as `rule.all.N`). */
export function ruleOf(state: BuilderState): SegmentRule {
  const conditions = state.rows.map((row) => (row.negate ? { not: conditionOf(row) } : conditionOf(row)));
  return state.match === 'all' ? { all: conditions } : { any: conditions };
}

function rowOf(rule: SegmentRule): Omit<BuilderRow, 'negate'> | null {
  const keys = Object.keys(rule);
  if ('attribute' in rule) {
    if (rule.attribute === 'city' && rule.equals !== undefined) return { kind: 'city', value: rule.equals };
    if (rule.attribute === 'postalCode' && rule.startsWith !== undefined) return { kind: 'postalCodePrefix', value: rule.startsWith };
    if (rule.attribute === 'locale' && rule.equals !== undefined) return { kind: 'locale', value: rule.equals };
    if (rule.attribute === 'kind' && rule.equals !== undefined) return { kind: 'kind', value: rule.equals };
    return null;
  }
  if ('orders' in rule && keys.length === 1) {
    const o = rule.orders;
    const fields = Object.keys(o).sort().join(',');
    if (fields === 'category' && o.category?.length === 1) return { kind: 'orderedCategory', value: o.category[0] ?? '' };
    if (fields === 'active,category' && o.active === true && o.category?.length === 1) return { kind: 'activeCategory', value: o.category[0] ?? '' };
    if (fields === 'started' && o.started !== undefined && Object.keys(o.started).join() === 'withinDays') return { kind: 'orderedWithinDays', value: String(o.started.withinDays) };
    return null;
  }
  if ('consent' in rule && rule.consent.purpose === 'marketing') {
    if (rule.consent.channel === 'email') return { kind: 'consentEmail', value: '' };
    if (rule.consent.channel === 'sms') return { kind: 'consentSms', value: '' };
    return null;
  }
  if ('interest' in rule && rule.interest.minWeight === undefined) {
    const kind = (Object.keys(INTEREST_ROWS) as (keyof typeof INTEREST_ROWS)[]).find((k) => INTEREST_ROWS[k] === rule.interest.source);
    return kind === undefined ? null : { kind, value: rule.interest.topic };
  }
  if ('engagement' in rule && rule.engagement.campaignId === undefined) {
    return { kind: rule.engagement.event === 'open' ? 'openedWithinDays' : 'clickedWithinDays', value: String(rule.engagement.withinDays) };
  }
  return null;
}

/** The form for a stored rule, or null when the rule needs the JSON editor. */
export function builderOf(rule: SegmentRule): BuilderState | null {
  const group = 'all' in rule ? { match: 'all' as const, children: rule.all } : 'any' in rule ? { match: 'any' as const, children: rule.any } : { match: 'all' as const, children: [rule] };
  const rows: BuilderRow[] = [];
  for (const child of group.children) {
    const negate = 'not' in child;
    const row = rowOf('not' in child ? child.not : child);
    if (row === null) return null;
    rows.push({ ...row, negate });
  }
  return { match: group.match, rows };
}

/** The first row (0-based) whose number of days is not a whole number from 1 to 3650, or null. */
export function badDaysRow(state: BuilderState): number | null {
  const i = state.rows.findIndex((r) => DAY_ROWS.includes(r.kind) && r.value.trim() !== '' && !(/^\d+$/.test(r.value.trim()) && Number(r.value) >= 1 && Number(r.value) <= 3650));
  return i < 0 ? null : i;
}

/** Whether every row has what it needs, so the rule is worth counting. */
export function complete(state: BuilderState): boolean {
  return (
    state.rows.length > 0 &&
    state.rows.every((r) => VALUELESS_ROWS.includes(r.kind) || (DAY_ROWS.includes(r.kind) ? /^[1-9]\d*$/.test(r.value) : r.value.trim() !== ''))
  );
}

/** What a row still lacks, by the kind of value it takes: the sentence's key (`segments.missing.*`). */
export type MissingValue = 'city' | 'postalCode' | 'locale' | 'kind' | 'category' | 'days' | 'topic';

function missingOf(row: BuilderRow): MissingValue | null {
  if (VALUELESS_ROWS.includes(row.kind)) return null;
  if (DAY_ROWS.includes(row.kind)) return /^[1-9]\d*$/.test(row.value.trim()) ? null : 'days';
  if (row.value.trim() !== '') return null;
  if (row.kind in INTEREST_ROWS) return 'topic';
  switch (row.kind) {
    case 'city':
      return 'city';
    case 'postalCodePrefix':
      return 'postalCode';
    case 'locale':
      return 'locale';
    case 'kind':
      return 'kind';
    default:
      return 'category';
  }
}

/** Every row (0-based) that lacks its value, with what it lacks: what the builder names before anything is sent. */
export function missingValues(state: BuilderState): { index: number; missing: MissingValue }[] {
  return state.rows.flatMap((row, index) => {
    const missing = missingOf(row);
    return missing === null ? [] : [{ index, missing }];
  });
}
