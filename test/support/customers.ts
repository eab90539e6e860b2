/** A customer stored for a test: a person with an e-mail made from the id and a Finnish address. */
import type { App } from '../../src/composition-root.ts';
import type { Customer, CustomerId, Instant } from '../../src/core/records.ts';

export async function storeCustomer(app: App, id: string, opts: { city?: string; at?: Instant } = {}): Promise<CustomerId> {
  const at = opts.at ?? ('2026-03-01T00:00:00.000Z' as Instant);
  const c: Customer = {
    id: id as CustomerId,
    kind: 'person',
    name: id,
    emails: [`${id.toLowerCase()}@example.fi`],
    phones: [],
    address: { street: 'Katu 1', postalCode: '00100', city: opts.city ?? 'Turku', country: 'FI' },
    locale: 'fi',
    createdAt: at,
    updatedAt: at,
  };
  await app.stores.customers.insertCustomer(c);
  return c.id;
}
