/**
 * The decision rules of compliance.md §2, applied to eligibility facts. Pure: no I/O, no clock.
 * `reasons` lists every rule that blocks, in rule order, or the one rule that allows.
 */
import type { EligibilityFacts } from './eligibility-facts.ts';
import {
  CONSENT_ONLY_PURPOSES,
  DIRECT_MARKETING_PURPOSES,
  MARKETING_MESSAGE_PURPOSES,
  needsAddress,
  type AllowingReason,
  type Basis,
  type BlockingReason,
  type Channel,
  type Purpose,
} from './vocabulary.ts';

export interface DecisionQuery {
  purpose: Purpose;
  channel: Channel;
  /** Whether a marketed product was named; soft opt-in can only be shown for one. */
  hasProduct: boolean;
}

export type Verdict =
  | { allowed: true; basis: Basis; reasons: [AllowingReason] }
  | { allowed: false; basis: null; reasons: BlockingReason[] };

interface BasisOutcome {
  basis: Basis | null;
  allow?: AllowingReason;
  block: BlockingReason[];
}

export function evaluate(query: DecisionQuery, facts: EligibilityFacts): Verdict {
  const { purpose, channel } = query;
  const blocks: BlockingReason[] = [];

  // Rule 1: service messages rest on the contract; only an undeliverable address stops them.
  if (purpose === 'service') {
    if (needsAddress(purpose, channel) && !facts.hasAddress) blocks.push('NO_ADDRESS');
    if (facts.hardBounced) blocks.push('SUPPRESSED');
    return blocks.length > 0
      ? { allowed: false, basis: null, reasons: blocks }
      : { allowed: true, basis: 'contract', reasons: ['SERVICE_MESSAGE'] };
  }

  // Rule 2: an objection wins over any basis.
  if (facts.objectedDirectMarketing && DIRECT_MARKETING_PURPOSES.includes(purpose)) blocks.push('OBJECTED');
  if (facts.objectedProfiling && (purpose === 'profiling' || purpose === 'ad_audience')) blocks.push('PROFILING_OBJECTED');

  const outcome = legalBasis(query, facts);
  blocks.push(...outcome.block);

  if (needsAddress(purpose, channel)) {
    if (!facts.hasAddress) blocks.push('NO_ADDRESS');
    if (facts.hardBounced || (facts.marketingSuppressed && MARKETING_MESSAGE_PURPOSES.includes(purpose))) {
      blocks.push('SUPPRESSED');
    }
    if (facts.robinson && MARKETING_MESSAGE_PURPOSES.includes(purpose)) blocks.push('ROBINSON');
  }

  if (blocks.length > 0 || outcome.basis === null || outcome.allow === undefined) {
    return { allowed: false, basis: null, reasons: blocks.length > 0 ? blocks : ['NO_LEGAL_BASIS'] };
  }
  return { allowed: true, basis: outcome.basis, reasons: [outcome.allow] };
}

function legalBasis(query: DecisionQuery, facts: EligibilityFacts): BasisOutcome {
  const { purpose, channel } = query;
  if (facts.consent === 'withdrawn' && purpose !== 'profiling') {
    return { basis: null, block: ['CONSENT_WITHDRAWN'] };
  }
  const consented = facts.consent === 'granted';

  // Rules 6, 8, 9: partners' ads, ad audiences and site ads need consent and nothing else will do.
  if (CONSENT_ONLY_PURPOSES.includes(purpose)) {
    return consented ? { basis: 'consent', allow: 'CONSENT_GRANTED', block: [] } : { basis: null, block: ['NO_LEGAL_BASIS'] };
  }
  // Rule 7: profiling rests on legitimate interest; only an objection stops it.
  if (purpose === 'profiling') return { basis: 'legitimate_interest', allow: 'LEGITIMATE_INTEREST', block: [] };

  if (consented) return { basis: 'consent', allow: 'CONSENT_GRANTED', block: [] };

  if (purpose === 'marketing') {
    if (channel === 'email' || channel === 'sms') {
      // Rule 4: business customers under the opt-out regime; rule 3: persons need consent or soft opt-in.
      if (facts.kind === 'business') return { basis: 'legitimate_interest', allow: 'BUSINESS_CUSTOMER', block: [] };
      return softOptIn(query, facts);
    }
    // Rule 5: phone, post (and on-site offers) under the opt-out regime.
    return { basis: 'legitimate_interest', allow: 'OPT_OUT_REGIME', block: [] };
  }
  // Rule 11: surveys and feedback invite an existing customer on legitimate interest; anyone else
  // needs consent. Saying no to research is a research withdrawal: on one channel, or on every
  // channel (the objection), caught above as CONSENT_WITHDRAWN.
  if (purpose === 'research') {
    return facts.hasAnyOrder ? { basis: 'legitimate_interest', allow: 'LEGITIMATE_INTEREST', block: [] } : { basis: null, block: ['NO_LEGAL_BASIS'] };
  }
  // call_recording: legitimate interest unless the person said no (product choice).
  return { basis: 'legitimate_interest', allow: 'LEGITIMATE_INTEREST', block: [] };
}

/** Rule 3, second bullet: the existing-customer exception of ePrivacy Art. 13(2). */
function softOptIn(query: DecisionQuery, facts: EligibilityFacts): BasisOutcome {
  const similar = facts.similar;
  if (!query.hasProduct || similar === null || !facts.hasAnyOrder) return { basis: null, block: ['NO_LEGAL_BASIS'] };
  if (!similar.any) return { basis: null, block: ['NOT_SIMILAR_PRODUCT'] };
  if (similar.liveOptOut) return { basis: 'soft_opt_in', allow: 'SOFT_OPT_IN', block: [] };
  const block: BlockingReason[] = [];
  if (!similar.live) block.push('RELATIONSHIP_ENDED');
  // Among the live similar orders (or, when none is live, among all similar ones) none offered the opt-out.
  if (similar.live || !similar.anyOptOut) block.push('OPT_OUT_NOT_OFFERED');
  return { basis: null, block };
}
