/**
 * What both audience queries share: the eligibility facts of a customer packed into a few small
 * integers in SQL (so customers group well), and their decoding back into `EligibilityFacts`.
 *
 * supp bits:  1 hard bounce · 2 complaint, unsubscribe or manual · 4 Robinson valid at T
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
 * The similar-order facts matter only where soft opt-in can apply: e-mail or SMS marketing of a
 * named product, for a person without a consent record.
 */
export function needsSimilarOrderFacts(query: AudienceQuery): boolean {
  return query.purpose === 'marketing' && (query.channel === 'email' || query.channel === 'sms') && query.productCategory !== null;
}

/** Research (compliance.md §2 rule 11) invites existing customers: whether anyone without a consent record has ordered. */
export function needsAnyOrderFact(query: AudienceQuery): boolean {
  return query.purpose === 'research';
}

/**
 * Order facts are computed only where a rule reads them (soft opt-in, research); elsewhere they
 * read as "no orders", which no other rule looks at.
 */
export function needsOrderFacts(query: AudienceQuery): boolean {
  return needsSimilarOrderFacts(query) || needsAnyOrderFact(query);
}

/**
 * The facts of a customer as one integer, so that an audience groups by one column and a launch
 * joins its verdicts on one key. Bits: 1 business · 2 has address · 4..16 supp bits (only with an
 * address) · 32 objects to direct marketing · 64 objects to profiling · 128 consent granted · 256
 * consent withdrawn · 512.. order bits.
 */
export function factCode(row: PackedFacts): number {
  const hasAddress = row.has_address === true || row.has_address === 1;
  return (
    (row.kind === 'business' ? 1 : 0) +
    (hasAddress ? 2 + 4 * (row.supp ?? 0) : 0) +
    (row.objection === 'objected' ? 32 : 0) +
    (row.profiling_objection === 'objected' ? 64 : 0) +
    (row.consent === 'granted' ? 128 : row.consent === 'withdrawn' ? 256 : 0) +
    512 * (row.orders ?? 0)
  );
}

/** `factCode` in SQL, over a row `f` of a facts select. */
export function factCodeSql(): string {
  return `(CASE WHEN f.kind = 'business' THEN 1 ELSE 0 END)
    + (CASE WHEN f.has_address THEN 2 + 4 * COALESCE(f.supp, 0) ELSE 0 END)
    + (CASE WHEN f.objection = 'objected' THEN 32 ELSE 0 END)
    + (CASE WHEN f.profiling_objection = 'objected' THEN 64 ELSE 0 END)
    + (CASE WHEN f.consent = 'granted' THEN 128 WHEN f.consent = 'withdrawn' THEN 256 ELSE 0 END)
    + 512 * COALESCE(f.orders, 0)`;
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
  return unpackFactCode(factCode(row), query);
}

export function unpackFactCode(code: number, query: AudienceQuery): EligibilityFacts {
  const supp = (code >> 2) & 7;
  const orders = code >> 9;
  return {
    kind: (code & 1) !== 0 ? 'business' : 'person',
    hasAddress: (code & 2) !== 0,
    hardBounced: (supp & 1) !== 0,
    marketingSuppressed: (supp & 2) !== 0,
    robinson: (supp & 4) !== 0,
    objectedDirectMarketing: (code & 32) !== 0,
    objectedProfiling: (code & 64) !== 0,
    consent: (code & 128) !== 0 ? 'granted' : (code & 256) !== 0 ? 'withdrawn' : null,
    hasAnyOrder: (orders & 1) !== 0,
    similar:
      query.productCategory === null
        ? null
        : { any: (orders & 2) !== 0, anyOptOut: (orders & 4) !== 0, live: (orders & 8) !== 0, liveOptOut: (orders & 16) !== 0 },
  };
}

/**
 * Whether the delivery `d` of campaign `k` reached its customer or is about to: sent, or queued or
 * being sent by a campaign not cancelled (a cancelled campaign's queued deliveries stay unsent).
 */
export function gotItSql(d: string, k: string): string {
  return `(${d}.state = 'sent' OR (${d}.state IN ('queued', 'claimed') AND ${k}.status <> 'cancelled'))`;
}

const ATTRIBUTE_COLUMNS = { kind: 'c.kind', locale: 'c.locale', postalCode: 'c.postal_code', city: 'c.city', country: 'c.country' } as const;

/**
 * The audience filter as SQL conditions on `c` (customers). `param` registers a value and returns
 * its placeholder, so each dialect keeps its own placeholder style.
 */
export function filterConditions(query: Pick<AudienceQuery, 'filter' | 'at'>, param: (value: string) => string): string[] {
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
  if (f.excludeRecipientsOf !== undefined && f.excludeRecipientsOf.length > 0) {
    // Bound as text: PostgreSQL types it from the integer column, SQLite compares it with the column's integer affinity.
    const ids = f.excludeRecipientsOf.map((id) => param(String(id))).join(', ');
    conditions.push(`NOT EXISTS (SELECT 1 FROM deliveries xd JOIN campaigns xk ON xk.id = xd.campaign_id WHERE xd.customer_id = c.id AND xd.campaign_id IN (${ids}) AND ${gotItSql('xd', 'xk')})`);
  }
  if (f.segment !== undefined) {
    // Bound as text, as above: both stores type it from the integer column.
    conditions.push(`c.id IN (SELECT sm.customer_id FROM segment_members sm WHERE sm.segment_id = ${param(String(f.segment))})`);
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
