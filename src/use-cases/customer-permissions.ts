/**
 * Use case: every purpose × channel verdict for one customer as of a time — the console's "may we?"
 * grid in one answer. The customer's records are read once (suppressions of every channel) and
 * `decide` (core/decide.ts) runs per cell on them, so each verdict equals what `GET /v1/decide`
 * answers for that purpose and channel.
 */
import { decide } from '../core/decide.ts';
import { DomainError } from '../core/errors.ts';
import type { Basis, Channel, Purpose, ReasonCode } from '../core/vocabulary.ts';
import { CHANNELS, PURPOSES } from '../core/vocabulary.ts';
import type { CustomerId, Instant, Sku } from '../core/records.ts';
import type { DecideDeps } from './decide-for-customer.ts';

export interface PermissionsInput {
  customerId: CustomerId;
  /** The marketed product (soft opt-in can only be shown for one), or null. */
  sku: Sku | null;
  at: Instant;
}

/** One cell: may we, on what basis, and every blocking reason or the one allowing rule. */
export interface PermissionVerdict {
  purpose: Purpose;
  channel: Channel;
  allowed: boolean;
  basis: Basis | null;
  reasons: ReasonCode[];
}

export interface CustomerPermissions {
  customerId: CustomerId;
  asOf: Instant;
  /** Every purpose × channel, purposes in vocabulary order, channels in vocabulary order within each. */
  verdicts: PermissionVerdict[];
}

/** UNKNOWN_CUSTOMER (field `id`) when there is no such customer; UNKNOWN_PRODUCT for an unknown sku. */
export async function permissionsForCustomer(deps: DecideDeps, input: PermissionsInput): Promise<CustomerPermissions> {
  const { records, product } = await deps.decisionRecords.recordsAndProduct(input.customerId, 'every', input.sku);
  if (product === undefined) throw new DomainError('UNKNOWN_PRODUCT', `no product with sku ${String(input.sku)}`, { field: 'product' });
  if (records === null) throw new DomainError('UNKNOWN_CUSTOMER', `no customer with id ${input.customerId}`, { field: 'id' });
  const verdicts = PURPOSES.flatMap((purpose) =>
    CHANNELS.map((channel): PermissionVerdict => {
      const suppressions = records.suppressions.filter((s) => s.channel === channel);
      const { allowed, basis, reasons } = decide({ ...records, suppressions, product, purpose, channel, at: input.at, settings: deps.settings });
      return { purpose, channel, allowed, basis, reasons: [...reasons] };
    }),
  );
  return { customerId: input.customerId, asOf: input.at, verdicts };
}
