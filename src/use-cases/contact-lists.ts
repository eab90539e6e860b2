/**
 * Call lists for telesales and print files for a mail house (rule 5): only the customers the
 * ledger allows for phone or post marketing (opt-outs, objections and Robinson registers applied),
 * streamed set-based. A call list also says whether the person may be called now (quiet hours).
 * Every customer on a list is a read of personal data by a person: each one is audited.
 */
import { DomainError } from '../core/errors.ts';
import type { AuditLog, CustomerStore, LedgerStore } from '../core/ports.ts';
import type { Customer, CustomerId, Instant } from '../core/records.ts';
import { callAllowedAt } from '../core/quiet-hours.ts';
import { allowedCustomers, type AudienceDeps, type AudienceInput } from './audience.ts';

export interface ContactListDeps extends AudienceDeps {
  customers: CustomerStore;
  audit: AuditLog;
}

export interface CallListRow {
  customerId: string;
  name: string;
  phone: string;
  locale: string;
  basis: string;
  /** Whether a call is allowed at the list's time (Sundays, public holidays, 08–20 Helsinki). */
  callableNow: boolean;
  quietReason: string;
}

export interface PrintRow {
  customerId: string;
  name: string;
  street: string;
  postalCode: string;
  city: string;
  country: string;
  basis: string;
}

type ListInput = Omit<AudienceInput, 'purpose' | 'channel'> & { actor: { actor: string; role: string } };

export async function* callList(deps: ContactListDeps, input: ListInput): AsyncIterable<CallListRow> {
  for await (const page of pages(deps, { ...input, purpose: 'marketing', channel: 'phone' })) yield* callRows(page.rows, input.at);
}

/** The rows of customers on a call list who have a number, with whether a call is allowed at `at` (quiet hours). */
function callRows(page: readonly { customer: Customer; basis: string }[], at: Instant): CallListRow[] {
  const window = callAllowedAt(at);
  return page.flatMap(({ customer, basis }) => {
    const phone = customer.phones[0];
    return phone === undefined ? [] : [{ customerId: customer.id, name: customer.name, phone, locale: customer.locale ?? '', basis, callableNow: window.allowed, quietReason: window.reason ?? '' }];
  });
}

/**
 * One page of a call list for the agent's work screen: the same audience `lupa export calls` writes
 * (rule 5, the same code), the customers after `after` in id order, at most `limit` of them read
 * (and audited); `next` is where the following page starts, null at the end.
 */
export async function callListPage(deps: ContactListDeps, input: ListInput & { after: CustomerId | null; limit: number }): Promise<{ rows: CallListRow[]; next: CustomerId | null }> {
  for await (const page of pages(deps, { ...input, purpose: 'marketing', channel: 'phone' }, { after: input.after, size: input.limit })) {
    return { rows: callRows(page.rows, input.at), next: page.full ? page.last : null };
  }
  return { rows: [], next: null };
}

export async function* printList(deps: ContactListDeps, input: ListInput): AsyncIterable<PrintRow> {
  for await (const page of pages(deps, { ...input, purpose: 'marketing', channel: 'post' })) {
    for (const { customer, basis } of page.rows) {
      const a = customer.address;
      if (a === null) continue;
      yield { customerId: customer.id, name: customer.name, street: a.street, postalCode: a.postalCode, city: a.city, country: a.country, basis };
    }
  }
}

/**
 * The allowed customers in pages (of 1,000 unless `size`), each page read with one query and audited;
 * with `after`, from the customer after that id. `last` is the page's last customer in the audience
 * (with or without an address), `full` whether the page was full (more may follow).
 */
async function* pages(deps: ContactListDeps, input: AudienceInput & { actor: { actor: string; role: string } }, opts: { after?: CustomerId | null; size?: number } = {}) {
  const size = opts.size ?? 1000;
  let batch: { customerId: CustomerId; basis: string }[] = [];
  const flush = async () => {
    const customers = new Map((await deps.customers.getCustomers(batch.map((b) => b.customerId))).map((c) => [c.id as string, c]));
    const at = new Date().toISOString() as Instant;
    await Promise.all(batch.map((b) => deps.audit.record({ at, ...input.actor, action: `export.${input.channel}_list`, customerId: b.customerId, detail: { purpose: input.purpose, channel: input.channel } })));
    const rows = batch.flatMap((b) => {
      const customer = customers.get(b.customerId);
      return customer === undefined ? [] : [{ customer, basis: b.basis }];
    });
    const page = { rows, last: batch.at(-1)?.customerId ?? null, full: batch.length >= size };
    batch = [];
    return page;
  };
  // A short page still reads the audience in larger steps: many of its customers may be blocked.
  for await (const row of allowedCustomers(deps, input, { after: opts.after ?? null, pageSize: opts.size === undefined ? undefined : Math.max(opts.size * 4, 200) })) {
    batch.push(row);
    if (batch.length >= size) yield await flush();
  }
  if (batch.length > 0) yield await flush();
}

/** What an agent records after a call. "Don't call me" during a call is an opt-out for phone marketing. */
export async function recordCallOutcome(
  deps: { ledger: LedgerStore; customers: CustomerStore; audit: AuditLog; now: () => Instant },
  input: { customerId: CustomerId; outcome: 'answered' | 'no_answer' | 'refused' | 'do_not_call'; callId: string | null; actor: { actor: string; role: string } },
): Promise<{ optedOut: boolean }> {
  if ((await deps.customers.getCustomer(input.customerId)) === null) {
    throw new DomainError('UNKNOWN_CUSTOMER', `no customer with id ${input.customerId}`, { field: 'customer' });
  }
  const at = deps.now();
  await deps.audit.record({ at, ...input.actor, action: 'call.outcome', customerId: input.customerId, detail: { outcome: input.outcome } });
  if (input.outcome !== 'do_not_call') return { optedOut: false };
  await deps.ledger.append([
    { kind: 'consent', customerId: input.customerId, purpose: 'marketing', channel: 'phone', value: 'withdrawn', at, source: 'call', noticeVersion: null, noticeLocale: null, evidenceRef: input.callId === null ? null : `call:${input.callId}` },
  ]);
  return { optedOut: true };
}
