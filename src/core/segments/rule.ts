/**
 * The segment rule language (docs/segments-and-predictions.md): a tree of `all` / `any` / `not`
 * over conditions on a customer's attributes, orders, ledger state and engagement, evaluated as of
 * one instant. Parsed and bounded here, compiled to one SQL statement per dialect in
 * src/storage/segments/segment-sql.ts, and evaluated in memory by `evaluate-rule.ts` (which the
 * property test holds equal to the SQL).
 *
 * Every condition is about records at or before the instant; a customer who may not be profiled
 * (compliance.md §2 rule 7) is in no segment whatever the rule says.
 */
import { z } from 'zod';
import { DomainError } from '../errors.ts';
import { english, phrase, PHRASES_EN, type Phrase, type PhraseCode } from '../phrases.ts';
import { CHANNELS, PURPOSES, SALES_CHANNELS } from '../vocabulary.ts';

export const ATTRIBUTE_NAMES = ['kind', 'locale', 'country', 'city', 'postalCode'] as const;
export type AttributeName = (typeof ATTRIBUTE_NAMES)[number];

/** At most this many nodes and this depth: a rule is compiled into one statement, so its size bounds the work. */
export const MAX_RULE_NODES = 100;
export const MAX_RULE_DEPTH = 8;
/** Relative windows reach back at most ten years. */
export const MAX_WINDOW_DAYS = 3650;

/** An instant in the one stored spelling (milliseconds and Z), so text order is time order on SQLite too. */
const isoInstant = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?Z)?$/, 'rule_date')
  .refine((v) => !Number.isNaN(Date.parse(v)) && Number(v.slice(0, 4)) >= 1900 && Number(v.slice(0, 4)) <= 2200, 'rule_date_range')
  .transform((v) => new Date(v).toISOString());
const days = z.number().int().min(1).max(MAX_WINDOW_DAYS);

/** Bounds on a time: before (exclusive), after (inclusive), or within the last N days of the instant. */
const timeWindow = z
  .object({ before: isoInstant.optional(), after: isoInstant.optional(), withinDays: days.optional() })
  .strict()
  .refine((w) => w.before !== undefined || w.after !== undefined || w.withinDays !== undefined, 'rule_window');
export type TimeWindow = z.infer<typeof timeWindow>;

const nonEmptyList = z.array(z.string().min(1).max(200)).min(1).max(200);

const attributeCondition = z
  .object({
    attribute: z.enum(ATTRIBUTE_NAMES),
    equals: z.string().max(200).optional(),
    in: nonEmptyList.optional(),
    startsWith: z.string().min(1).max(50).optional(),
  })
  .strict()
  .refine((c) => [c.equals, c.in, c.startsWith].filter((v) => v !== undefined).length === 1, 'rule_attribute_one');

/** The customer has at least one order that matches every field given. */
const orderCondition = z
  .object({
    orders: z
      .object({
        sku: nonEmptyList.optional(),
        category: nonEmptyList.optional(),
        soldVia: z.array(z.enum(SALES_CHANNELS)).min(1).optional(),
        active: z.boolean().optional(),
        started: timeWindow.optional(),
        ended: timeWindow.optional(),
      })
      .strict(),
  })
  .strict();

/** The latest consent record for the purpose on the channel (or on every channel) is a grant. */
const consentCondition = z.object({ consent: z.object({ purpose: z.enum(PURPOSES), channel: z.enum(CHANNELS) }).strict() }).strict();

/** A person (not a machine) opened or clicked a message, of one campaign or of any, within N days. */
const engagementCondition = z
  .object({
    engagement: z.object({ event: z.enum(['open', 'click']), withinDays: days, campaignId: z.number().int().positive().optional() }).strict(),
  })
  .strict();

