/**
 * Per-customer audience summaries (docs/decisions/0003): the SQL both dialects share to build them
 * and to read an audience from them.
 *
 * A summary holds, per customer, the latest consent value for every purpose x channel as two bit
 * sets, the part of the fact code no question changes (business, objections), which channels have
 * an address and which addresses have any suppression entry, the first order, a hash set of the
 * categories ordered in, and per category the last end of an order. It is exact "as of" any time
 * at or after the customer's latest record (`ledger_through`, `orders_through`). The audience takes
 * a customer from the summary only when it is clean (not in `audience_dirty`) and not newer than
 * the question (suppressions, which depend on the time, are looked up for the few with any); every
 * other customer is computed from the records as before. So a summary can be stale, never wrong.
 */
import type { AudienceQuery } from '../core/ports.ts';
import { CHANNELS, MARKETING_SUPPRESSION_REASONS, PURPOSES, type Channel, type Purpose } from '../core/vocabulary.ts';
import { addressColumn, needsOrderFacts, needsSimilarOrderFacts } from './audience-facts.ts';

export interface SummaryDialect {
  /** `1 << n` as a 64-bit integer. */
  bit(n: string): string;
  /** Bitwise OR over a group whose values are distinct single bits (or 0). */
  orAll(expr: string): string;
  /** An end time later than any real one: an active order. */
  farFuture: string;
  /** Anti-join: `id` has no row in `audience_dirty`. */
  notDirty(id: string): string;
}

if (PURPOSES.length * CHANNELS.length > 62) throw new Error('consent slots no longer fit one 64-bit integer');

/** Bit position of the consent for a purpose on a channel. The vocabulary only grows at the end, so positions are stable. */
export function consentSlot(purpose: Purpose, channel: Channel): number {
  return PURPOSES.indexOf(purpose) * CHANNELS.length + CHANNELS.indexOf(channel);
}

/** Bit position of a channel in `addresses` and `suppressed`. */
export function channelBit(channel: Channel): number {
  return CHANNELS.indexOf(channel);
}

/**
 * Which customers of the summary cannot answer the question and must be read from their records:
 * those with records newer than the question (a question about the past).
 */
function needsRecordsConditions(query: AudienceQuery, at: string): string[] {
  const conditions = [`s.ledger_through > ${at}`];
  if (needsOrderFacts(query)) conditions.push(`s.orders_through > ${at}`);
  return conditions;
}

/** `needsRecordsConditions` as one condition on a summary row `s` (NULL times compare as not newer). */
export function needsRecordsSql(query: AudienceQuery, at: string): string {
  return `(${needsRecordsConditions(query, at).map((c) => `COALESCE(${c}, FALSE)`).join(' OR ')})`;
}

/**
 * Customer ids the audience must compute from records: dirty ones and those the summary cannot
 * answer. One select per condition, so each can use its index (`audience_summaries_by_*`).
 */
export function recordPathIdsSql(query: AudienceQuery, at: string): string {
  return [
    'SELECT customer_id FROM audience_dirty',
    ...needsRecordsConditions(query, at).map((c) => `SELECT customer_id FROM audience_summaries s WHERE ${c}`),
  ].join(' UNION ALL ');
}

/** Bit of a product category in `ordered_categories`: a hash, so a new category needs no bookkeeping; a shared bit only costs a lookup. */
export function categoryBit(category: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < category.length; i++) hash = Math.imul(hash ^ category.charCodeAt(i), 0x01000193);
  return (hash >>> 0) % 62;
}

/**
 * The summary's customers whose address on the channel has any suppression entry (null: the
 * channel has no address). PostgreSQL reads them apart, so the rest is a plain parallel scan.
 */
export function suppressedOnChannelSql(query: AudienceQuery): string | null {
  return query.channel === 'web' ? null : `((s.suppressed >> ${channelBit(query.channel)}) & 1) = 1`;
}

/** Parameters of the summary path, as placeholders of the dialect. */
export interface SummaryParams {
  at: string;
  channel: string;
  phoneRobinsonSince: string;
}

