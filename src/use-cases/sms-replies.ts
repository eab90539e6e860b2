/**
 * An SMS reply that starts with an opt-out keyword (STOP, LOPETA, SLUTA…: the table and the rule
 * in core/sms-opt-out-keywords.ts) is an opt-out: the number is suppressed for marketing and every
 * customer with that number gets a marketing withdrawal for SMS in the ledger. Any other reply
 * changes nothing.
 */
import { normalisePhone } from '../core/addresses.ts';
import type { CustomerStore, LedgerStore, SuppressionStore } from '../core/ports.ts';
import type { Instant } from '../core/records.ts';
import { smsOptOutKeyword } from '../core/sms-opt-out-keywords.ts';

export interface SmsReplyDeps {
  customers: CustomerStore;
  ledger: LedgerStore;
  suppressions: SuppressionStore;
  now: () => Instant;
}

export async function handleSmsReply(deps: SmsReplyDeps, reply: { from: string; body: string; providerId: string | null }): Promise<{ optedOut: number }> {
  const phone = normalisePhone(reply.from);
  if (phone === null || smsOptOutKeyword(reply.body) === null) return { optedOut: 0 };
  const at = deps.now();
  await deps.suppressions.add({ channel: 'sms', address: phone, reason: 'unsubscribe', at, validUntil: null, source: 'sms_stop' });
  const customers = await deps.customers.searchCustomers({ phone, limit: 100 });
  await deps.ledger.append(
    customers.map((c) => ({ kind: 'consent' as const, customerId: c.id, purpose: 'marketing' as const, channel: 'sms' as const, value: 'withdrawn' as const, at, source: 'sms_stop', noticeVersion: null, noticeLocale: null, evidenceRef: reply.providerId === null ? null : `sms:${reply.providerId}` })),
  );
  return { optedOut: customers.length };
}
