/**
 * Use cases: record a consent, withdrawal or objection for a customer, and read the customer's
 * ledger. Records are appended, never changed; the same record sent twice is stored once.
 */
import { DomainError } from '../core/errors.ts';
import { recordedLedgerTime } from '../core/ledger-time.ts';
import type { CustomerStore, LedgerStore, NewLedgerRecord } from '../core/ports.ts';
import type { Customer, CustomerId, Instant, LedgerRecord } from '../core/records.ts';
import type { Channel, ConsentValue, ObjectionScope, Purpose } from '../core/vocabulary.ts';

export interface LedgerEntryDeps {
  customers: CustomerStore;
  ledger: LedgerStore;
  now: () => Instant;
}

interface EntryCommon {
  /** When it happened; defaults to now. */
  at?: Instant;
  source: string;
  noticeVersion?: string | null;
  noticeLocale?: string | null;
  evidenceRef?: string | null;
}

export interface ConsentEntry extends EntryCommon {
  kind: 'consent';
  purpose: Purpose;
  /** Left out or null: every channel of the purpose. */
  channel?: Channel | null;
  value: ConsentValue;
}

export interface ObjectionEntry extends EntryCommon {
  kind: 'objection';
  scope: ObjectionScope;
  /** `objected` by default; `withdrawn` lifts an earlier objection. */
  value?: 'objected' | 'withdrawn';
}

export type LedgerEntry = ConsentEntry | ObjectionEntry;

export async function appendLedgerEntry(
  deps: LedgerEntryDeps,
  input: { customerId: string; entry: LedgerEntry },
): Promise<LedgerRecord> {
  const customer = await requireCustomer(deps.customers, input.customerId);
  const now = deps.now();
  const e = input.entry;
  // A future time is refused, one a little ahead taken as now (core/ledger-time.ts).
  const at = recordedLedgerTime(e.at ?? now, now);
  const source = e.source.trim();
  if (source === '') throw new DomainError('VALIDATION_FAILED', 'source must not be empty', { field: 'source' });
  const common = {
    customerId: customer.id,
    at,
    source,
    noticeVersion: e.noticeVersion ?? null,
    noticeLocale: e.noticeLocale ?? null,
    evidenceRef: e.evidenceRef ?? null,
  };
  const record: NewLedgerRecord =
    e.kind === 'consent'
      ? { ...common, kind: 'consent', purpose: e.purpose, channel: e.channel ?? null, value: e.value }
      : { ...common, kind: 'objection', scope: e.scope, value: e.value ?? 'objected' };
  const stored = await deps.ledger.append([record]);
  const row = stored[0];
  if (row === undefined) throw new Error('the ledger returned no row for an appended record');
  return row;
}

/** The customer's whole ledger in time order (ties by insertion order). */
export async function ledgerHistory(
  deps: Pick<LedgerEntryDeps, 'customers' | 'ledger'>,
  input: { customerId: string },
): Promise<LedgerRecord[]> {
  const customer = await requireCustomer(deps.customers, input.customerId);
  return deps.ledger.historyOf(customer.id);
}

async function requireCustomer(customers: CustomerStore, id: string): Promise<Customer> {
  // Text ids from the edge become CustomerId here, after the store confirms one exists.
  const customer = await customers.getCustomer(id as CustomerId);
  if (customer === null) throw new DomainError('UNKNOWN_CUSTOMER', `no customer with id ${id}`, { field: 'id' });
  return customer;
}