/**
 * Packed suppression bits (1 hard bounce, 2 complaint, unsubscribe or manual, 4 Robinson valid at the
 * time) over the suppressions `alias` of one address: the select list of an aggregate over them.
 * Only entries in force at the time count (`suppressionInForceSql`: recorded by then, not lifted).
 * Same rule as `robinsonValid` in the core: an end date, or a phone entry's default lifetime.
 * Both audience paths of both dialects use this one definition.
 */
export function suppressionBitsAggregateSql(p: SummaryParams, alias = 'x'): string {
  const robinsonValid = `(CASE WHEN ${alias}.valid_until IS NOT NULL THEN ${alias}.valid_until > ${p.at}
    ELSE ${alias}.channel <> 'phone' OR ${alias}.at > ${p.phoneRobinsonSince} END)`;
  // The reason is tested first (CASE keeps the order), so the lift lookup runs once per entry at most.
  const flag = (condition: string): string =>
    `MAX(CASE WHEN ${condition} THEN (CASE WHEN ${suppressionInForceSql(alias, p.at)} THEN 1 ELSE 0 END) ELSE 0 END)`;
  return `${flag(`${alias}.reason = 'hard_bounce'`)} + 2 * ${flag(`${alias}.reason IN (${MARKETING_SUPPRESSION_REASONS.map((r) => `'${r}'`).join(', ')})`)}
      + 4 * ${flag(`${alias}.reason = 'robinson' AND ${robinsonValid}`)}`;
}

/**
 * Whether the suppression `alias` counts at `at`: recorded by then and not lifted by then (a lift
 * at exactly `at` already counts). The one SQL definition every audience path uses, through
 * `suppressionBitsAggregateSql`; `suppressionInForce` in src/core/decide.ts is the same rule.
 */
export function suppressionInForceSql(alias: string, at: string): string {
  return `(${alias}.at <= ${at} AND NOT EXISTS (SELECT 1 FROM suppression_lifts sl WHERE sl.suppression_id = ${alias}.id AND sl.at <= ${at}))`;
}

/** The suppression bits of the summary row `s`'s address on the channel, as a correlated subquery (NULL for none). */
export function suppressionBitsSubquery(query: AudienceQuery, p: SummaryParams): string {
  const address = addressColumn(query.channel);
  if (address === null) return 'NULL';
  return `(SELECT ${suppressionBitsAggregateSql(p)} FROM suppressions x
    WHERE x.channel = ${p.channel} AND x.at <= ${p.at}
      AND x.address = (SELECT ${address} FROM customers c WHERE c.id = s.customer_id))`;
}

/**
 * The fact code (see audience-facts.ts) of every customer the summary can answer. `facts.category`
 * is the dialect's expression for the packed similar-order bits of `s` (2 + …), or NULL for none;
 * it is evaluated only for a person without a consent record who may have ordered in the category.
 * `facts.suppression` gives the suppression bits, NULL for none; it is evaluated only for the few
 * customers whose address has any suppression entry.
 */
export function summaryCodeSql(query: AudienceQuery, at: string, facts: { category: string; suppression: string }): string {
  const slot = consentSlot(query.purpose, query.channel);
  const hasConsentRecord = `(((s.consent_granted | s.consent_withdrawn) >> ${slot}) & 1) = 1`;
  const category = query.productCategory ?? '';
  // Soft opt-in reads a person's similar orders; research reads whether anyone ordered at all.
  const similar = needsSimilarOrderFacts(query);
  const orders = needsOrderFacts(query)
    ? `(CASE WHEN ${similar ? '(s.fixed_code & 1) = 0 AND ' : ''}NOT ${hasConsentRecord} THEN
         (CASE WHEN s.first_order_at <= ${at} THEN 1 ELSE 0 END)
         ${similar ? `+ (CASE WHEN ((s.ordered_categories >> ${categoryBit(category)}) & 1) = 1 THEN COALESCE(${facts.category}, 0) ELSE 0 END)` : ''}
       ELSE 0 END)`
    : '0';
  const bit = channelBit(query.channel);
  const hasAddress = query.channel === 'web' ? '0' : `((s.addresses >> ${bit}) & 1)`;
  const suppression =
    query.channel === 'web' ? '0' : `(CASE WHEN ((s.suppressed >> ${bit}) & 1) = 1 THEN COALESCE(${facts.suppression}, 0) ELSE 0 END)`;
  // Arithmetic rather than CASE where it can be: this runs once per customer.
  return `s.fixed_code + 2 * ${hasAddress} + 4 * ${suppression}
    + 128 * ((s.consent_granted >> ${slot}) & 1) + 256 * ((s.consent_withdrawn >> ${slot}) & 1)
    + 512 * ${orders}`;
}