/**
 * The customer did something on the company's sites within N days [S26]: an event of lupa.js
 * (`page_view`, `subscription_started`, …), optionally on pages under a path and on one site. Only
 * visitors with `site_ads` consent are kept per visitor, and only signed-in ones have a customer, so
 * no one is selected by what they did without consent (compliance.md §2 rule 9).
 */
const siteEventCondition = z
  .object({
    siteEvent: z
      .object({
        name: z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, 'rule_event_name'),
        withinDays: days,
        pagePrefix: z.string().regex(/^\/[^?#\s]{0,199}$/, 'rule_page_prefix').optional(),
        site: z.string().min(1).max(100).optional(),
      })
      .strict(),
  })
  .strict();

/** The customer's score of a prediction model (docs/segments-and-predictions.md, "Predictions") lies in [atLeast, below). */
const scoreCondition = z
  .object({
    score: z
      .object({ model: z.number().int().positive(), atLeast: z.number().min(0).max(1).optional(), below: z.number().min(0).max(1).optional() })
      .strict()
      .refine((s) => s.atLeast !== undefined || s.below !== undefined, 'rule_score_bounds'),
  })
  .strict();

/**
 * The customer is interested in a topic (docs/segments-and-predictions.md, "Interests"): `stated`,
 * their latest stated record for it is `interested`; `inferred`, an inferred weight of at least
 * `minWeight` (default: any) and no latest `not_interested`; `any`, either.
 */
const interestCondition = z
  .object({
    interest: z
      .object({
        topic: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, 'rule_topic_code'),
        source: z.enum(['stated', 'inferred', 'any']),
        minWeight: z.number().min(0).max(1).optional(),
      })
      .strict()
      .refine((c) => c.minWeight === undefined || c.source !== 'stated', 'rule_min_weight'),
  })
  .strict();

const quintiles = z.array(z.number().int().min(1).max(5)).min(1).max(5);

/** The customer's RFM quintiles (src/core/segments/rfm.ts) are among those listed, for each measure given. */
const rfmCondition = z
  .object({
    rfm: z
      .object({ recency: quintiles.optional(), frequency: quintiles.optional(), monetary: quintiles.optional() })
      .strict()
      .refine((r) => r.recency !== undefined || r.frequency !== undefined || r.monetary !== undefined, 'rule_rfm'),
  })
  .strict();

export type AttributeCondition = z.infer<typeof attributeCondition>;
export type InterestCondition = z.infer<typeof interestCondition>['interest'];
export type ScoreCondition = z.infer<typeof scoreCondition>['score'];
export type OrderCondition = z.infer<typeof orderCondition>['orders'];
export type ConsentCondition = z.infer<typeof consentCondition>['consent'];
export type EngagementCondition = z.infer<typeof engagementCondition>['engagement'];
export type RfmCondition = z.infer<typeof rfmCondition>['rfm'];
export type SiteEventCondition = z.infer<typeof siteEventCondition>['siteEvent'];

export type SegmentRule =
  | { all: SegmentRule[] }
  | { any: SegmentRule[] }
  | { not: SegmentRule }
  | AttributeCondition
  | { orders: OrderCondition }
  | { consent: ConsentCondition }
  | { engagement: EngagementCondition }
  | { score: ScoreCondition }
  | { interest: InterestCondition }
  | { rfm: RfmCondition }
  | { siteEvent: SiteEventCondition };

export const segmentRuleSchema: z.ZodType<SegmentRule> = z.lazy(() =>
  z.union([
    z.object({ all: z.array(segmentRuleSchema).min(1) }).strict(),
    z.object({ any: z.array(segmentRuleSchema).min(1) }).strict(),
    z.object({ not: segmentRuleSchema }).strict(),
    attributeCondition,
    orderCondition,
    consentCondition,
    engagementCondition,
    scoreCondition,
    interestCondition,
    rfmCondition,
    siteEventCondition,
  ]),
);

