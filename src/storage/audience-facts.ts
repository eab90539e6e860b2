/**
 * What both audience queries share: the eligibility facts of a customer packed into a few small
 * integers in SQL (so customers group well), and their decoding back into `EligibilityFacts`.
 *
 * supp bits:  1 hard bounce · 2 complaint or unsubscribe · 4 Robinson valid at T
 * order bits: 1 any order · 2 similar · 4 similar with opt-out offered · 8 similar and live ·
 *            16 similar, live and opt-out offered
 */
import type { EligibilityFacts } from '../core/eligibility-facts.ts';
import type { AudienceQuery } from '../core/ports.ts';
import type { Channel } from '../core/vocabulary.ts';

export interface PackedFacts {
  kind: string;
  has_address: number | boolean;
  supp: number | null;
  objection: string | null;
  profiling_objection: string | null;
  consent: string | null;
  orders: number | null;
}

/**
 * Order facts matter only where soft opt-in can apply: e-mail or SMS marketing of a named product.
 * Elsewhere they are not computed (and read as "no orders", which no other rule looks at).
 */
export function needsOrderFacts(query: AudienceQuery): boolean {
  return query.purpose === 'marketing' && (query.channel === 'email' || query.channel === 'sms') && query.productCategory !== null;
}

/** One text key per combination of packed facts; the SQL of each dialect builds the same key. */
export function factsKey(row: PackedFacts): string {
  const text = (v: string | number | null): string => (v === null ? '' : String(v));
  const hasAddress = row.has_address === true || row.has_address === 1 ? '1' : '0';
  return [row.kind, hasAddress, text(row.supp), text(row.objection), text(row.profiling_objection), text(row.consent), text(row.orders)].join('|');
}

/** `factsKey` in SQL, over a row `f` of a facts select; `asText` casts a value to text in the dialect. */
export function factsKeySql(asText: (expr: string) => string): string {
  const part = (column: string): string => `COALESCE(${asText(`f.${column}`)}, '')`;
  return [
    'f.kind',
    "(CASE WHEN f.has_address THEN '1' ELSE '0' END)",
    part('supp'),
    part('objection'),
    part('profiling_objection'),
    part('consent'),
    part('orders'),
  ].join(" || '|' || ");
}

/** The customers column that holds the channel's address (web has none). */
export function addressColumn(channel: Channel): string | null {
  switch (channel) {
    case 'email':
      return 'c.email';
    case 'sms':
    case 'phone':
      return 'c.phone';
    case 'post':
      return 'c.postal_key';
    case 'web':
      return null;
  }
}

export function unpackFacts(row: PackedFacts, query: AudienceQuery): EligibilityFacts {
  const hasAddress = row.has_address === true || row.has_address === 1;
  const supp = hasAddress ? (row.supp ?? 0) : 0;
  const orders = row.orders ?? 0;
  return {
    kind: row.kind === 'business' ? 'business' : 'person',
    hasAddress,
    hardBounced: (supp & 1) !== 0,
    marketingSuppressed: (supp & 2) !== 0,
    robinson: (supp & 4) !== 0,
    objectedDirectMarketing: row.objection === 'objected',
    objectedProfiling: row.profiling_objection === 'objected',
    consent: row.consent === 'granted' || row.consent === 'withdrawn' ? row.consent : null,
    hasAnyOrder: (orders & 1) !== 0,
    similar:
      query.productCategory === null
        ? null
        : { any: (orders & 2) !== 0, anyOptOut: (orders & 4) !== 0, live: (orders & 8) !== 0, liveOptOut: (orders & 16) !== 0 },
  };
}

const ATTRIBUTE_COLUMNS = { kind: 'c.kind', locale: 'c.locale', postalCode: 'c.postal_code', city: 'c.city', country: 'c.country' } as const;

/**
 * The audience filter as SQL conditions on `c` (customers). `param` registers a value and returns
 * its placeholder, so each dialect keeps its own placeholder style.
 */
export function filterConditions(query: AudienceQuery, param: (value: string) => string): string[] {
  const f = query.filter;
  const conditions: string[] = [];
  if (f.attribute !== undefined) conditions.push(`${ATTRIBUTE_COLUMNS[f.attribute.name]} = ${param(f.attribute.value)}`);
  // Postcode prefixes are digits only (checked where the filter is read), so no LIKE wildcard can slip in.
  if (f.postalCodePrefixes !== undefined) {
    const areas = f.postalCodePrefixes.map((prefix) => `c.postal_code LIKE ${param(`${prefix}%`)}`);
    conditions.push(areas.length === 0 ? '1 = 0' : `(${areas.join(' OR ')})`);
  }
  if (f.customerIds !== undefined) {
    conditions.push(f.customerIds.length === 0 ? '1 = 0' : `c.id IN (${f.customerIds.map((id) => param(id)).join(', ')})`);
  }
  if (f.orderedSku !== undefined || f.orderedCategory !== undefined || f.orderedSince !== undefined) {
    const on: string[] = ['fo.customer_id = c.id', `fo.started_at <= ${param(query.at)}`];
    if (f.orderedSku !== undefined) on.push(`fo.sku = ${param(f.orderedSku)}`);
    if (f.orderedCategory !== undefined) on.push(`fo.sku IN (SELECT sku FROM products WHERE category = ${param(f.orderedCategory)})`);
    if (f.orderedSince !== undefined) on.push(`fo.started_at >= ${param(f.orderedSince)}`);
    conditions.push(`EXISTS (SELECT 1 FROM orders fo WHERE ${on.join(' AND ')})`);
  }
  return conditions;
}