/**
 * Customers per fact code over the parts of an audience select (each yielding `id, code`), counted
 * per part first. The counts may come back as text (PostgreSQL's bigint): read them with Number().
 */
export function groupsByCodeSql(parts: readonly string[]): string {
  const counted = parts.map((part) => `SELECT code, COUNT(*) AS n FROM (${part}) p GROUP BY code`);
  return `SELECT code, SUM(n) AS customers FROM (${counted.join(' UNION ALL ')}) g GROUP BY code`;
}

/** Packed similar-order bits of a category row `a` (2 similar, 4 opt-out offered, 8 live, 16 live with opt-out). */
export function categoryBitsSql(windowStart: string): string {
  return `2 + 4 * (CASE WHEN a.last_end_opt_out IS NOT NULL THEN 1 ELSE 0 END)
    + 8 * (CASE WHEN a.last_end >= ${windowStart} THEN 1 ELSE 0 END)
    + 16 * (CASE WHEN a.last_end_opt_out >= ${windowStart} THEN 1 ELSE 0 END)`;
}

const VALUES_PURPOSES = PURPOSES.map((p, i) => `('${p}', ${i})`).join(', ');
const VALUES_CHANNELS = CHANNELS.map((c, i) => `('${c}', ${i})`).join(', ');

/**
 * Statements that rebuild the summaries of the customers listed in `summary_refresh`, in order.
 * The caller fills `summary_refresh`, runs these in one transaction, and removes the marks it
 * covered from `audience_dirty` (each dialect in its own way).
 */
