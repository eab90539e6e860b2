/**
 * Segments as people manage them (CLI `lupa segments`, `/v1/segments`, the console's segment
 * builder): create, change and remove a named rule, count a rule live, refresh membership.
 * Rules are checked by `parseSegmentRule`; membership is computed by the store, set-based.
 */
import { DomainError } from '../../core/errors.ts';
import type { Instant } from '../../core/records.ts';
import type { RuleNames, Segment, SegmentRefresh, SegmentStore } from '../../core/segments/ports.ts';
import { RFM_LANGUAGES, RFM_SEGMENTS, type RfmLanguage } from '../../core/segments/rfm.ts';
import { invalidRule, parseSegmentRule, referencesOf, type RuleReference, type SegmentRule } from '../../core/segments/rule.ts';
import { phrase, type Phrase } from '../../core/phrases.ts';
import { requireNotFuture } from '../../core/time.ts';

export interface SegmentDeps {
  segments: SegmentStore;
  now: () => Instant;
}

export interface SegmentInput {
  name: string;
  description?: string | null;
  /** The rule tree as JSON (docs/segments-and-predictions.md). */
  rule: unknown;
}

const MAX_NAME = 100;

function requireName(name: string): string {
  const trimmed = name.trim();
  if (trimmed === '' || trimmed.length > MAX_NAME) throw new DomainError('VALIDATION_FAILED', `a segment needs a name of 1 to ${MAX_NAME} characters`, { field: 'name' });
  return trimmed;
}

/**
 * The rule checked for shape and size, and for the topics, models, products, categories and
 * campaigns it names: a misspelt one would otherwise count 0 members and say nothing.
 * @throws INVALID_SEGMENT_RULE naming the place (`rule.all.1.interest.topic`)
 */
export async function checkedRule(deps: Pick<SegmentDeps, 'segments'>, input: unknown): Promise<SegmentRule> {
  const rule = parseSegmentRule(input);
  const refs = referencesOf(rule);
  if (refs.length === 0) return rule;
  const known = await deps.segments.existing({
    topics: refs.flatMap((r) => ('topic' in r ? [r.topic] : [])),
    models: refs.flatMap((r) => ('model' in r ? [r.model] : [])),
    skus: refs.flatMap((r) => ('sku' in r ? [r.sku] : [])),
    categories: refs.flatMap((r) => ('category' in r ? [r.category] : [])),
    campaigns: refs.flatMap((r) => ('campaign' in r ? [r.campaign] : [])),
  });
  for (const ref of refs) {
    const says = unknownReference(ref, known);
    if (says !== null) throw invalidRule(ref.field.slice('rule.'.length), says);
  }
  return rule;
}

/** What is wrong with a name the rule refers to, or null when it exists. */
function unknownReference(ref: RuleReference, known: RuleNames<Set<string>, Set<number>>): Phrase | null {
  if ('topic' in ref) return known.topics.has(ref.topic) ? null : phrase('rule_unknown_topic', { topic: ref.topic });
  if ('model' in ref) return known.models.has(ref.model) ? null : phrase('rule_unknown_model', { model: ref.model });
  if ('sku' in ref) return known.skus.has(ref.sku) ? null : phrase('rule_unknown_sku', { sku: ref.sku });
  if ('category' in ref) return known.categories.has(ref.category) ? null : phrase('rule_unknown_category', { category: ref.category });
  return known.campaigns.has(ref.campaign) ? null : phrase('rule_unknown_campaign', { campaign: ref.campaign });
}

/** @throws VALIDATION_FAILED (name), INVALID_SEGMENT_RULE (with the path), SEGMENT_EXISTS */
export async function createSegment(deps: Pick<SegmentDeps, 'segments' | 'now'>, input: SegmentInput, by: string): Promise<Segment> {
  const name = requireName(input.name);
  const rule = await checkedRule(deps, input.rule);
  return deps.segments.create({ name, description: input.description ?? null, rule, createdBy: by, at: deps.now() });
}

/** A changed rule empties the membership until the next refresh. @throws NOT_FOUND and as createSegment */
export async function updateSegment(deps: Pick<SegmentDeps, 'segments' | 'now'>, id: number, input: Partial<SegmentInput>): Promise<Segment> {
  return deps.segments.update(id, {
    ...(input.name === undefined ? {} : { name: requireName(input.name) }),
    ...(input.description === undefined ? {} : { description: input.description }),
    ...(input.rule === undefined ? {} : { rule: await checkedRule(deps, input.rule) }),
    at: deps.now(),
  });
}

