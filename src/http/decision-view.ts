/**
 * A decision as the caller's role may see it. `decide` (src/core/decide.ts) names all the evidence a
 * verdict rests on; the answer given to a caller keeps only what the caller's role may read
 * (docs/api.md, "Roles"; the permission table in src/core/access.ts):
 *
 * - without `ledger.read` (marketer): the evidence records (consent, objection, profiling
 *   objection) keep kind, value, at, source, channel and notice version, but never `evidenceRef`,
 *   the free-text note or reference written with the record (a call note, a form id);
 * - without `customers.orders` (marketer): no `order` and no `consideredOrders` (each order's sku,
 *   category and dates), only `consideredOrderCount`.
 *
 * What was left out is named in `evidence.withheld` (`evidenceRef`, `orders`), so an absent field
 * is never read as "there is none". Verdict, basis and reasons are never changed.
 */
import { can, type Role } from '../core/access.ts';
import type { Decision, Evidence } from '../core/decide.ts';

/** What a role does not see of a decision's evidence. */
export type Withheld = 'evidenceRef' | 'orders';

type EvidenceRecord = NonNullable<Evidence['consent']>;
type ShownRecord = Omit<EvidenceRecord, 'evidenceRef'> & { evidenceRef?: string | null };

export type ShownEvidence = Omit<Evidence, 'consent' | 'objection' | 'profilingObjection' | 'order' | 'consideredOrders'> & {
  consent: ShownRecord | null;
  objection: ShownRecord | null;
  profilingObjection: ShownRecord | null;
  order?: Evidence['order'];
  consideredOrders?: Evidence['consideredOrders'];
  consideredOrderCount: number;
  withheld: Withheld[];
};

export type ShownDecision = Omit<Decision, 'evidence'> & { evidence: ShownEvidence };

/**
 * The parts of `decision` that `role` may see (the rule above). Built field by field, not by rest
 * and spread: this runs per `decide` request, and V8's object rest/spread is its slow path.
 */
export function decisionFor(role: Role, decision: Decision): ShownDecision {
  const { evidence } = decision;
  const showRefs = can(role, 'ledger.read');
  const showOrders = can(role, 'customers.orders');
  const record = (r: EvidenceRecord | null): ShownRecord | null => {
    if (r === null || showRefs) return r;
    const shown: ShownRecord = { seq: r.seq, value: r.value, at: r.at, recordedAt: r.recordedAt, source: r.source, noticeVersion: r.noticeVersion };
    if (r.channel !== undefined) shown.channel = r.channel;
    return shown;
  };
  const withheld: Withheld[] = [];
  if (!showRefs) withheld.push('evidenceRef');
  if (!showOrders) withheld.push('orders');
  const shown: ShownEvidence = {
    asOf: evidence.asOf,
    customerId: evidence.customerId,
    purpose: evidence.purpose,
    channel: evidence.channel,
    product: evidence.product,
    addressRef: evidence.addressRef,
    suppressions: evidence.suppressions,
    softOptInWindowStart: evidence.softOptInWindowStart,
    consent: record(evidence.consent),
    objection: record(evidence.objection),
    profilingObjection: record(evidence.profilingObjection),
  } as ShownEvidence;
  // In the order the answer always had: the orders (where shown), then their count and what was withheld.
  if (showOrders) {
    shown.order = evidence.order;
    shown.consideredOrders = evidence.consideredOrders;
  }
  shown.consideredOrderCount = evidence.consideredOrders.length;
  shown.withheld = withheld;
  return decision.allowed
    ? { allowed: true, basis: decision.basis, reasons: decision.reasons, evidence: shown }
    : { allowed: false, basis: null, reasons: decision.reasons, evidence: shown };
}