export function refreshStatements(d: SummaryDialect, categories: readonly string[]): string[] {
  const chosen = 'SELECT customer_id FROM summary_refresh';
  const addressBit = (column: string, channel: Channel): string =>
    `(CASE WHEN c.${column} IS NOT NULL THEN ${d.bit(String(channelBit(channel)))} ELSE 0 END)`;
  const suppressedBit = (column: string, channel: Channel): string =>
    `(CASE WHEN EXISTS (SELECT 1 FROM suppressions x WHERE x.channel = '${channel}' AND x.address = c.${column}) THEN ${d.bit(String(channelBit(channel)))} ELSE 0 END)`;
  const categoryBits =
    categories.length === 0
      ? `SELECT '' AS name, 0 AS bit WHERE 1 = 0`
      : `VALUES ${categories.map((c) => `('${c.replaceAll("'", "''")}', ${categoryBit(c)})`).join(', ')}`;
  return [
    `DELETE FROM audience_summaries WHERE customer_id IN (${chosen})`,
    `DELETE FROM audience_category_orders WHERE customer_id IN (${chosen})`,
    `WITH purposes (name, n) AS (VALUES ${VALUES_PURPOSES}),
      channels (name, n) AS (VALUES ${VALUES_CHANNELS}),
      consent_records AS (
        -- A record without a channel applies to every channel: the latest per purpose x channel wins.
        SELECT l.customer_id, p.n * ${CHANNELS.length} + ch.n AS slot, l.value,
          ROW_NUMBER() OVER (PARTITION BY l.customer_id, p.n, ch.n ORDER BY l.at DESC, l.seq DESC) AS latest
        FROM ledger l JOIN purposes p ON p.name = l.purpose JOIN channels ch ON l.channel IS NULL OR l.channel = ch.name
        WHERE l.kind = 'consent' AND l.customer_id IN (${chosen})),
      consents AS (
        SELECT customer_id,
          ${d.orAll(`CASE WHEN value = 'granted' THEN ${d.bit('slot')} ELSE 0 END`)} AS granted,
          ${d.orAll(`CASE WHEN value = 'withdrawn' THEN ${d.bit('slot')} ELSE 0 END`)} AS withdrawn
        FROM consent_records WHERE latest = 1 GROUP BY customer_id),
      objection_records AS (
        SELECT customer_id, purpose, value,
          ROW_NUMBER() OVER (PARTITION BY customer_id, purpose ORDER BY at DESC, seq DESC) AS latest
        FROM ledger WHERE kind = 'objection' AND customer_id IN (${chosen})),
      objections AS (
        SELECT customer_id,
          SUM(CASE WHEN value <> 'objected' THEN 0 WHEN purpose = 'direct_marketing' THEN 1 WHEN purpose = 'profiling' THEN 2 ELSE 0 END) AS bits
        FROM objection_records WHERE latest = 1 GROUP BY customer_id),
      category_bits (name, bit) AS (${categoryBits}),
      ledger_times AS (SELECT customer_id, MAX(at) AS through FROM ledger WHERE customer_id IN (${chosen}) GROUP BY customer_id),
      order_times AS (
        SELECT customer_id, MIN(started_at) AS first, MAX(started_at) AS through
        FROM orders WHERE customer_id IN (${chosen}) GROUP BY customer_id),
      -- Distinct first, so that every bit is summed once (SQLite has no bitwise OR aggregate).
      order_category_bits AS (
        SELECT DISTINCT o.customer_id, cb.bit
        FROM orders o JOIN products p ON p.sku = o.sku JOIN category_bits cb ON cb.name = p.category
        WHERE o.customer_id IN (${chosen})),
      order_categories AS (
        SELECT customer_id, ${d.orAll(d.bit('bit'))} AS categories FROM order_category_bits GROUP BY customer_id)
    INSERT INTO audience_summaries (customer_id, fixed_code, addresses, suppressed, consent_granted, consent_withdrawn,
      ordered_categories, ledger_through, first_order_at, orders_through)
    SELECT c.id, (CASE WHEN c.kind = 'business' THEN 1 ELSE 0 END) + 32 * COALESCE(ob.bits, 0),
      ${addressBit('email', 'email')} + ${addressBit('phone', 'sms')} + ${addressBit('phone', 'phone')} + ${addressBit('postal_key', 'post')},
      ${suppressedBit('email', 'email')} + ${suppressedBit('phone', 'sms')} + ${suppressedBit('phone', 'phone')} + ${suppressedBit('postal_key', 'post')},
      COALESCE(cs.granted, 0), COALESCE(cs.withdrawn, 0), COALESCE(oc.categories, 0), lt.through, ot.first, ot.through
    FROM customers c
    LEFT JOIN consents cs ON cs.customer_id = c.id
    LEFT JOIN objections ob ON ob.customer_id = c.id
    LEFT JOIN ledger_times lt ON lt.customer_id = c.id
    LEFT JOIN order_times ot ON ot.customer_id = c.id
    LEFT JOIN order_categories oc ON oc.customer_id = c.id
    WHERE c.id IN (${chosen})`,
    `INSERT INTO audience_category_orders (customer_id, category, last_end, last_end_opt_out)
    SELECT o.customer_id, p.category, MAX(COALESCE(o.ended_at, ${d.farFuture})),
      MAX(CASE WHEN o.opt_out_offered THEN COALESCE(o.ended_at, ${d.farFuture}) END)
    FROM orders o JOIN products p ON p.sku = o.sku
    WHERE o.customer_id IN (${chosen})
    GROUP BY o.customer_id, p.category`,
  ];
}
