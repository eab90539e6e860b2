/**
 * What a message must be allowed for, from what it carries (compliance.md §2 rule 12, from rules 1,
 * 6 and 7). A campaign names one purpose; its message's content can need more: a partner's ad adds
 * `partner_marketing`, a block chosen from derived data adds `profiling`, and promotion makes a
 * service message marketing. The launch, the re-check before each hand-off, the preview and the
 * results all take the purposes from here, so they cannot disagree.
 */
import type { Verdict } from './evaluate.ts';
import { MARKETING_MESSAGE_PURPOSES, type Basis, type Purpose } from './vocabulary.ts';

/** What a compiled template carries, as far as the rules care. */
export interface MessageContent {
  /** Marketing content: a marketing template, a block marked promotional, or a partner's ad. */
  promotional: boolean;
  /** A partner's ad block (rule 6). */
  partnerAd: boolean;
  /** A block chosen from derived data: offers, segments, inferred interests (rule 7). */
  personalised: boolean;
}

/**
 * `primary` is the purpose the message is decided and sent as (its basis is the delivery's basis);
 * `further` are the purposes its content needs as well. A message goes out only when every one of
 * them is allowed.
 */
export interface MessagePurposes {
  primary: Purpose;
  further: Purpose[];
}

/** Content that needs nothing beyond the campaign's own purpose. */
export const PLAIN_CONTENT: MessageContent = { promotional: false, partnerAd: false, personalised: false };

/**
 * The purposes a message of a campaign with `campaignPurpose` and this content needs.
 *
 * - Promotional content in a `service` campaign makes the message `marketing` (rule 1: a service
 *   message with an ad attached is marketing; the contract basis no longer covers it). In any other
 *   campaign that is not already a marketing message (research invitations, rule 11) it adds
 *   `marketing`.
 * - A partner's ad adds `partner_marketing` (rule 6: soft opt-in never covers partners).
 * - A personalised block adds `profiling` (rule 7: an objection to profiling stops it).
 */
export function messagePurposes(campaignPurpose: Purpose, content: MessageContent): MessagePurposes {
  let primary = campaignPurpose;
  const further: Purpose[] = [];
  const add = (p: Purpose): void => {
    if (p !== primary && !further.includes(p)) further.push(p);
  };
  if (content.promotional || content.partnerAd) {
    if (primary === 'service') primary = 'marketing';
    else if (!MARKETING_MESSAGE_PURPOSES.includes(primary)) add('marketing');
  }
  if (content.partnerAd) add('partner_marketing');
  if (content.personalised) add('profiling');
  return { primary, further };
}

/** Every purpose of a message, the primary first. */
export function allPurposes(purposes: MessagePurposes): Purpose[] {
  return [purposes.primary, ...purposes.further];
}

/**
 * A further purpose's reason as written on a delivery: `partner_marketing:NO_LEGAL_BASIS`, so that a
 * skipped delivery says which of the message's purposes was not allowed. The primary purpose's
 * reasons stay bare, as `decide` gives them.
 */
export function qualifiedReason(purpose: Purpose, code: string): string {
  return `${purpose}:${code}`;
}

/** A verdict over every purpose of a message. */
export interface MessageVerdict {
  allowed: boolean;
  /** The primary purpose's basis when allowed, else null. */
  basis: Basis | null;
  /**
   * Allowed: the primary's allowing reason, then each further purpose's (qualified). Not allowed:
   * every blocking reason, the primary's bare, the further purposes' qualified.
   */
  reasons: string[];
}

/** The verdict for one further purpose, qualified, as it joins the primary's (see `combineVerdicts`). */
export function furtherPart(purpose: Purpose, verdict: Verdict): MessageVerdict {
  return {
    allowed: verdict.allowed,
    basis: verdict.basis,
    reasons: verdict.reasons.map((code) => qualifiedReason(purpose, code)),
  };
}

/**
 * Joins the primary purpose's verdict with the further purposes' parts: allowed only when all are.
 * `joinParts(primary, parts)` with parts from `furtherPart` equals what a launch writes in two steps
 * (the primary verdict first, then each further part appended), so the set-based launch and the
 * per-batch re-check agree.
 */
export function combineVerdicts(primary: Verdict, further: ReadonlyArray<{ purpose: Purpose; verdict: Verdict }>): MessageVerdict {
  let combined: MessageVerdict = { allowed: primary.allowed, basis: primary.basis, reasons: [...primary.reasons] };
  for (const { purpose, verdict } of further) combined = appendPart(combined, furtherPart(purpose, verdict));
  return combined;
}

/**
 * One further purpose's part appended to what was decided so far: a blocked part blocks the
 * message. Allowed + allowed keeps both allowing reasons; blocked + anything keeps only blocking ones.
 */
export function appendPart(sofar: MessageVerdict, part: MessageVerdict): MessageVerdict {
  if (sofar.allowed && part.allowed) return { allowed: true, basis: sofar.basis, reasons: [...sofar.reasons, ...part.reasons] };
  if (sofar.allowed) return { allowed: false, basis: null, reasons: [...part.reasons] };
  if (part.allowed) return sofar;
  return { allowed: false, basis: null, reasons: [...sofar.reasons, ...part.reasons] };
}
