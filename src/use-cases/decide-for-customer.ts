/** Use case: may we use this customer's data for this purpose on this channel, as of a time? */
import { channelAddress, decide, type Decision } from '../core/decide.ts';
import { DomainError } from '../core/errors.ts';
import type { CatalogueStore, CustomerStore, LedgerStore, SuppressionStore } from '../core/ports.ts';
import type { CustomerId, Instant, Product, Sku } from '../core/records.ts';
import type { DecisionSettings } from '../core/settings.ts';
import type { Channel, Purpose } from '../core/vocabulary.ts';

export interface DecideDeps {
  customers: CustomerStore;
  catalogue: CatalogueStore;
  ledger: LedgerStore;
  suppressions: SuppressionStore;
  settings: DecisionSettings;
}

export interface DecideInput {
  customerId: CustomerId;
  purpose: Purpose;
  channel: Channel;
  sku: Sku | null;
  at: Instant;
}

export async function decideForCustomer(deps: DecideDeps, input: DecideInput): Promise<Decision> {
  const customer = await deps.customers.getCustomer(input.customerId);
  if (customer === null) throw new DomainError('UNKNOWN_CUSTOMER', `no customer with id ${input.customerId}`, { field: 'customer' });
  const product = await requireProduct(deps.catalogue, input.sku);
  const address = channelAddress(customer, input.channel);
  const [orders, ledger, suppressions] = await Promise.all([
    deps.catalogue.ordersOf(customer.id),
    deps.ledger.historyOf(customer.id),
    address === null ? Promise.resolve([]) : deps.suppressions.forAddress(input.channel, address),
  ]);
  return decide({ customer, orders, ledger, suppressions, product, purpose: input.purpose, channel: input.channel, at: input.at, settings: deps.settings });
}

export async function requireProduct(catalogue: CatalogueStore, sku: Sku | null): Promise<Product | null> {
  if (sku === null) return null;
  const product = await catalogue.getProduct(sku);
  if (product === null) throw new DomainError('UNKNOWN_PRODUCT', `no product with sku ${sku}`, { field: 'product' });
  return product;
}
