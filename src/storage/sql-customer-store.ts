/** CustomerStore over Kysely: the same code serves SQLite and PostgreSQL. */
import { sql, type Kysely } from 'kysely';
import { postalKey } from '../core/addresses.ts';
import { DomainError } from '../core/errors.ts';
import { nameWords, prefixEnd } from '../core/name-words.ts';
import type { CustomerSearch, CustomerStore } from '../core/ports.ts';
import type { Customer, CustomerId } from '../core/records.ts';
import { customerFromRow } from './row-mappers.ts';
import type { CustomersTable, Schema } from './schema.ts';

export function customerToRow(c: Customer): CustomersTable {
  const json = (v: string[]): string => JSON.stringify(v);
  return {
    id: c.id,
    kind: c.kind,
    name: c.name,
    email: c.emails[0] ?? null,
    phone: c.phones[0] ?? null,
    emails: json(c.emails),
    phones: json(c.phones),
    street: c.address?.street ?? null,
    postal_code: c.address?.postalCode ?? null,
    city: c.address?.city ?? null,
    country: c.address?.country ?? null,
    postal_key: c.address === null ? null : postalKey(c.address),
    locale: c.locale,
    created_at: c.createdAt,
    updated_at: c.updatedAt,
    name_words: JSON.stringify(nameWords(c.name)),
  };
}

export class SqlCustomerStore implements CustomerStore {
  constructor(private readonly db: Kysely<Schema>) {}

  async getCustomer(id: CustomerId): Promise<Customer | null> {
    const row = await this.db.selectFrom('customers').selectAll().where('id', '=', id).executeTakeFirst();
    return row === undefined ? null : customerFromRow(row);
  }

  async insertCustomer(customer: Customer): Promise<void> {
    const result = await this.db
      .insertInto('customers')
      .values(customerToRow(customer))
      .onConflict((oc) => oc.column('id').doNothing())
      .executeTakeFirst();
    if (Number(result.numInsertedOrUpdatedRows ?? 0n) === 0) {
      throw new DomainError('CUSTOMER_EXISTS', `customer ${customer.id} already exists`, { field: 'id' });
    }
  }

  async updateCustomer(customer: Customer): Promise<void> {
    const { id, created_at: _created, ...row } = customerToRow(customer);
    await this.db.updateTable('customers').set(row).where('id', '=', id).execute();
  }

  async getCustomers(ids: readonly CustomerId[]): Promise<Customer[]> {
    if (ids.length === 0) return [];
    const rows = await this.db.selectFrom('customers').selectAll().where('id', 'in', [...ids]).orderBy('id').execute();
    return rows.map(customerFromRow);
  }

  /**
   * Ordered by id, `limit` at most, after `q.after`. A name search starts from the index range of
   * its first (longest) word and checks the others per customer found, through the
   * (customer_id, word) index: one statement, whatever the number of words.
   */
  async searchCustomers(q: CustomerSearch): Promise<Customer[]> {
    let query = this.db.selectFrom('customers').selectAll().orderBy('id').limit(q.limit);
    if (q.after !== undefined) query = query.where('id', '>', q.after);
    if (q.id !== undefined) query = query.where('id', '=', q.id);
    if (q.email !== undefined) query = query.where('email', '=', q.email);
    if (q.phone !== undefined) query = query.where('phone', '=', q.phone);
    if (q.postalCode !== undefined) query = query.where('postal_code', '=', q.postalCode);
    const [first, ...others] = q.nameWords ?? [];
    if (first !== undefined) {
      const after = q.after === undefined ? sql`` : sql`AND w0.customer_id > ${q.after}`;
      const alsoMatching = others.map(
        (word) => sql`AND EXISTS (SELECT 1 FROM customer_name_words w1
          WHERE w1.customer_id = w0.customer_id AND w1.word >= ${word} AND w1.word < ${prefixEnd(word)})`,
      );
      query = query.where(
        sql<boolean>`id IN (SELECT w0.customer_id FROM customer_name_words w0
          WHERE w0.word >= ${first} AND w0.word < ${prefixEnd(first)} ${after} ${sql.join(alsoMatching, sql` `)})`,
      );
    }
    const rows = await query.execute();
    return rows.map(customerFromRow);
  }
}
