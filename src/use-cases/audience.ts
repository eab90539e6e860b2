/**
 * Use case: the rules of the decision over a whole audience, set-based. The store groups customers
 * by their eligibility facts in one query; each group is evaluated once with the same `evaluate`
 * the per-customer decision uses.
 */
import { DomainError } from '../core/errors.ts';
import { robinsonRegisteredSince } from '../core/decide.ts';
import type { EligibilityFacts } from '../core/eligibility-facts.ts';
import { evaluate, type Verdict } from '../core/evaluate.ts';
import type { AudienceFilter, AudienceQuery, AudienceStore, CatalogueStore } from '../core/ports.ts';
import type { CustomerId, Instant, Sku } from '../core/records.ts';
import type { SegmentStore } from '../core/segments/ports.ts';
import type { DecisionSettings } from '../core/settings.ts';
import { minusMonths } from '../core/time.ts';
import type { Basis, BlockingReason, Channel, Purpose } from '../core/vocabulary.ts';
import { requireProduct } from './decide-for-customer.ts';

export interface AudienceDeps {
  audience: AudienceStore;
  catalogue: CatalogueStore;
  settings: DecisionSettings;
  /** Where a filter names a segment: checked to exist and to have been computed. */
  segments?: Pick<SegmentStore, 'get'>;
}

export interface AudienceInput {
  purpose: Purpose;
  channel: Channel;
  sku: Sku | null;
  at: Instant;
  filter: AudienceFilter;
}

export interface AudienceCounts {
  evaluated: number;
  allowed: number;
  byBasis: Partial<Record<Basis, number>>;
  /** Customers blocked by each reason; a customer blocked for two reasons counts under both. */
  blocked: Partial<Record<BlockingReason, number>>;
  asOf: Instant;
}

/** The store-level query for an audience question: the product's category and the windows as of `at`. */
export async function resolveAudienceQuery(deps: Pick<AudienceDeps, 'catalogue' | 'settings' | 'segments'>, input: AudienceInput): Promise<AudienceQuery> {
  const [product] = await Promise.all([requireProduct(deps.catalogue, input.sku), requireKnownFilter(deps, input.filter)]);
  return {
    purpose: input.purpose,
    channel: input.channel,
    productCategory: product?.category ?? null,
    at: input.at,
    softOptInWindowStart: minusMonths(input.at, deps.settings.softOptInMonths),
    phoneRobinsonSince: robinsonRegisteredSince(input.at, deps.settings),
    filter: input.filter,
  };
}

/**
 * Refuses a filter on a product there is none of (UNKNOWN_PRODUCT, field `orderedSku`), as an unknown
 * marketed product is refused: a misspelt sku would otherwise select nobody, silently.
 */
export async function requireKnownFilter(deps: { catalogue: CatalogueStore; segments?: Pick<SegmentStore, 'get'> }, filter: AudienceFilter): Promise<void> {
  if (filter.orderedSku !== undefined && (await deps.catalogue.getProduct(filter.orderedSku)) === null) {
    throw new DomainError('UNKNOWN_PRODUCT', `no product with sku ${filter.orderedSku}`, { field: 'orderedSku' });
  }
  if (filter.segment !== undefined && deps.segments !== undefined) {
    const segment = await deps.segments.get(filter.segment);
    if (segment === null) throw new DomainError('NOT_FOUND', `no segment ${filter.segment}`, { field: 'segment' });
    if (segment.computedAt === null) {
      throw new DomainError('VALIDATION_FAILED', `segment ${filter.segment} has no members yet: refresh it first (lupa segments refresh ${filter.segment})`, { field: 'segment' });
    }
  }
}

function verdictFor(query: AudienceQuery, facts: EligibilityFacts): Verdict {
  return evaluate({ purpose: query.purpose, channel: query.channel, hasProduct: query.productCategory !== null }, facts);
}

export async function audienceCounts(deps: AudienceDeps, input: AudienceInput): Promise<AudienceCounts> {
  const query = await resolveAudienceQuery(deps, input);
  const counts: AudienceCounts = { evaluated: 0, allowed: 0, byBasis: {}, blocked: {}, asOf: input.at };
  for (const group of await deps.audience.factGroups(query)) {
    const verdict = verdictFor(query, group.facts);
    counts.evaluated += group.customers;
    if (verdict.allowed) {
      counts.allowed += group.customers;
      counts.byBasis[verdict.basis] = (counts.byBasis[verdict.basis] ?? 0) + group.customers;
    } else {
      for (const reason of verdict.reasons) counts.blocked[reason] = (counts.blocked[reason] ?? 0) + group.customers;
    }
  }
  return counts;
}

/** The customers the audience does not allow, with every reason, in id order. */
export async function* blockedCustomers(deps: AudienceDeps, input: AudienceInput): AsyncIterable<{ customerId: CustomerId; reasons: readonly BlockingReason[] }> {
  const query = await resolveAudienceQuery(deps, input);
  for await (const row of deps.audience.streamFacts(query)) {
    const verdict = verdictFor(query, row.facts);
    if (!verdict.allowed) yield { customerId: row.customerId, reasons: verdict.reasons };
  }
}

/** The customers the audience allows, with the basis each rests on, in id order. */
export async function* allowedCustomers(
  deps: AudienceDeps,
  input: AudienceInput,
  paging: { after?: CustomerId | null; pageSize?: number | undefined } = {},
): AsyncIterable<{ customerId: CustomerId; basis: Basis }> {
  const query = await resolveAudienceQuery(deps, input);
  for await (const row of deps.audience.streamFacts(query, paging.pageSize, paging.after ?? undefined)) {
    const verdict = verdictFor(query, row.facts);
    if (verdict.allowed) yield { customerId: row.customerId, basis: verdict.basis };
  }
}
