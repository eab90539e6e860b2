/** Use case: may we use this customer's data for this purpose on this channel, as of a time? */
import { decide, type Decision } from '../core/decide.ts';
import { DomainError } from '../core/errors.ts';
import type { CatalogueStore, DecisionRecordsStore } from '../core/ports.ts';
import type { CustomerId, Instant, Product, Sku } from '../core/records.ts';
import type { DecisionSettings } from '../core/settings.ts';
import type { Channel, Purpose } from '../core/vocabulary.ts';

export interface DecideDeps {
  decisionRecords: DecisionRecordsStore;
  settings: DecisionSettings;
}

export interface DecideInput {
  customerId: CustomerId;
  purpose: Purpose;
  channel: Channel;
  sku: Sku | null;
  at: Instant;
}

/**
 * The decision for one customer, read in one round trip (the customer's records and the product).
 * Errors: UNKNOWN_PRODUCT (field `product`) before UNKNOWN_CUSTOMER (field `customer`).
 */
export async function decideForCustomer(deps: DecideDeps, input: DecideInput): Promise<Decision> {
  const { records, product } = await deps.decisionRecords.recordsAndProduct(input.customerId, input.channel, input.sku);
  if (product === undefined) throw unknownProduct(input.sku);
  if (records === null) throw new DomainError('UNKNOWN_CUSTOMER', `no customer with id ${input.customerId}`, { field: 'customer' });
  // Named one by one rather than spread: this runs per request (see decide).
  const { customer, orders, ledger, suppressions } = records;
  return decide({ customer, orders, ledger, suppressions, product, purpose: input.purpose, channel: input.channel, at: input.at, settings: deps.settings });
}

export async function requireProduct(catalogue: CatalogueStore, sku: Sku | null): Promise<Product | null> {
  if (sku === null) return null;
  const product = await catalogue.getProduct(sku);
  if (product === null) throw unknownProduct(sku);
  return product;
}

function unknownProduct(sku: Sku | null): DomainError {
  return new DomainError('UNKNOWN_PRODUCT', `no product with sku ${String(sku)}`, { field: 'product' });
}