/**
 * A rule from untrusted JSON, checked for shape and size.
 * @throws DomainError INVALID_SEGMENT_RULE with `details.path` (e.g. `all.1.orders.started`), the
 *   problem in English (`details.problem`) and as a phrase (`details.says`, core/phrases.ts `rule_*`)
 *   for the console to say in its reader's language.
 */
export function parseSegmentRule(input: unknown): SegmentRule {
  // Sized before the schema sees it: the schema and the fault finders recurse, and a rule nested
  // some 1,500 levels deep overflowed the stack (a 500 instead of this answer).
  const raw = rawSize(input);
  if (raw.nodes > MAX_RULE_NODES || raw.depth > MAX_RULE_DEPTH) throw tooLarge(raw, false);
  const result = segmentRuleSchema.safeParse(input);
  if (!result.success) {
    const issue = nodeIssue(input, []) ?? deepestIssue(input, result.error.issues);
    throw invalidRule(issue.path.join('.'), issue.says);
  }
  const size = measure(result.data);
  if (size.nodes > MAX_RULE_NODES || size.depth > MAX_RULE_DEPTH) throw tooLarge(size, true);
  return result.data;
}

/** `exact`: the sizes were counted whole (else counting stopped past a limit: "more than"). */
function tooLarge(size: { nodes: number; depth: number }, exact: boolean): DomainError {
  const says = phrase('rule_too_large', { nodes: MAX_RULE_NODES, depth: MAX_RULE_DEPTH });
  const has = exact ? `it has ${size.nodes} conditions, ${size.depth} levels` : size.depth > MAX_RULE_DEPTH ? `it has more than ${MAX_RULE_DEPTH} levels` : `it has more than ${MAX_RULE_NODES} conditions`;
  return new DomainError('INVALID_SEGMENT_RULE', `segment rule is ${english(says)} (${has})`, {
    field: 'rule',
    details: { path: '', problem: 'too large', says, nodes: size.nodes, depth: size.depth },
  });
}

/**
 * Conditions and levels of a rule as written, whatever its shape, without recursion: every value
 * under `all`, `any` and `not` is a condition one level down. Stops counting once past the limits.
 */
function rawSize(input: unknown): { nodes: number; depth: number } {
  const stack: [unknown, number][] = [[input, 1]];
  let nodes = 0;
  let depth = 0;
  while (stack.length > 0 && nodes <= MAX_RULE_NODES && depth <= MAX_RULE_DEPTH) {
    const [node, level] = stack.pop() as [unknown, number];
    nodes += 1;
    depth = Math.max(depth, level);
    if (typeof node !== 'object' || node === null) continue;
    const n = node as Record<string, unknown>;
    for (const key of ['all', 'any'] as const) if (Array.isArray(n[key])) for (const child of n[key] as unknown[]) stack.push([child, level + 1]);
    if ('not' in n) stack.push([n.not, level + 1]);
  }
  return { nodes, depth };
}

/** INVALID_SEGMENT_RULE at `path` (`all.1.interest.topic`; '' for the whole rule), field `rule.<path>`. */
export function invalidRule(path: string, says: Phrase): DomainError {
  const problem = english(says);
  return new DomainError('INVALID_SEGMENT_RULE', `segment rule${path === '' ? '' : ` at ${path}`}: ${problem}`, {
    field: path === '' ? 'rule' : `rule.${path}`,
    details: { path, problem, says },
  });
}

const NODE_KINDS = ['all', 'any', 'not', 'attribute', 'orders', 'consent', 'engagement', 'score', 'rfm', 'interest', 'siteEvent'] as const;

/** The schema of each kind of leaf condition, to check a node against its own kind only. */
const LEAF_SCHEMAS: Record<Exclude<(typeof NODE_KINDS)[number], 'all' | 'any' | 'not'>, z.ZodType> = {
  attribute: attributeCondition,
  orders: orderCondition,
  consent: consentCondition,
  engagement: engagementCondition,
  score: scoreCondition,
  interest: interestCondition,
  rfm: rfmCondition,
  siteEvent: siteEventCondition,
};

