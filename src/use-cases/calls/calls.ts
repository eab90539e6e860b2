/**
 * Call records (docs/calls-and-recordings.md): recorded by the telephony system or an agent, read
 * on the customer's view. "Don't call me" is stored with its phone-marketing opt-out in one
 * transaction (the store), so the next call list leaves the person out. Every read by a person or
 * key is audited; audit details never carry the number.
 */
import { requireConsistentCall, type CallRecord, type NewCall } from '../../core/calls/call.ts';
import type { CallStore } from '../../core/calls/ports.ts';
import { recordingView, type RecordingRecord, type RecordingView } from '../../core/calls/recording.ts';
import { requirePhone } from '../../core/contact-fields.ts';
import { DomainError } from '../../core/errors.ts';
import type { AuditLog, CustomerStore } from '../../core/ports.ts';
import type { CustomerId, Instant } from '../../core/records.ts';

export interface CallDeps {
  calls: CallStore;
  customers: CustomerStore;
  audit: AuditLog;
  now: () => Instant;
}

/** Who acts, as the audit log names them. */
export interface CallActor {
  actor: string;
  role: string;
}

/** A call as reported: `customerId` as given, `number` in any spelling (stored in E.164; without a country code it is Finnish). */
export type CallInput = Omit<NewCall, 'customerId' | 'recordedBy'> & { customerId: string };

/** A call as shown: with its recordings' metadata (never their file keys). */
export type CallView = CallRecord & { recordings: RecordingView[]; optedOut: boolean };

/**
 * Stores a call (once per `externalId`) and, for "don't call me", the phone-marketing opt-out with it.
 * @throws VALIDATION_FAILED (number, endedAt, callbackAt), UNKNOWN_CUSTOMER
 */
export async function recordCall(deps: CallDeps, input: CallInput, by: CallActor): Promise<{ call: CallView; created: boolean }> {
  requireConsistentCall(input);
  const number = requirePhone(input.number, 'number');
  const { call, created } = await deps.calls.insert({ ...input, customerId: input.customerId as CustomerId, number, recordedBy: by.actor });
  await deps.audit.record({ at: deps.now(), ...by, action: 'calls.record', customerId: call.customerId, detail: { call: call.id, outcome: call.outcome, purpose: call.purpose, created } });
  // A call sent again may have its recording by now.
  return { call: viewOf(call, created ? [] : await deps.calls.recordingsOf([call.id])), created };
}

/** Most calls one customer read returns. */
export const MAX_CALLS = 200;

/**
 * A customer's calls, newest first, with their recordings; audited as one read.
 * @throws UNKNOWN_CUSTOMER
 */
export async function callsOfCustomer(deps: CallDeps, customerId: string, limit: number, by: CallActor): Promise<CallView[]> {
  const id = customerId as CustomerId;
  if ((await deps.customers.getCustomer(id)) === null) throw new DomainError('UNKNOWN_CUSTOMER', `no customer with id ${customerId}`, { field: 'id' });
  const calls = await deps.calls.ofCustomer(id, Math.min(limit, MAX_CALLS));
  const views = await withRecordings(deps.calls, calls);
  await deps.audit.record({ at: deps.now(), ...by, action: 'calls.read', customerId: id, detail: { calls: views.length } });
  return views;
}

/**
 * One call with its recordings; audited.
 * @throws UNKNOWN_CALL
 */
export async function getCall(deps: CallDeps, id: number, by: CallActor): Promise<CallView> {
  const call = await deps.calls.get(id);
  if (call === null) throw new DomainError('UNKNOWN_CALL', `no call with id ${id}`, { field: 'id' });
  const recordings = await deps.calls.recordingsOf([call.id]);
  await deps.audit.record({ at: deps.now(), ...by, action: 'calls.read', customerId: call.customerId, detail: { call: call.id } });
  return viewOf(call, recordings);
}

async function withRecordings(store: CallStore, calls: CallRecord[]): Promise<CallView[]> {
  const recordings = await store.recordingsOf(calls.map((c) => c.id));
  return calls.map((c) => viewOf(c, recordings));
}

/** A call with its own recordings among `recordings`. */
function viewOf(call: CallRecord, recordings: readonly RecordingRecord[]): CallView {
  return { ...call, optedOut: call.outcome === 'do_not_call', recordings: recordings.filter((r) => r.callId === call.id).map(recordingView) };
}
