/**
 * A call record (issue: call records): who called whom, when, on which queue or call list, for what
 * purpose and how it ended. The one outcome with an effect on the ledger is "don't call me": an
 * opt-out of phone marketing (compliance.md §2 rule 5), written in the call record's own transaction.
 */
import type { NewLedgerRecord } from '../ports.ts';
import type { CustomerId, Instant } from '../records.ts';
import { DomainError } from '../errors.ts';

export const CALL_DIRECTIONS = ['inbound', 'outbound'] as const;
export type CallDirection = (typeof CALL_DIRECTIONS)[number];

/** `service`: the customer's own subscription (rule 1); `telesales`: a sales call (rule 5, §3b). */
export const CALL_PURPOSES = ['service', 'telesales'] as const;
export type CallPurpose = (typeof CALL_PURPOSES)[number];

/**
 * How a call ended. `do_not_call`: the person asked not to be called for marketing again;
 * `callback`: call again at `callbackAt`.
 */
export const CALL_OUTCOMES = ['reached', 'no_answer', 'refused', 'do_not_call', 'sale', 'callback'] as const;
export type CallOutcome = (typeof CALL_OUTCOMES)[number];

/** A call as the telephony system or an agent reports it. */
export interface NewCall {
  direction: CallDirection;
  /** The agent who took or made the call (their user or extension id, as the telephony system names it). */
  agent: string;
  customerId: CustomerId;
  /** The customer's number, E.164. */
  number: string;
  startedAt: Instant;
  endedAt: Instant | null;
  /** The inbound queue, or for an outbound call the call list it came from. */
  queue: string | null;
  callList: string | null;
  purpose: CallPurpose;
  outcome: CallOutcome;
  /** When to call back; set exactly when the outcome is `callback`. */
  callbackAt: Instant | null;
  /** The telephony system's own id of the call: the same id recorded twice is one call. */
  externalId: string | null;
  recordedBy: string;
}

export interface CallRecord extends NewCall {
  id: number;
  recordedAt: Instant;
}

/**
 * Refuses a call whose times or outcome do not fit together (VALIDATION_FAILED naming the field):
 * an end before the start, a callback without its time or a callback time on another outcome.
 */
export function requireConsistentCall(call: Pick<NewCall, 'startedAt' | 'endedAt' | 'outcome' | 'callbackAt'>): void {
  if (call.endedAt !== null && call.endedAt < call.startedAt) {
    throw new DomainError('VALIDATION_FAILED', 'endedAt is before startedAt', { field: 'endedAt' });
  }
  if (call.outcome === 'callback' && call.callbackAt === null) {
    throw new DomainError('VALIDATION_FAILED', 'a callback needs callbackAt', { field: 'callbackAt' });
  }
  if (call.outcome !== 'callback' && call.callbackAt !== null) {
    throw new DomainError('VALIDATION_FAILED', 'callbackAt is only for the outcome callback', { field: 'callbackAt' });
  }
}

/** The evidence reference a ledger record made by a call carries: `call:<id>`. */
export function callEvidence(callId: number): string {
  return `call:${callId}`;
}

/**
 * What a call's outcome writes to the ledger: "don't call me" is a withdrawal of phone marketing
 * (rule 5: the phone opt-out; `CONSENT_WITHDRAWN` from then on), at the call's end (or start),
 * source `call`, the call as evidence. Every other outcome writes nothing.
 */
export function ledgerEffectOf(call: Pick<NewCall, 'customerId' | 'outcome' | 'startedAt' | 'endedAt'>, callId: number): NewLedgerRecord | null {
  if (call.outcome !== 'do_not_call') return null;
  return {
    kind: 'consent',
    customerId: call.customerId,
    purpose: 'marketing',
    channel: 'phone',
    value: 'withdrawn',
    at: call.endedAt ?? call.startedAt,
    source: 'call',
    noticeVersion: null,
    noticeLocale: null,
    evidenceRef: callEvidence(callId),
  };
}