interface RuleIssue {
  path: PropertyKey[];
  says: Phrase;
}

/**
 * The first wrong node, judged by the kind its key names: `{"attribute": {"name": "shoesize"}}` is
 * a wrong attribute (at `attribute.name`), not a failed guess that it was meant as an `all`. Null
 * when every node is right by its own kind (what is left, such as an extra key, the union tells).
 */
function nodeIssue(node: unknown, path: PropertyKey[]): RuleIssue | null {
  const kindList = NODE_KINDS.join(', ');
  if (typeof node !== 'object' || node === null || Array.isArray(node)) return { path, says: phrase('rule_not_object', { kinds: kindList }) };
  const record = node as Record<string, unknown>;
  const kinds = NODE_KINDS.filter((k) => k in record);
  if (kinds.length === 0) return { path, says: phrase('rule_unknown_condition', { keys: Object.keys(record).map((k) => `"${k}"`).join(', ') || '{}', kinds: kindList }) };
  if (kinds.length > 1) return { path, says: phrase('rule_one_condition', { kinds: kinds.join(' + ') }) };
  const kind = kinds[0] as (typeof NODE_KINDS)[number];
  if (kind === 'all' || kind === 'any') {
    const children = record[kind];
    if (!Array.isArray(children) || children.length === 0) return { path: [...path, kind], says: phrase('rule_empty_list') };
    for (const [i, child] of children.entries()) {
      const found = nodeIssue(child, [...path, kind, i]);
      if (found !== null) return found;
    }
    return null;
  }
  if (kind === 'not') return nodeIssue(record.not, [...path, 'not']);
  const result = LEAF_SCHEMAS[kind].safeParse(node);
  if (result.success) return null;
  const issue = deepestIssue(node, result.error.issues);
  return { path: [...path, ...issue.path], says: issue.says };
}

/** The union's most specific complaint: the issue that reached deepest into the input. */
function deepestIssue(input: unknown, issues: readonly z.core.$ZodIssue[]): RuleIssue {
  const first = issues[0];
  let best: RuleIssue = { path: first?.path ?? [], says: first === undefined ? phrase('rule_invalid', { problem: 'invalid' }) : issuePhrase(input, first, first.path) };
  const visit = (list: readonly z.core.$ZodIssue[], prefix: PropertyKey[]): void => {
    for (const issue of list) {
      const path = [...prefix, ...issue.path];
      if (issue.code === 'invalid_union') {
        for (const branch of issue.errors) visit(branch, path);
      } else if (path.length > best.path.length) best = { path, says: issuePhrase(input, issue, path) };
    }
  };
  visit(issues, []);
  return best;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of path) value = typeof value === 'object' && value !== null ? (value as Record<PropertyKey, unknown>)[key] : undefined;
  return value;
}

const EXPECTED: Record<string, PhraseCode> = {
  number: 'rule_expected_number',
  int: 'rule_expected_whole_number',
  string: 'rule_expected_text',
  boolean: 'rule_expected_boolean',
  array: 'rule_expected_list',
  object: 'rule_expected_object',
};

/**
 * A zod issue as a phrase: the rule's own messages are phrase codes already (`rule_date`), and
 * zod's codes map to one each; anything else keeps zod's English (`rule_invalid`).
 */