/**
 * @throws NOT_FOUND; SEGMENT_IN_USE naming the campaigns (draft, scheduled, running or paused) whose
 * audience is the segment (`details.campaigns`), or the ad audiences that select it
 * (`details.adAudiences`): without the segment an ad audience could not be synced again, so nobody
 * in it, a withdrawal or objection included, could be removed from the platform.
 */
export async function removeSegment(deps: SegmentDeps, id: number): Promise<void> {
  const using = await deps.segments.campaignsUsing(id);
  if (using.length > 0) {
    throw new DomainError('SEGMENT_IN_USE', `segment ${id} selects the audience of campaign ${using.join(', ')}; cancel or finish them first`, { field: 'id', details: { campaigns: using } });
  }
  const audiences = await deps.segments.adAudiencesUsing(id);
  if (audiences.length > 0) {
    throw new DomainError('SEGMENT_IN_USE', `segment ${id} selects ad audience ${audiences.join(', ')}, whose uploads its syncs keep up to date`, {
      field: 'id',
      details: { campaigns: [], adAudiences: audiences },
    });
  }
  await deps.segments.remove(id);
}

export async function requireSegment(deps: Pick<SegmentDeps, 'segments'>, id: number): Promise<Segment> {
  const segment = await deps.segments.get(id);
  if (segment === null) throw new DomainError('NOT_FOUND', `no segment ${id}`, { field: 'id' });
  return segment;
}

/** Members a rule has now (or as of `at`, not in the future), nothing stored: the builder's live count and `lupa segments count`. @throws INVALID_DATE (field `at`) */
export async function countRule(deps: Pick<SegmentDeps, 'segments' | 'now'>, rule: unknown, at?: Instant): Promise<{ members: number; asOf: Instant }> {
  const now = deps.now();
  // A count is of the records as they stand: a time ahead would count with today's records as if they were then's.
  if (at !== undefined) requireNotFuture(at, now, 'at', 'at');
  const parsed = await checkedRule(deps, rule);
  const asOf = at ?? now;
  // As of an earlier time too, nobody who objects now is counted (rule 7): the count is made now.
  return { members: await deps.segments.count(parsed, asOf, now), asOf };
}

export interface RefreshReport extends SegmentRefresh {
  /** Milliseconds the whole run took (the same for every segment of one run). */
  ms: number;
}

/**
 * Every segment refreshed (incrementally where it can), or one recomputed whole when `id` is given.
 * @throws NOT_FOUND
 */
export async function refreshSegments(deps: Pick<SegmentDeps, 'segments' | 'now'>, id?: number): Promise<RefreshReport[]> {
  const started = performance.now();
  const at = deps.now();
  const runs = id === undefined ? await deps.segments.refreshAll(at) : [await deps.segments.recompute(id, at)];
  const ms = Math.round(performance.now() - started);
  return runs.map((r) => ({ ...r, ms }));
}

/**
 * The ready-made RFM segments (src/core/segments/rfm.ts `RFM_SEGMENTS`) that do not exist yet,
 * named in `lang` (fi, sv or en; default en), created with their members computed now. A segment
 * exists when one carries its name in any of the languages, so running it again, in the same
 * language or another, adds nothing; one renamed since is not recognised and is added again.
 * @returns the segments created (empty when all existed)
 */
export async function addRfmSegments(deps: Pick<SegmentDeps, 'segments' | 'now'>, by: string, lang: RfmLanguage = 'en'): Promise<Segment[]> {
  const existing = new Set((await deps.segments.list()).map((s) => s.name));
  const created: Segment[] = [];
  for (const stock of RFM_SEGMENTS) {
    if (RFM_LANGUAGES.some((l) => existing.has(stock.texts[l].name))) continue;
    const { name, description } = stock.texts[lang];
    const segment = await deps.segments.create({ name, description, rule: stock.rule, createdBy: by, at: deps.now() });
    await deps.segments.recompute(segment.id, deps.now());
    created.push((await deps.segments.get(segment.id)) ?? segment);
  }
  return created;
}
