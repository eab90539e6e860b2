/**
 * The two set-based steps a launch takes after writing every delivery with its campaign purpose's
 * verdict, shared by both dialects (compliance.md §2 rule 12):
 *
 * - **Narrowing** by a further purpose the message's content needs (a partner's ad needs
 *   `partner_marketing`, a personalised block `profiling`): the audience's fact codes for that
 *   purpose are joined to a table of verdicts per code, and each delivery takes the verdict's part
 *   exactly as `appendPart` in src/core/message-purposes.ts joins it: a blocked part skips a queued
 *   delivery (its reasons become the part's), an allowed part adds its allowing reason, a blocked
 *   part of a skipped delivery adds its reasons.
 * - **One delivery per address**: of the queued deliveries whose customers share a channel address,
 *   the customer with the lowest id keeps it; the others are skipped with `DUPLICATE_ADDRESS`.
 *
 * Both are single UPDATE statements over the campaign's deliveries, never a loop over customers.
 */
import type { Channel, LaunchReason } from '../core/vocabulary.ts';
import { addressColumn } from './audience-facts.ts';

/** The temporary table of verdicts per fact code that a narrowing joins (created per dialect). */
export const NARROWING_TABLE = 'launch_narrowing';

/**
 * UPDATE of the campaign's deliveries from `codes` (a select of `id, code` over the audience for
 * the further purpose) joined to `launch_narrowing (code, state, reasons)`. In both dialects every
 * SET expression reads the row's values from before the update.
 */
export function narrowingUpdateSql(codes: string, campaignId: string): string {
  return `UPDATE deliveries SET
      reasons = CASE
        WHEN deliveries.state = 'queued' AND v.state = 'skipped' THEN v.reasons
        WHEN deliveries.state = 'queued' OR v.state = 'skipped' THEN deliveries.reasons || ',' || v.reasons
        ELSE deliveries.reasons END,
      state = CASE WHEN v.state = 'skipped' THEN 'skipped' ELSE deliveries.state END,
      basis = CASE WHEN v.state = 'skipped' THEN NULL ELSE deliveries.basis END
    FROM (${codes}) f JOIN ${NARROWING_TABLE} v ON v.code = f.code
    WHERE deliveries.campaign_id = ${campaignId} AND deliveries.customer_id = f.id
      AND (deliveries.state = 'queued' OR v.state = 'skipped')`;
}

/**
 * UPDATE that skips every queued delivery whose customer shares the channel address with a queued
 * delivery of a customer with a lower id. Stored addresses are canonical (src/core/addresses.ts), so
 * equality here is equality of addresses however they were typed. Only addresses held by more than
 * one customer are looked at (an index scan), so a launch without duplicates pays little. Null for
 * a channel without addresses.
 */
export function duplicateAddressSql(channel: Channel, campaignId: string): string | null {
  const column = addressColumn(channel)?.slice(2);
  if (column === undefined) return null;
  const reason: LaunchReason = 'DUPLICATE_ADDRESS';
  const queued = (alias: string): string =>
    `SELECT 1 FROM deliveries q WHERE q.campaign_id = ${campaignId} AND q.customer_id = ${alias}.id AND q.state = 'queued'`;
  return `UPDATE deliveries SET state = 'skipped', basis = NULL, reasons = '${reason}'
    WHERE campaign_id = ${campaignId} AND state = 'queued' AND customer_id IN (
      SELECT c.id FROM customers c
      WHERE c.${column} IN (SELECT ${column} FROM customers WHERE ${column} IS NOT NULL GROUP BY ${column} HAVING COUNT(*) > 1)
        AND EXISTS (${queued('c')})
        AND EXISTS (SELECT 1 FROM customers k WHERE k.${column} = c.${column} AND k.id < c.id AND EXISTS (${queued('k')})))`;
}