function issuePhrase(input: unknown, issue: z.core.$ZodIssue, path: readonly PropertyKey[]): Phrase {
  if (issue.message.startsWith('rule_') && issue.message in PHRASES_EN) return phrase(issue.message as PhraseCode);
  switch (issue.code) {
    case 'invalid_type': {
      if (valueAt(input, path) === undefined) return phrase('rule_missing');
      const code = EXPECTED[issue.expected];
      return code === undefined ? phrase('rule_invalid', { problem: issue.message }) : phrase(code);
    }
    case 'too_small':
      if (issue.origin === 'array') return phrase('rule_list_empty');
      if (issue.origin === 'string') return phrase('rule_text_empty');
      return phrase('rule_at_least', { minimum: Number(issue.minimum) });
    case 'too_big':
      if (issue.origin === 'array') return phrase('rule_list_at_most', { maximum: Number(issue.maximum) });
      if (issue.origin === 'string') return phrase('rule_text_at_most', { maximum: Number(issue.maximum) });
      return phrase('rule_at_most', { maximum: Number(issue.maximum) });
    case 'invalid_value': {
      const values = issue.values.map((v) => JSON.stringify(v)).join(', ');
      return phrase(valueAt(input, path) === undefined ? 'rule_missing_one_of' : 'rule_one_of', { values });
    }
    case 'unrecognized_keys':
      return phrase('rule_unknown_keys', { keys: issue.keys.map((k) => `"${k}"`).join(', ') });
    default:
      return phrase('rule_invalid', { problem: issue.message });
  }
}

/**
 * A name a rule refers to outside itself (a topic, a model, a product, a category, a campaign), with
 * the place it is given (`rule.all.1.interest.topic`, `rule.orders.category.0`).
 */
export type RuleReference =
  | { field: string; topic: string }
  | { field: string; model: number }
  | { field: string; sku: string }
  | { field: string; category: string }
  | { field: string; campaign: number };

/** Every topic, model, product, category and campaign the rule names, in the order of the tree. */
export function referencesOf(rule: SegmentRule, path = 'rule'): RuleReference[] {
  if ('interest' in rule) return [{ field: `${path}.interest.topic`, topic: rule.interest.topic }];
  if ('score' in rule) return [{ field: `${path}.score.model`, model: rule.score.model }];
  if ('orders' in rule) {
    const { sku = [], category = [] } = rule.orders;
    return [
      ...sku.map((s, i) => ({ field: `${path}.orders.sku.${i}`, sku: s })),
      ...category.map((c, i) => ({ field: `${path}.orders.category.${i}`, category: c })),
    ];
  }
  if ('engagement' in rule) return rule.engagement.campaignId === undefined ? [] : [{ field: `${path}.engagement.campaignId`, campaign: rule.engagement.campaignId }];
  if ('all' in rule) return rule.all.flatMap((r, i) => referencesOf(r, `${path}.all.${i}`));
  if ('any' in rule) return rule.any.flatMap((r, i) => referencesOf(r, `${path}.any.${i}`));
  if ('not' in rule) return referencesOf(rule.not, `${path}.not`);
  return [];
}

export function measure(rule: SegmentRule): { nodes: number; depth: number } {
  const children = childrenOf(rule);
  const inner = children.map(measure);
  return { nodes: 1 + inner.reduce((n, s) => n + s.nodes, 0), depth: 1 + Math.max(0, ...inner.map((s) => s.depth)) };
}

export function childrenOf(rule: SegmentRule): SegmentRule[] {
  if ('all' in rule) return rule.all;
  if ('any' in rule) return rule.any;
  if ('not' in rule) return [rule.not];
  return [];
}

/**
 * Whether membership can change with the passing of time alone (a window of the last N days, an
 * order being active) or with a model's scores: such a segment is recomputed whole at each refresh, since no write marks the
 * customers it gains or loses. Any other segment changes only with its customers' records.
 */
export function dependsOnTime(rule: SegmentRule): boolean {
  if ('orders' in rule) return rule.orders.active !== undefined || rule.orders.started?.withinDays !== undefined || rule.orders.ended !== undefined;
  // Opens age; scores are rewritten when a model is scored again, inferred interests at each
  // inference, which marks no customer; an RFM quintile moves with everyone else's orders. Stated
  // interests mark their customer (migration 0034).
  if ('engagement' in rule || 'score' in rule || 'rfm' in rule || 'siteEvent' in rule) return true;
  if ('interest' in rule) return rule.interest.source !== 'stated';
  return childrenOf(rule).some(dependsOnTime);
}
